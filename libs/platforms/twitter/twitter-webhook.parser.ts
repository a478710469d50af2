import { InteractionType, Platform, Visibility } from '@switchboard/contracts';
import type { InboundAttachment, NormalizedEvent, PlatformUser } from '../types';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const num = (value: unknown): number | null =>
  typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : null;

/** The 1:1 DM conversation id X uses: the two user ids, smaller first (compared as big integers). */
export function dmConversationKey(a: string, b: string): string {
  return BigInt(a) < BigInt(b) ? `${a}-${b}` : `${b}-${a}`;
}

function toIso(millis: unknown, createdAt: unknown, now: Date): string {
  const ms = num(millis);
  if (ms !== null) return new Date(ms).toISOString();
  const parsed = typeof createdAt === 'string' ? Date.parse(createdAt) : NaN;
  return Number.isNaN(parsed) ? now.toISOString() : new Date(parsed).toISOString();
}

/** A v1.1 user object (tweets) or an entry of the DM `users` map. Ids only ever from the `*_str` / string fields. */
function v1User(user: unknown): PlatformUser | null {
  if (!isObject(user)) return null;
  const id = str(user['id_str']) ?? str(user['id']);
  if (!id) return null;
  const handle = str(user['screen_name']);
  return {
    platformUserId: id,
    handle,
    name: str(user['name']),
    followers: num(user['followers_count']),
    profileUrl: handle ? `https://x.com/${handle}` : null,
    avatarUrl: str(user['profile_image_url_https']),
  };
}

function tweetText(tweet: Json): string | null {
  const extended = isObject(tweet['extended_tweet']) ? str(tweet['extended_tweet']['full_text']) : null;
  return extended ?? str(tweet['full_text']) ?? str(tweet['text']);
}

function parseTweet(accountId: string, tweet: Json, now: Date): NormalizedEvent | null {
  const id = str(tweet['id_str']);
  // A retweet repeats someone else's words; it is not addressed to us.
  if (!id || isObject(tweet['retweeted_status'])) return null;
  const author = v1User(tweet['user']);
  const inReplyTo = str(tweet['in_reply_to_status_id_str']);
  return {
    kind: 'message',
    platform: Platform.TWITTER,
    accountPlatformId: accountId,
    platformMessageId: id,
    type: InteractionType.CONVERSATION,
    visibility: Visibility.PUBLIC,
    thread: inReplyTo
      ? { kind: 'reply', inReplyToPlatformId: inReplyTo, fallbackKey: id }
      : { kind: 'key', conversationKey: id },
    inReplyTo,
    author,
    fromAccount: author?.platformUserId === accountId,
    text: tweetText(tweet),
    attachments: [],
    sentAt: toIso(tweet['timestamp_ms'], tweet['created_at'], now),
    editOf: null,
    raw: tweet,
  };
}

function dmAttachments(messageData: Json): InboundAttachment[] {
  const attachment = messageData['attachment'];
  if (!isObject(attachment) || !isObject(attachment['media'])) return [];
  const media = attachment['media'];
  return [{ type: str(media['type']) ?? 'media', url: str(media['media_url_https']) ?? str(media['url']) }];
}

function parseDirectMessage(accountId: string, event: Json, users: Json, now: Date): NormalizedEvent | null {
  const create = event['message_create'];
  const id = str(event['id']);
  if (event['type'] !== 'message_create' || !id || !isObject(create)) return null;
  const senderId = str(create['sender_id']);
  const recipientId = isObject(create['target']) ? str(create['target']['recipient_id']) : null;
  if (!senderId || !recipientId) return null;
  const fromAccount = senderId === accountId;
  const messageData = isObject(create['message_data']) ? create['message_data'] : {};
  const userEntry = users[senderId];
  // The X Activity API nests each user under `data`, the Account Activity API does not.
  const author = fromAccount
    ? null
    : v1User(isObject(userEntry) && isObject(userEntry['data']) ? userEntry['data'] : userEntry);
  return {
    kind: 'message',
    platform: Platform.TWITTER,
    accountPlatformId: accountId,
    platformMessageId: id,
    type: InteractionType.DIRECT_MESSAGE,
    visibility: Visibility.PRIVATE,
    thread: { kind: 'key', conversationKey: dmConversationKey(senderId, recipientId) },
    inReplyTo: null,
    author:
      author ??
      (fromAccount
        ? null
        : { platformUserId: senderId, handle: null, name: null, followers: null, profileUrl: null, avatarUrl: null }),
    fromAccount,
    text: str(messageData['text']),
    attachments: dmAttachments(messageData),
    sentAt: toIso(event['created_timestamp'], null, now),
    editOf: null,
    raw: event,
  };
}

/** An Account Activity API payload: one `for_user_id` and any of the event arrays. */
export function parseTwitterWebhook(body: unknown, now: Date = new Date()): NormalizedEvent[] {
  if (!isObject(body)) return [];
  const accountId = str(body['for_user_id']);
  if (!accountId) return [];
  const events: NormalizedEvent[] = [];
  for (const tweet of arr(body['tweet_create_events']).filter(isObject)) {
    const event = parseTweet(accountId, tweet, now);
    if (event) events.push(event);
  }
  const users = isObject(body['users']) ? body['users'] : {};
  for (const dm of arr(body['direct_message_events']).filter(isObject)) {
    const event = parseDirectMessage(accountId, dm, users, now);
    if (event) events.push(event);
  }
  for (const deletion of arr(body['tweet_delete_events']).filter(isObject)) {
    const status = isObject(deletion['status']) ? deletion['status'] : {};
    const id = str(status['id_str']) ?? str(status['id']);
    if (!id) continue;
    events.push({
      kind: 'delete',
      platform: Platform.TWITTER,
      accountPlatformId: accountId,
      platformMessageId: id,
      deletedAt: toIso(deletion['timestamp_ms'], null, now),
      raw: deletion,
    });
  }
  return events;
}
