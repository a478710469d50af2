import { InteractionType, Platform, Visibility } from '@switchboard/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { queryOne, queryRows } from '@switchboard/persistence';
import { latestInboundMessage } from './threads';

const HOUR_MS = 60 * 60 * 1000;
/** Meta's standard messaging window: a plain response within 24 h of the customer's last message. */
export const MESSENGER_STANDARD_WINDOW_MS = 24 * HOUR_MS;
/** After it, a human agent may still answer with the `HUMAN_AGENT` tag, up to 7 days after that message. */
export const MESSENGER_HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR_MS;
/** A private reply to a comment or visitor post: one, within 7 days of it. */
export const PRIVATE_REPLY_WINDOW_MS = 7 * 24 * HOUR_MS;
/** Meta's limit on a Messenger message's text. */
export const MESSENGER_TEXT_LIMIT = 2000;

/** What the platform's rules depend on, read from the thread just before a reply is stored. */
export interface ReplyFacts {
  platform: Platform;
  type: InteractionType;
  visibility: Visibility;
  textLength: number;
  now: number;
  /** When the customer last wrote on this thread (the platform's time), if ever. */
  lastInboundAt: number | null;
  /** How long after that Messenger takes an answer: 7 days with the Human Agent permission, else 24 hours. */
  messengerWindowMs: number;
  /** A Messenger thread opened by our private reply, which the customer has not answered yet. */
  awaitingCustomerAnswer: boolean;
  /**
   * The comment a private reply answers: on a public thread the customer's latest; on a Messenger thread our private
   * reply opened, that comment again when every private reply to it failed (the next message is that reply again).
   */
  privateTarget: { id: string; at: number; earlierPrivateReplies: number } | null;
  /** For a public reply: whether the post or comment it goes under still exists. */
  publicTargetExists: boolean;
}

export type ReplyRule =
  | 'messenger-window'
  | 'awaiting-customer'
  | 'private-reply-used'
  | 'private-reply-expired'
  | 'nothing-to-answer'
  | 'too-long';

export interface ReplyRefusal {
  rule: ReplyRule;
  reason: string;
}

const when = (at: number) => new Date(at).toISOString();

/**
 * Whether the platform would refuse this reply, and why, in the agent's words: Messenger's windows and its one private
 * reply per comment, and a thread whose post is gone. Null when it may go.
 */
export function judgeReply(f: ReplyFacts): ReplyRefusal | null {
  if (f.visibility === Visibility.PUBLIC) {
    return f.publicTargetExists
      ? null
      : {
          rule: 'nothing-to-answer',
          reason: 'the post or comment this thread answers was deleted: nothing to reply under',
        };
  }
  if (f.platform !== Platform.FACEBOOK) return null;
  if (f.textLength > MESSENGER_TEXT_LIMIT) {
    return { rule: 'too-long', reason: `Messenger takes at most ${MESSENGER_TEXT_LIMIT} characters` };
  }
  if (f.privateTarget) {
    // A private reply to the customer's comment (on a public thread it escalates to Messenger).
    if (f.privateTarget.earlierPrivateReplies > 0) {
      return {
        rule: 'private-reply-used',
        reason:
          'this comment already had its private reply: Meta allows one per comment; wait for the customer to write',
      };
    }
    if (f.now - f.privateTarget.at > PRIVATE_REPLY_WINDOW_MS) {
      return {
        rule: 'private-reply-expired',
        reason: `the comment was written on ${when(f.privateTarget.at)}: Meta allows a private reply within 7 days`,
      };
    }
    return null;
  }
  // No comment to answer on a public thread: the escalation itself says so (409).
  if (f.type === InteractionType.CONVERSATION) return null;
  if (f.awaitingCustomerAnswer) {
    return {
      rule: 'awaiting-customer',
      reason: 'the private reply opened this conversation: Messenger allows the next message once the customer answers',
    };
  }
  if (f.lastInboundAt === null || f.now - f.lastInboundAt > f.messengerWindowMs) {
    const allowed =
      f.messengerWindowMs > MESSENGER_STANDARD_WINDOW_MS
        ? 'up to 7 days after (24 hours, then with the human agent tag)'
        : 'up to 24 hours after (this app has no human agent permission)';
    return {
      rule: 'messenger-window',
      reason:
        f.lastInboundAt === null
          ? 'the customer has not written on Messenger: Meta allows an answer only after they do'
          : `the Messenger window is closed: the customer last wrote on ${when(f.lastInboundAt)}, and Meta allows ` +
            `answers ${allowed}`,
    };
  }
  return null;
}

type Executor = DataSource | EntityManager;

/** Until when a private answer may still go (Messenger's 7 days from the customer's last message, or from the comment). */
export function privateReplyUntil(f: ThreadFacts): number | null {
  if (f.platform !== Platform.FACEBOOK) return null;
  if (f.privateTarget) return f.privateTarget.at + PRIVATE_REPLY_WINDOW_MS;
  if (f.type === InteractionType.CONVERSATION) return null;
  return f.lastInboundAt === null ? null : f.lastInboundAt + f.messengerWindowMs;
}

/** What `judgeReply` needs of the thread, whichever way the reply goes (`visibility` and `textLength` are the reply's). */
export type ThreadFacts = Omit<ReplyFacts, 'visibility' | 'textLength'>;

/** The thread's facts for `judgeReply`, from PostgreSQL: one reading serves a public and a private answer alike. */
export async function replyFacts(
  executor: Executor,
  interaction: { platform: Platform; type: InteractionType; account_id: string; conversation_key: string },
  options: { humanAgentTag: boolean },
): Promise<ThreadFacts> {
  const { account_id: accountId, conversation_key: key } = interaction;
  const [latest, latestReplyable] = await Promise.all([
    latestInboundMessage(executor, accountId, key),
    latestInboundMessage(executor, accountId, key, { replyable: true }),
  ]);
  const facts: ThreadFacts = {
    platform: interaction.platform,
    type: interaction.type,
    now: Date.now(),
    lastInboundAt: latest ? new Date(latest.sent_at).getTime() : null,
    messengerWindowMs: options.humanAgentTag ? MESSENGER_HUMAN_AGENT_WINDOW_MS : MESSENGER_STANDARD_WINDOW_MS,
    awaitingCustomerAnswer: false,
    privateTarget: null,
    publicTargetExists: latestReplyable !== null,
  };
  const facebook = interaction.platform === Platform.FACEBOOK;
  if (interaction.type === InteractionType.CONVERSATION) {
    if (!facebook) return facts;
    // Public replies go under the thread's root (the top-level comment or the visitor post); a private one answers
    // the customer's latest comment, once.
    const [root, earlier] = await Promise.all([
      queryOne<{ deleted: boolean }>(
        executor,
        `SELECT deleted_at IS NOT NULL AS deleted FROM messages
          WHERE account_id = $1 AND platform_message_id = $2 AND direction = 'inbound'`,
        [accountId, key],
      ),
      latestReplyable?.platform_message_id
        ? queryOne<{ n: number }>(
            executor,
            `SELECT count(*)::int AS n FROM messages
              WHERE account_id = $1 AND in_reply_to = $2 AND direction = 'outbound' AND visibility = 'private'
                AND delivery_status IS DISTINCT FROM 'failed'`,
            [accountId, latestReplyable.platform_message_id],
          )
        : null,
    ]);
    if (root) facts.publicTargetExists = !root.deleted;
    if (latestReplyable?.platform_message_id) {
      facts.privateTarget = {
        id: latestReplyable.platform_message_id,
        at: new Date(latestReplyable.sent_at).getTime(),
        earlierPrivateReplies: earlier?.n ?? 0,
      };
    }
    return facts;
  }
  if (!facebook || latest) return facts;
  // No message of the customer's yet: a thread our private reply to a comment opened (still keyed by the comment until
  // Meta names their Messenger id). Once that reply went, the next message waits for their answer; if it failed, the
  // next message is that private reply again, under the comment's rules.
  const openers = await queryRows<{ in_reply_to: string; failed: boolean }>(
    executor,
    `SELECT in_reply_to, delivery_status = 'failed' AS failed FROM messages
      WHERE account_id = $1 AND conversation_key = $2 AND direction = 'outbound' AND in_reply_to IS NOT NULL
      ORDER BY sent_at`,
    [accountId, key],
  );
  if (openers.some((o) => !o.failed)) facts.awaitingCustomerAnswer = true;
  else if (openers[0] && isPendingPrivateReply(key)) {
    const comment = await queryOne<{ sent_at: Date }>(
      executor,
      `SELECT sent_at FROM messages WHERE account_id = $1 AND platform_message_id = $2 AND direction = 'inbound'`,
      [accountId, openers[0].in_reply_to],
    );
    facts.privateTarget = {
      id: openers[0].in_reply_to,
      at: comment ? new Date(comment.sent_at).getTime() : facts.now,
      earlierPrivateReplies: 0,
    };
  }
  return facts;
}

/** The provisional key of a Messenger thread opened by a private reply to a comment, before Meta names the PSID. */
export function pendingPrivateReplyKey(pageId: string, commentId: string): string {
  return `${pageId}-comment-${commentId}`;
}

export function isPendingPrivateReply(conversationKey: string): boolean {
  return conversationKey.includes('-comment-');
}
