import { InteractionType, Platform, Visibility } from '@switchboard/contracts';
import type { InboundAttachment, NormalizedEvent, PlatformUser } from '../types';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Feed items that carry something a customer said; reactions, likes, shares and the rest are not care work. */
const FEED_MESSAGE_ITEMS = new Set(['comment', 'status', 'post', 'photo', 'video']);

/** The App Dashboard's "Test" button sends a synthetic entry with id "0". */
const TEST_ENTRY_ID = '0';

function secondsToIso(value: unknown, fallback: Date): string {
  return typeof value === 'number' ? new Date(value * 1000).toISOString() : fallback.toISOString();
}

function millisToIso(value: unknown, fallback: Date): string {
  return typeof value === 'number' ? new Date(value).toISOString() : fallback.toISOString();
}

function feedAuthor(from: unknown): PlatformUser | null {
  if (!isObject(from) || !str(from['id'])) return null;
  const id = str(from['id']) as string;
  return {
    platformUserId: id,
    handle: null,
    name: str(from['name']),
    followers: null,
    profileUrl: `https://www.facebook.com/${id}`,
    avatarUrl: null,
  };
}

function feedAttachments(value: Json): InboundAttachment[] {
  const url = str(value['photo']) ?? str(value['video']) ?? str(value['link']);
  if (!url) return [];
  const item = str(value['item']);
  return [{ type: item === 'video' || str(value['video']) ? 'video' : item === 'photo' ? 'image' : 'link', url }];
}

function parseFeedChange(pageId: string, value: Json, now: Date): NormalizedEvent | null {
  const item = str(value['item']);
  const verb = str(value['verb']);
  if (!item || !verb || !FEED_MESSAGE_ITEMS.has(item)) return null;
  const isComment = item === 'comment';
  const platformMessageId = isComment ? str(value['comment_id']) : str(value['post_id']);
  if (!platformMessageId) return null;
  const base = { platform: Platform.FACEBOOK, accountPlatformId: pageId, platformMessageId, raw: value };

  switch (verb) {
    case 'add': {
      const postId = str(value['post_id']);
      const parentId = str(value['parent_id']);
      // A top-level comment's parent is the post; a reply's parent is the comment it answers, which is top-level
      // because Facebook allows one level of replies. The thread is the top-level comment (or the visitor post).
      const conversationKey = isComment && parentId && parentId !== postId ? parentId : platformMessageId;
      const author = feedAuthor(value['from']);
      return {
        ...base,
        kind: 'message',
        type: InteractionType.CONVERSATION,
        visibility: Visibility.PUBLIC,
        thread: { kind: 'key', conversationKey },
        inReplyTo: isComment ? parentId : null,
        author,
        fromAccount: author?.platformUserId === pageId,
        text: str(value['message']),
        attachments: feedAttachments(value),
        sentAt: secondsToIso(value['created_time'], now),
        editOf: null,
      };
    }
    case 'edited':
    case 'edit':
      return { ...base, kind: 'edit', text: str(value['message']), editedAt: secondsToIso(value['created_time'], now) };
    case 'remove':
    case 'delete':
      return { ...base, kind: 'delete', deletedAt: secondsToIso(value['created_time'], now) };
    default:
      return null;
  }
}

function messengerAttachments(message: Json): InboundAttachment[] {
  return arr(message['attachments'])
    .filter(isObject)
    .map((attachment) => {
      const payload = isObject(attachment['payload']) ? attachment['payload'] : {};
      return { type: str(attachment['type']) ?? 'file', url: str(payload['url']) };
    });
}

function parseMessaging(pageId: string, event: Json, now: Date): NormalizedEvent | null {
  const senderId = isObject(event['sender']) ? str(event['sender']['id']) : null;
  const recipientId = isObject(event['recipient']) ? str(event['recipient']['id']) : null;
  const sentAt = millisToIso(event['timestamp'], now);

  const edit = event['message_edit'];
  if (isObject(edit) && str(edit['mid'])) {
    return {
      kind: 'edit',
      platform: Platform.FACEBOOK,
      accountPlatformId: pageId,
      platformMessageId: str(edit['mid']) as string,
      text: str(edit['text']),
      editedAt: sentAt,
      raw: event,
    };
  }

  const message = event['message'];
  if (!isObject(message) || !str(message['mid']) || !senderId || !recipientId) return null;
  const isEcho = message['is_echo'] === true;
  const psid = isEcho ? recipientId : senderId;
  return {
    kind: 'message',
    platform: Platform.FACEBOOK,
    accountPlatformId: pageId,
    platformMessageId: str(message['mid']) as string,
    type: InteractionType.DIRECT_MESSAGE,
    visibility: Visibility.PRIVATE,
    thread: { kind: 'key', conversationKey: `${pageId}-${psid}` },
    inReplyTo: isObject(message['reply_to']) ? str(message['reply_to']['mid']) : null,
    author: isEcho
      ? null
      : { platformUserId: psid, handle: null, name: null, followers: null, profileUrl: null, avatarUrl: null },
    fromAccount: isEcho,
    text: str(message['text']),
    attachments: messengerAttachments(message),
    sentAt,
    editOf: null,
    raw: event,
  };
}

/**
 * Every entry of a Page webhook batch (several Pages may share one POST) and every change or messaging event in it.
 * Unknown objects, fields and items yield nothing: they are acknowledged and ignored.
 */
export function parseFacebookWebhook(body: unknown, now: Date = new Date()): NormalizedEvent[] {
  if (!isObject(body) || body['object'] !== 'page') return [];
  const events: NormalizedEvent[] = [];
  for (const entry of arr(body['entry']).filter(isObject)) {
    const pageId = str(entry['id']) ?? (typeof entry['id'] === 'number' ? String(entry['id']) : null);
    if (!pageId || pageId === TEST_ENTRY_ID) continue;
    for (const change of arr(entry['changes']).filter(isObject)) {
      if (change['field'] !== 'feed' || !isObject(change['value'])) continue;
      const event = parseFeedChange(pageId, change['value'], now);
      if (event) events.push(event);
    }
    for (const messaging of arr(entry['messaging']).filter(isObject)) {
      const event = parseMessaging(pageId, messaging, now);
      if (event) events.push(event);
    }
  }
  return events;
}
