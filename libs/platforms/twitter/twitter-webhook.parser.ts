import { Platform } from '@switchboard/contracts';
import type { InboundAttachment, MessageEvent, NormalizedEvent } from '../types';
import { arr, field, isObject, type Json, num, objects, str } from '../untrusted-json';
import { dmConversationKey, dmMessage, postMessage, quoteAttachment, xUser } from './twitter-events';
import { normalizeV2Tweet } from './twitter-v2.normalizer';

export { dmConversationKey } from './twitter-events';

/*
 * Two webhook bodies arrive on the same route: the Account Activity API's (v1.1 objects under `for_user_id`) and the
 * X Activity API's (`{"data": {event_type, filter, payload, includes}}`, one event or an array of them).
 * Ids only ever come from `*_str` or string fields: X's bare 64-bit numbers lose digits in JSON.parse.
 */

/** The X Activity API events that carry a post: mentions, replies and quotes of us, and our own posts. */
const ACTIVITY_POST_EVENTS = new Set(['post.mention.create', 'post.reply.create', 'post.quote.create', 'post.create']);
const ACTIVITY_DM_EVENTS = new Set(['dm.received', 'dm.sent']);

function toIso(millis: unknown, createdAt: unknown, now: Date): string {
  const ms = num(millis);
  if (ms !== null) return new Date(ms).toISOString();
  const parsed = typeof createdAt === 'string' ? Date.parse(createdAt) : NaN;
  return Number.isNaN(parsed) ? now.toISOString() : new Date(parsed).toISOString();
}

/** Long posts: `text` is cut at 140 characters, the whole post is in `extended_tweet`. */
function tweetText(tweet: Json): string | null {
  return str(field(tweet['extended_tweet'], 'full_text')) ?? str(tweet['full_text']) ?? str(tweet['text']);
}

function tweetMedia(tweet: Json): InboundAttachment[] {
  const extended = tweet['extended_tweet'];
  const media = [
    field(field(extended, 'extended_entities'), 'media'),
    field(tweet['extended_entities'], 'media'),
    field(field(extended, 'entities'), 'media'),
    field(tweet['entities'], 'media'),
  ].find(Array.isArray);
  return objects(media).map((item) => ({
    type: str(item['type']) ?? 'media',
    url: str(item['media_url_https']) ?? str(item['media_url']),
  }));
}

function quotedId(tweet: Json): string | null {
  return str(tweet['quoted_status_id_str']) ?? str(field(tweet['quoted_status'], 'id_str'));
}

/** An edit is published as a new post; `edit_history.initial_tweet_id` names the post it replaces. */
function originalOfEdit(tweet: Json, id: string): string | null {
  const initial = str(field(tweet['edit_history'], 'initial_tweet_id'));
  return initial && initial !== id ? initial : null;
}

function parseTweet(accountId: string, tweet: Json, now: Date): MessageEvent | null {
  const id = str(tweet['id_str']);
  // A retweet repeats someone else's words; it is not addressed to us.
  if (!id || isObject(tweet['retweeted_status'])) return null;
  const author = xUser(tweet['user']);
  const quoted = quotedId(tweet);
  return postMessage(accountId, {
    id,
    authorId: author?.platformUserId ?? null,
    author,
    inReplyTo: str(tweet['in_reply_to_status_id_str']),
    text: tweetText(tweet),
    attachments: [...tweetMedia(tweet), ...(quoted ? [quoteAttachment(quoted)] : [])],
    sentAt: toIso(tweet['timestamp_ms'], tweet['created_at'], now),
    editOf: originalOfEdit(tweet, id),
    raw: tweet,
  });
}

function dmAttachments(messageData: unknown): InboundAttachment[] {
  const media = field(field(messageData, 'attachment'), 'media');
  if (!isObject(media)) return [];
  return [{ type: str(media['type']) ?? 'media', url: str(media['media_url_https']) ?? str(media['url']) }];
}

/** A v1.1 `message_create` event; `users` is the payload's id → user map. */
function parseDirectMessage(accountId: string, event: Json, users: Json, now: Date): MessageEvent | null {
  const create = event['message_create'];
  const id = str(event['id']);
  if (event['type'] !== 'message_create' || !id || !isObject(create)) return null;
  const senderId = str(create['sender_id']);
  const recipientId = str(field(create['target'], 'recipient_id'));
  if (!senderId || !recipientId) return null;
  const messageData = create['message_data'];
  return dmMessage(accountId, {
    id,
    senderId,
    conversationKey: dmConversationKey(senderId, recipientId),
    author: xUser(users[senderId]),
    text: str(field(messageData, 'text')),
    attachments: dmAttachments(messageData),
    sentAt: toIso(event['created_timestamp'], null, now),
    raw: event,
  });
}

function parseDirectMessages(accountId: string, body: Json, now: Date): MessageEvent[] {
  const users = isObject(body['users']) ? body['users'] : {};
  return objects(body['direct_message_events']).flatMap((dm) => parseDirectMessage(accountId, dm, users, now) ?? []);
}

function deleteEvent(accountId: string, platformMessageId: string, deletedAt: string, raw: unknown): NormalizedEvent {
  return {
    kind: 'delete',
    platform: Platform.TWITTER,
    accountPlatformId: accountId,
    platformMessageId,
    deletedAt,
    raw,
  };
}

/**
 * An Account Activity API payload: one `for_user_id` and any of the event arrays. Likes, follows, blocks, mutes,
 * typing and read indicators, revocations and replay notices yield nothing.
 */
function parseAccountActivity(accountId: string, body: Json, now: Date): NormalizedEvent[] {
  const tweets = objects(body['tweet_create_events']).flatMap((tweet) => parseTweet(accountId, tweet, now) ?? []);
  const deletions = objects(body['tweet_delete_events']).flatMap((deletion) => {
    const status = deletion['status'];
    const id = str(field(status, 'id_str')) ?? str(field(status, 'id'));
    return id ? [deleteEvent(accountId, id, toIso(deletion['timestamp_ms'], null, now), deletion)] : [];
  });
  return [...tweets, ...parseDirectMessages(accountId, body, now), ...deletions];
}

/** One X Activity API event; the account is the subscription's `filter.user_id`. */
function parseActivityEvent(event: Json, now: Date): NormalizedEvent[] {
  const accountId = str(field(event['filter'], 'user_id'));
  const eventType = str(event['event_type']);
  const payload = event['payload'];
  if (!accountId || !eventType || !isObject(payload)) return [];
  if (ACTIVITY_POST_EVENTS.has(eventType)) {
    const includes = event['includes'];
    const message = normalizeV2Tweet(
      accountId,
      payload,
      arr(field(includes, 'users')),
      arr(field(includes, 'media')),
      now,
    );
    return message ? [message] : [];
  }
  if (ACTIVITY_DM_EVENTS.has(eventType)) return parseDirectMessages(accountId, payload, now);
  if (eventType === 'post.delete') {
    const id = str(payload['id']);
    // The payload has no time of its own.
    return id ? [deleteEvent(accountId, id, now.toISOString(), payload)] : [];
  }
  return [];
}

/** An Account Activity API or X Activity API webhook body; anything else yields nothing. */
export function parseTwitterWebhook(body: unknown, now: Date = new Date()): NormalizedEvent[] {
  if (!isObject(body)) return [];
  const accountId = str(body['for_user_id']);
  if (accountId) return parseAccountActivity(accountId, body, now);
  const data = body['data'];
  const activityEvents = Array.isArray(data) ? objects(data) : isObject(data) ? [data] : [];
  return activityEvents.flatMap((event) => parseActivityEvent(event, now));
}
