import { InteractionType, Platform, Visibility } from '@switchboard/contracts';
import type { InboundAttachment, MessageEvent, PlatformUser } from '../types';
import { field, isObject, num, str } from '../untrusted-json';

/*
 * What a post or a DM becomes, whichever X API delivered it (Account Activity webhook, X Activity API, v2 polling):
 * the webhook parser and the v2 normaliser both end here, so the same post yields the same ids, thread and author.
 */

/** The 1:1 DM conversation id X uses: the two user ids, smaller first (compared as big integers). */
export function dmConversationKey(a: string, b: string): string {
  return BigInt(a) < BigInt(b) ? `${a}-${b}` : `${b}-${a}`;
}

export function quoteAttachment(quotedId: string): InboundAttachment {
  return { type: 'quote', url: `https://x.com/i/status/${quotedId}` };
}

/**
 * A v1.1 user (tweet `user`, AAA DM `users` map) or a v2 user (`includes.users`, XAA DM `users` map, where X Activity
 * nests each user under `data`). Ids only ever from `id_str` or a string `id`.
 */
export function xUser(value: unknown): PlatformUser | null {
  const user = isObject(field(value, 'data')) ? field(value, 'data') : value;
  if (!isObject(user)) return null;
  const id = str(user['id_str']) ?? str(user['id']);
  if (!id) return null;
  const handle = str(user['screen_name']) ?? str(user['username']);
  return {
    platformUserId: id,
    handle,
    name: str(user['name']),
    followers: num(user['followers_count']) ?? num(field(user['public_metrics'], 'followers_count')),
    profileUrl: handle ? `https://x.com/${handle}` : null,
    avatarUrl: str(user['profile_image_url_https']) ?? str(user['profile_image_url']),
  };
}

export function bareUser(id: string): PlatformUser {
  return { platformUserId: id, handle: null, name: null, followers: null, profileUrl: null, avatarUrl: null };
}

export interface PostFields {
  id: string;
  authorId: string | null;
  author: PlatformUser | null;
  inReplyTo: string | null;
  text: string | null;
  attachments: InboundAttachment[];
  sentAt: string;
  editOf: string | null;
  raw: unknown;
}

/** A reply joins the thread of the post it answers when that post is stored, else opens a thread of its own. */
export function postMessage(accountId: string, post: PostFields): MessageEvent {
  const fromAccount = post.authorId === accountId;
  return {
    kind: 'message',
    platform: Platform.TWITTER,
    accountPlatformId: accountId,
    platformMessageId: post.id,
    type: InteractionType.CONVERSATION,
    visibility: Visibility.PUBLIC,
    thread: post.inReplyTo
      ? { kind: 'reply', inReplyToPlatformId: post.inReplyTo, fallbackKey: post.id }
      : { kind: 'key', conversationKey: post.id },
    inReplyTo: post.inReplyTo,
    // Our own account is not a customer.
    author: fromAccount ? null : post.author,
    fromAccount,
    text: post.text,
    attachments: post.attachments,
    sentAt: post.sentAt,
    editOf: post.editOf,
    raw: post.raw,
  };
}

export interface DmFields {
  id: string;
  senderId: string;
  conversationKey: string;
  author: PlatformUser | null;
  text: string | null;
  attachments: InboundAttachment[];
  sentAt: string;
  raw: unknown;
}

export function dmMessage(accountId: string, dm: DmFields): MessageEvent {
  const fromAccount = dm.senderId === accountId;
  return {
    kind: 'message',
    platform: Platform.TWITTER,
    accountPlatformId: accountId,
    platformMessageId: dm.id,
    type: InteractionType.DIRECT_MESSAGE,
    visibility: Visibility.PRIVATE,
    thread: { kind: 'key', conversationKey: dm.conversationKey },
    inReplyTo: null,
    author: fromAccount ? null : (dm.author ?? bareUser(dm.senderId)),
    fromAccount,
    text: dm.text,
    attachments: dm.attachments,
    sentAt: dm.sentAt,
    editOf: null,
    raw: dm.raw,
  };
}
