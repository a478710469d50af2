import type { InteractionType, Platform, Visibility } from '@switchboard/contracts';

/** A platform user as much as the payload tells; the ingest upserts it as a customer. */
export interface PlatformUser {
  platformUserId: string;
  handle: string | null;
  name: string | null;
  followers: number | null;
  profileUrl: string | null;
  avatarUrl: string | null;
}

export interface InboundAttachment {
  type: string;
  url: string | null;
}

/**
 * How the ingest finds the thread a message belongs to. Facebook and DMs name it from the payload alone; an X reply
 * joins the thread of the post it answers when that post is stored, else it opens a thread of its own.
 */
export type ThreadRef =
  { kind: 'key'; conversationKey: string } | { kind: 'reply'; inReplyToPlatformId: string; fallbackKey: string };

/**
 * One platform event, parsed and normalised; the parsers are pure functions from the raw payload to these.
 *
 * - `message`: a new post, comment, tweet or direct message. `fromAccount` marks our own account's words (an echo of a
 *   reply we sent, a reply a human wrote in the platform's own inbox, a brand post): the ingest records those as
 *   outbound messages, never as customer messages.
 * - `edit` / `delete`: the platform changed or removed a message we may have stored.
 * - `hide`: a Page moderator hid (or unhid) a comment.
 */
export type NormalizedEvent =
  | {
      kind: 'message';
      platform: Platform;
      /** Page id or X user id of our account the event was delivered for. */
      accountPlatformId: string;
      platformMessageId: string;
      type: InteractionType;
      visibility: Visibility;
      thread: ThreadRef;
      /** Platform id of the message this one answers, if any. */
      inReplyTo: string | null;
      author: PlatformUser | null;
      /** True when our own account wrote it (an echo of what we sent, or a post by the brand itself). */
      fromAccount: boolean;
      text: string | null;
      attachments: InboundAttachment[];
      sentAt: string;
      /**
       * X publishes an edit as a new post whose edit history starts with the original: the original's id. The ingest
       * then applies it as an edit of the stored original (keeping the earlier text) instead of a new message.
       */
      editOf: string | null;
      raw: unknown;
    }
  | {
      kind: 'edit';
      platform: Platform;
      accountPlatformId: string;
      platformMessageId: string;
      text: string | null;
      editedAt: string;
      raw: unknown;
    }
  | {
      kind: 'delete';
      platform: Platform;
      accountPlatformId: string;
      platformMessageId: string;
      deletedAt: string;
      raw: unknown;
    }
  | {
      kind: 'hide';
      platform: Platform;
      accountPlatformId: string;
      platformMessageId: string;
      hidden: boolean;
      at: string;
      raw: unknown;
    };

export type MessageEvent = Extract<NormalizedEvent, { kind: 'message' }>;

/** What a send returns: the platform's id of the new message, or a coded failure. */
export type SendResult = { ok: true; platformMessageId: string } | { ok: false; error: PlatformError };

export enum PlatformErrorCode {
  RATE_LIMITED = 'RATE_LIMITED',
  TOKEN_EXPIRED = 'TOKEN_EXPIRED',
  WINDOW_CLOSED = 'WINDOW_CLOSED',
  REPLY_NOT_ALLOWED = 'REPLY_NOT_ALLOWED',
  RECIPIENT_UNAVAILABLE = 'RECIPIENT_UNAVAILABLE',
  DUPLICATE = 'DUPLICATE',
  INVALID_REQUEST = 'INVALID_REQUEST',
  PERMISSION_DENIED = 'PERMISSION_DENIED',
  TRANSIENT = 'TRANSIENT',
  UNKNOWN = 'UNKNOWN',
}

export interface PlatformError {
  code: PlatformErrorCode;
  /** Permanent errors are not retried; the reply is marked failed with this message. */
  retryable: boolean;
  message: string;
  /** When a rate limit resets, if the platform said. */
  retryAt: string | null;
  /** The platform's own error body, for the agent and the logs. */
  platformBody: unknown;
}
