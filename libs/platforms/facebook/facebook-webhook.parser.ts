import { InteractionType, Platform, Visibility } from '@switchboard/contracts';
import type { InboundAttachment, MessageEvent, NormalizedEvent, PlatformUser, ThreadRef } from '../types';
import { field, isObject, type Json, objects, str } from '../untrusted-json';

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
  const id = str(field(from, 'id'));
  if (!id) return null;
  return {
    platformUserId: id,
    handle: null,
    name: str(field(from, 'name')),
    followers: null,
    profileUrl: `https://www.facebook.com/${id}`,
    avatarUrl: null,
  };
}

function psidUser(psid: string): PlatformUser {
  return { platformUserId: psid, handle: null, name: null, followers: null, profileUrl: null, avatarUrl: null };
}

function feedAttachments(value: Json): InboundAttachment[] {
  const photo = str(value['photo']);
  if (photo) return [{ type: 'image', url: photo }];
  const video = str(value['video']);
  if (video) return [{ type: 'video', url: video }];
  const link = str(value['link']);
  if (!link) return [];
  // A photo or video post names its media file in `link`; elsewhere `link` is a shared web page.
  const item = str(value['item']);
  return [{ type: item === 'photo' ? 'image' : item === 'video' ? 'video' : 'link', url: link }];
}

/**
 * A comment answers its parent: the post for a top-level comment, else the top-level comment it replies to (Facebook
 * has one level of replies). It joins the parent's thread when the parent is stored as a customer message (a visitor
 * post, a comment); under a brand post a top-level comment opens its own thread, and a reply falls back to its
 * top-level comment's.
 */
function commentThread(commentId: string, postId: string | null, parentId: string | null): ThreadRef {
  const parent = parentId ?? postId;
  if (!parent) return { kind: 'key', conversationKey: commentId };
  const topLevel = parent === postId;
  return { kind: 'reply', inReplyToPlatformId: parent, fallbackKey: topLevel ? commentId : parent };
}

function feedMessage(pageId: string, platformMessageId: string, value: Json, now: Date): MessageEvent {
  const isComment = value['item'] === 'comment';
  const postId = str(value['post_id']);
  const parentId = str(value['parent_id']);
  const author = feedAuthor(value['from']);
  const fromAccount = author?.platformUserId === pageId;
  return {
    kind: 'message',
    platform: Platform.FACEBOOK,
    accountPlatformId: pageId,
    platformMessageId,
    type: InteractionType.CONVERSATION,
    visibility: Visibility.PUBLIC,
    thread: isComment
      ? commentThread(platformMessageId, postId, parentId)
      : { kind: 'key', conversationKey: platformMessageId },
    inReplyTo: isComment ? (parentId ?? postId) : null,
    author: fromAccount ? null : author,
    fromAccount,
    text: str(value['message']),
    attachments: feedAttachments(value),
    sentAt: secondsToIso(value['created_time'], now),
    editOf: null,
    raw: value,
  };
}

function parseFeedChange(pageId: string, value: Json, now: Date): NormalizedEvent | null {
  const item = str(value['item']);
  const verb = str(value['verb']);
  if (!item || !verb || !FEED_MESSAGE_ITEMS.has(item)) return null;
  const platformMessageId = item === 'comment' ? str(value['comment_id']) : str(value['post_id']);
  if (!platformMessageId) return null;
  const base = { platform: Platform.FACEBOOK, accountPlatformId: pageId, platformMessageId, raw: value };
  const at = secondsToIso(value['created_time'], now);

  switch (verb) {
    case 'add':
      return feedMessage(pageId, platformMessageId, value, now);
    case 'edited':
    case 'edit':
      return { ...base, kind: 'edit', text: str(value['message']), editedAt: at };
    case 'remove':
    case 'delete':
      return { ...base, kind: 'delete', deletedAt: at };
    case 'hide':
    case 'unhide':
      return { ...base, kind: 'hide', hidden: verb === 'hide', at };
    default:
      return null;
  }
}

function messengerAttachments(message: Json): InboundAttachment[] {
  return objects(message['attachments']).map((attachment) => ({
    type: str(attachment['type']) ?? 'file',
    url: str(field(attachment['payload'], 'url')),
  }));
}

interface MessagingParties {
  pageId: string;
  psid: string;
  sentAt: string;
}

function messengerMessage(parties: MessagingParties, event: Json, message: Json): MessageEvent | null {
  const mid = str(message['mid']);
  if (!mid) return null;
  const isEcho = message['is_echo'] === true;
  return {
    kind: 'message',
    platform: Platform.FACEBOOK,
    accountPlatformId: parties.pageId,
    platformMessageId: mid,
    type: InteractionType.DIRECT_MESSAGE,
    visibility: Visibility.PRIVATE,
    thread: { kind: 'key', conversationKey: `${parties.pageId}-${parties.psid}` },
    inReplyTo: str(field(message['reply_to'], 'mid')),
    author: isEcho ? null : psidUser(parties.psid),
    fromAccount: isEcho,
    text: str(message['text']),
    attachments: messengerAttachments(message),
    sentAt: parties.sentAt,
    editOf: null,
    raw: event,
  };
}

/** A button tap: the button's title is what the customer "said". Older postbacks carry no mid. */
function postbackMessage(parties: MessagingParties, event: Json, postback: Json, timestamp: unknown): MessageEvent {
  const id = str(postback['mid']) ?? `postback-${parties.psid}-${String(timestamp)}`;
  return {
    kind: 'message',
    platform: Platform.FACEBOOK,
    accountPlatformId: parties.pageId,
    platformMessageId: id,
    type: InteractionType.DIRECT_MESSAGE,
    visibility: Visibility.PRIVATE,
    thread: { kind: 'key', conversationKey: `${parties.pageId}-${parties.psid}` },
    inReplyTo: null,
    author: psidUser(parties.psid),
    fromAccount: false,
    text: str(postback['title']),
    attachments: [],
    sentAt: parties.sentAt,
    editOf: null,
    raw: event,
  };
}

/** Receipts, reactions, opt-ins and referrals without a message carry nothing for an agent and yield nothing. */
function parseMessaging(pageId: string, event: Json, now: Date): NormalizedEvent | null {
  const sentAt = millisToIso(event['timestamp'], now);
  const edit = event['message_edit'];
  const editedMid = str(field(edit, 'mid'));
  if (editedMid) {
    return {
      kind: 'edit',
      platform: Platform.FACEBOOK,
      accountPlatformId: pageId,
      platformMessageId: editedMid,
      text: str(field(edit, 'text')),
      editedAt: sentAt,
      raw: event,
    };
  }

  const senderId = str(field(event['sender'], 'id'));
  const recipientId = str(field(event['recipient'], 'id'));
  if (!senderId || !recipientId) return null;
  const message = event['message'];
  // Inbound: the sender is the customer's PSID. Echo of a page's message: the page sent it, the PSID received it.
  const fromPage = senderId === pageId || field(message, 'is_echo') === true;
  const parties = { pageId, psid: fromPage ? recipientId : senderId, sentAt };
  if (isObject(message)) return messengerMessage(parties, event, message);
  const postback = event['postback'];
  if (isObject(postback) && !fromPage) return postbackMessage(parties, event, postback, event['timestamp']);
  return null;
}

function entryPageId(entry: Json): string | null {
  return str(entry['id']) ?? (typeof entry['id'] === 'number' ? String(entry['id']) : null);
}

/**
 * Every entry of a Page webhook batch (several Pages may share one POST) and every change or messaging event in it.
 * `standby[]` (events of threads another app owns under the handover protocol) is left alone: that app answers them.
 * Unknown objects, fields and items yield nothing: they are acknowledged and ignored.
 */
export function parseFacebookWebhook(body: unknown, now: Date = new Date()): NormalizedEvent[] {
  if (!isObject(body) || body['object'] !== 'page') return [];
  const events: NormalizedEvent[] = [];
  for (const entry of objects(body['entry'])) {
    const pageId = entryPageId(entry);
    if (!pageId || pageId === TEST_ENTRY_ID) continue;
    for (const change of objects(entry['changes'])) {
      if (change['field'] !== 'feed' || !isObject(change['value'])) continue;
      const event = parseFeedChange(pageId, change['value'], now);
      if (event) events.push(event);
    }
    for (const messaging of objects(entry['messaging'])) {
      const event = parseMessaging(pageId, messaging, now);
      if (event) events.push(event);
    }
  }
  return events;
}
