import type { InboundAttachment, MessageEvent, PlatformUser } from '../types';
import { arr, field, type Json, objects, str } from '../untrusted-json';
import { bareUser, dmConversationKey, dmMessage, postMessage, quoteAttachment, xUser } from './twitter-events';

/*
 * X API v2 objects (the mention timeline, the DM event list, the X Activity API's post payloads) into the same
 * NormalizedEvents the Account Activity webhook yields for the same post or DM.
 */

function isObjectWithId(value: unknown): value is Json & { id: string } {
  return str(field(value, 'id')) !== null;
}

function isoOrNow(value: unknown, now: Date): string {
  const parsed = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(parsed) ? now.toISOString() : new Date(parsed).toISOString();
}

function findUser(users: readonly unknown[], id: string): PlatformUser | null {
  for (const candidate of users) {
    const user = xUser(candidate);
    if (user?.platformUserId === id) return user;
  }
  return null;
}

/** `attachments.media_keys` resolved through `includes.media`; a key X did not expand still says "there was media". */
function v2Media(attachments: unknown, media: readonly unknown[]): InboundAttachment[] {
  const byKey = new Map<string, Json>();
  for (const item of objects(media)) {
    const key = str(item['media_key']);
    if (key) byKey.set(key, item);
  }
  return arr(field(attachments, 'media_keys')).map((key) => {
    const item = typeof key === 'string' ? byKey.get(key) : undefined;
    if (!item) return { type: 'media', url: null };
    // Videos and GIFs have no `url`, only a still: the same image v1.1 gives as `media_url_https`.
    return { type: str(item['type']) ?? 'media', url: str(item['url']) ?? str(item['preview_image_url']) };
  });
}

/** X OpenAPI 2.167 renamed `referenced_tweets` and `edit_history_tweet_ids`; the docs' examples keep the old names. */
function referencedId(tweet: Json, type: 'replied_to' | 'quoted' | 'retweeted'): string | null {
  const references = objects(tweet['referenced_tweets'] ?? tweet['referenced_posts']);
  return str(references.find((reference) => reference['type'] === type)?.['id']);
}

function originalOfEdit(tweet: Json, id: string): string | null {
  const [first] = arr(tweet['edit_history_tweet_ids'] ?? tweet['edit_history_post_ids']);
  const original = str(first);
  return original && original !== id ? original : null;
}

/**
 * A v2 post, with the users (and media) of the response's `includes`. Retweets and malformed posts yield null.
 * Request tweet.fields=created_at,author_id,referenced_tweets,note_tweet,edit_history_tweet_ids,attachments and
 * expansions=author_id,attachments.media_keys for a complete result.
 */
export function normalizeV2Tweet(
  accountId: string,
  tweet: unknown,
  users: readonly unknown[] = [],
  media: readonly unknown[] = [],
  now: Date = new Date(),
): MessageEvent | null {
  if (!isObjectWithId(tweet)) return null;
  const id = tweet.id;
  // A retweet repeats someone else's words; it is not addressed to us.
  if (referencedId(tweet, 'retweeted')) return null;
  const authorId = str(tweet['author_id']);
  const quoted = referencedId(tweet, 'quoted');
  return postMessage(accountId, {
    id,
    authorId,
    author: authorId ? (findUser(users, authorId) ?? bareUser(authorId)) : null,
    inReplyTo: referencedId(tweet, 'replied_to') ?? str(tweet['in_reply_to_tweet_id']),
    // Long posts keep the first 280 characters in `text` and the whole post in `note_tweet`.
    text: str(field(tweet['note_tweet'], 'text')) ?? str(tweet['text']),
    attachments: [...v2Media(tweet['attachments'], media), ...(quoted ? [quoteAttachment(quoted)] : [])],
    sentAt: isoOrNow(tweet['created_at'], now),
    editOf: originalOfEdit(tweet, id),
    raw: tweet,
  });
}

/**
 * The webhook names a DM's thread from its sender and recipient; a v2 event has no recipient, only the conversation
 * id, which for a 1:1 conversation is the same "smaller-larger" pair. Our own message in a conversation that is not
 * of that form cannot be placed and yields null.
 */
function dmThreadKey(accountId: string, senderId: string, conversationId: string | null): string | null {
  const pair = conversationId ? /^(\d+)-(\d+)$/.exec(conversationId) : null;
  if (pair?.[1] && pair[2] && (pair[1] === accountId || pair[2] === accountId)) {
    return dmConversationKey(pair[1], pair[2]);
  }
  return senderId === accountId ? null : dmConversationKey(senderId, accountId);
}

/**
 * A `MessageCreate` event of `GET /2/dm_events`, with the users (and media) of the response's `includes`. Other event
 * types (participants joining or leaving) yield null.
 */
export function normalizeV2DmEvent(
  accountId: string,
  event: unknown,
  users: readonly unknown[] = [],
  media: readonly unknown[] = [],
  now: Date = new Date(),
): MessageEvent | null {
  if (!isObjectWithId(event)) return null;
  const eventType = str(event['event_type']);
  if (eventType && eventType !== 'MessageCreate') return null;
  const senderId = str(event['sender_id']);
  if (!senderId) return null;
  const conversationKey = dmThreadKey(accountId, senderId, str(event['dm_conversation_id']));
  if (!conversationKey) return null;
  return dmMessage(accountId, {
    id: event.id,
    senderId,
    conversationKey,
    author: findUser(users, senderId),
    text: str(event['text']),
    attachments: v2Media(event['attachments'], media),
    sentAt: isoOrNow(event['created_at'], now),
    raw: event,
  });
}
