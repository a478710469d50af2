import { randomBytes } from 'node:crypto';
import type { JsonObject } from './json-text';

/*
 * X Activity API (XAA) webhook envelopes (platform-apis.md §2.4): `{"data":{"event_uuid","filter","event_type",
 * "tag","payload","includes"}}`, signed like Account Activity deliveries.
 */

export const XAA_EVENT_TYPES = [
  'post.create',
  'post.delete',
  'post.mention.create',
  'post.reply.create',
  'post.quote.create',
  'dm.received',
  'dm.sent',
  'like.create',
  'follow.follow',
  'follow.unfollow',
] as const;
export type XaaEventType = (typeof XAA_EVENT_TYPES)[number];

/** The subscription tags the simulator pretends the backend chose (they are echoed back in `data.tag`). */
const TAGS: Record<XaaEventType, string> = {
  'post.create': 'posts',
  'post.delete': 'post-deletes',
  'post.mention.create': 'mentions',
  'post.reply.create': 'replies',
  'post.quote.create': 'quotes',
  'dm.received': 'dm-inbound',
  'dm.sent': 'dm-outbound',
  'like.create': 'likes',
  'follow.follow': 'follows',
  'follow.unfollow': 'unfollows',
};

/** A signed 64-bit value rendered as a string: X's event uuids are negative about half of the time. */
export function xaaEventUuid(): string {
  return randomBytes(8).readBigInt64BE().toString();
}

export function xaaEnvelope(input: {
  eventType: XaaEventType;
  userId: string;
  payload: JsonObject;
  includes?: JsonObject;
  direction?: 'inbound' | 'outbound';
}): JsonObject {
  const filter: JsonObject = { user_id: input.userId };
  if (input.direction) filter.direction = input.direction;
  return {
    data: {
      event_uuid: xaaEventUuid(),
      filter,
      event_type: input.eventType,
      tag: TAGS[input.eventType],
      payload: input.payload,
      includes: input.includes,
    },
  };
}

/** XAA nests each user of a DM `users` map (and follow `source` / `target`) under `data`. */
export function nestedUser(user: JsonObject): JsonObject {
  return { data: user };
}
