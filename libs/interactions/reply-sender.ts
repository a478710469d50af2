import type { DataSource } from 'typeorm';
import { DeliveryStatus, InteractionType, Platform, Visibility } from '@switchboard/contracts';
import {
  pgErrorCode,
  publish,
  queryOne,
  queryRows,
  type FacebookCredentials,
  type SecretBox,
  type TwitterAccountCredentials,
} from '@switchboard/persistence';
import {
  PlatformErrorCode,
  type FacebookGraphClient,
  type PlatformError,
  type SendResult,
  type TwitterClient,
} from '@switchboard/platforms';
import { repliesSent } from '@switchboard/observability';
import { isPendingPrivateReply, MESSENGER_STANDARD_WINDOW_MS } from './reply-rules';
import { latestInboundMessage, openInteractionOnThread } from './threads';

/** Thrown for a failure worth another try (rate limit, network): the activity turns it into a Temporal retry. */
export class RetryableSendError extends Error {
  constructor(readonly error: PlatformError) {
    super(`${error.code}: ${error.message}`);
  }
}

interface OutboundRow {
  id: string;
  interaction_id: string;
  delivery_status: DeliveryStatus | null;
  text: string | null;
  visibility: Visibility;
  in_reply_to: string | null;
  conversation_key: string;
  platform: Platform;
  type: InteractionType;
  account_id: string;
  platform_account_id: string;
  credentials_ciphertext: string;
  customer_platform_user_id: string | null;
}

/** Sends an agent's reply through the platform and records the outcome on the message. */
export class ReplySender {
  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
    private readonly facebook: FacebookGraphClient,
    private readonly twitter: TwitterClient,
    /** Whether the Pages' app holds Meta's Human Agent permission (`MESSENGER_HUMAN_AGENT`): tag answers after 24 h. */
    private readonly humanAgentTag = true,
  ) {}

  /** `finalAttempt`: a retryable failure is recorded as failed instead of thrown. */
  async send(messageId: string, finalAttempt: boolean): Promise<DeliveryStatus> {
    const row = await queryOne<OutboundRow>(
      this.dataSource,
      `SELECT m.id, m.interaction_id, m.delivery_status, m.text, m.visibility, m.in_reply_to, m.conversation_key,
              m.platform, i.type, m.account_id,
              a.platform_account_id, a.credentials_ciphertext, c.platform_user_id AS customer_platform_user_id
         FROM messages m
         JOIN interactions i ON i.id = m.interaction_id
         JOIN accounts a ON a.id = m.account_id
         LEFT JOIN customers c ON c.id = i.customer_id
        WHERE m.id = $1 AND m.direction = 'outbound'`,
      [messageId],
    );
    if (!row) throw new Error(`outbound message ${messageId} does not exist`);
    if (row.delivery_status !== DeliveryStatus.PENDING) return row.delivery_status ?? DeliveryStatus.SENT;

    const result = await this.deliver(row);
    if (!result.ok && result.error.retryable && !finalAttempt) throw new RetryableSendError(result.error);
    return this.record(row.id, result);
  }

  private async deliver(row: OutboundRow): Promise<SendResult> {
    const text = row.text ?? '';
    if (row.platform === Platform.FACEBOOK) {
      const credentials = this.secrets.openJson<FacebookCredentials>(row.credentials_ciphertext);
      if (row.type === InteractionType.CONVERSATION && row.visibility === Visibility.PUBLIC) {
        // The thread key is the top-level comment (or the visitor post): replies hang under it.
        return this.facebook.replyToObject({
          objectId: row.conversation_key,
          text,
          accessToken: credentials.pageAccessToken,
        });
      }
      if (isPendingPrivateReply(row.conversation_key) && row.in_reply_to) {
        // The first message of a thread escalated from a comment: a private reply to that comment, which tells us the
        // customer's Messenger id, and so the thread's real key.
        const result = await this.facebook.sendMessage({
          pageId: row.platform_account_id,
          recipient: { comment_id: row.in_reply_to },
          text,
          accessToken: credentials.pageAccessToken,
        });
        if (result.ok && result.recipientId) await this.rekey(row, `${row.platform_account_id}-${result.recipientId}`);
        return result;
      }
      const psid = messengerRecipient(row);
      if (!psid) return permanentFailure('the Messenger thread has no customer');
      return this.facebook.sendMessage({
        pageId: row.platform_account_id,
        recipient: { id: psid },
        text,
        accessToken: credentials.pageAccessToken,
        humanAgentTag: this.humanAgentTag && (await this.outsideStandardWindow(row)),
      });
    }
    const credentials = this.secrets.openJson<TwitterAccountCredentials>(row.credentials_ciphertext);
    if (row.type === InteractionType.CONVERSATION && row.visibility === Visibility.PUBLIC) {
      const target = await this.latestCustomerPost(row);
      if (!target) return permanentFailure('the thread has no customer post to reply to');
      return this.twitter.reply({ credentials, text, inReplyToTweetId: target });
    }
    const participant = row.customer_platform_user_id;
    if (!participant) return permanentFailure('the DM thread has no customer');
    return this.twitter.sendDirectMessage({ credentials, participantId: participant, text });
  }

  /** Moves an escalated thread to its Messenger key, unless another open interaction already owns that key. */
  private async rekey(row: OutboundRow, conversationKey: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (await openInteractionOnThread(manager, row.account_id, conversationKey)) return;
      await manager.query('UPDATE interactions SET conversation_key = $2 WHERE id = $1', [
        row.interaction_id,
        conversationKey,
      ]);
      await manager.query('UPDATE messages SET conversation_key = $3 WHERE account_id = $1 AND conversation_key = $2', [
        row.account_id,
        row.conversation_key,
        conversationKey,
      ]);
    });
  }

  private async latestCustomerPost(row: OutboundRow): Promise<string | null> {
    const latest = await latestInboundMessage(this.dataSource, row.account_id, row.conversation_key, {
      replyable: true,
    });
    return latest?.platform_message_id ?? null;
  }

  private async outsideStandardWindow(row: OutboundRow): Promise<boolean> {
    const last = await latestInboundMessage(this.dataSource, row.account_id, row.conversation_key);
    return !last || Date.now() - new Date(last.sent_at).getTime() > MESSENGER_STANDARD_WINDOW_MS;
  }

  /** For a reply whose sending failed in an unforeseen way: the agent sees it failed instead of pending forever. */
  async markFailed(messageId: string, message: string): Promise<DeliveryStatus> {
    return this.record(messageId, {
      ok: false,
      error: { code: PlatformErrorCode.UNKNOWN, retryable: false, message, retryAt: null, platformBody: null },
    });
  }

  private async record(messageId: string, result: SendResult): Promise<DeliveryStatus> {
    try {
      return await this.recordOnce(messageId, result);
    } catch (error) {
      // The platform's echo of this reply was being stored at the same moment and now holds the id: it gives way on
      // the second try. The send itself succeeded and must never be repeated because its bookkeeping failed.
      if (pgErrorCode(error) !== UNIQUE_VIOLATION) throw error;
      return this.recordOnce(messageId, result);
    }
  }

  private async recordOnce(messageId: string, result: SendResult): Promise<DeliveryStatus> {
    const recorded = await this.dataSource.transaction(async (manager) => {
      let changed: { platform: Platform }[];
      if (result.ok) {
        // The platform's echo of this reply may have been stored first, as an outbound message of unknown origin:
        // this reply is that message, so the echo's row gives way (the id is unique).
        await manager.query(
          `DELETE FROM messages e USING messages m
            WHERE m.id = $1 AND e.account_id = m.account_id AND e.platform_message_id = $2 AND e.external
              AND e.id <> $1`,
          [messageId, result.platformMessageId],
        );
        changed = await queryRows<{ platform: Platform }>(
          manager,
          `UPDATE messages SET delivery_status = 'sent', platform_message_id = $2, delivery_error = NULL
            WHERE id = $1 AND delivery_status IS DISTINCT FROM 'sent' RETURNING platform`,
          [messageId, result.platformMessageId],
        );
      } else {
        const error = { code: result.error.code, message: result.error.message, platform: result.error.platformBody };
        changed = await queryRows<{ platform: Platform }>(
          manager,
          `UPDATE messages SET delivery_status = 'failed', delivery_error = $2
            WHERE id = $1 AND delivery_status = 'pending' RETURNING platform`,
          [messageId, JSON.stringify(error)],
        );
      }
      await publish(manager, { kind: 'message.updated', messageId });
      return changed[0]?.platform ?? null;
    });
    const status = result.ok ? DeliveryStatus.SENT : DeliveryStatus.FAILED;
    if (recorded) repliesSent.inc({ platform: recorded, status });
    return status;
  }
}

const UNIQUE_VIOLATION = '23505';

/** The PSID of a Messenger thread is the second half of its key (`<page id>-<psid>`). */
function messengerRecipient(row: OutboundRow): string | null {
  const prefix = `${row.platform_account_id}-`;
  return row.conversation_key.startsWith(prefix)
    ? row.conversation_key.slice(prefix.length)
    : row.customer_platform_user_id;
}

function permanentFailure(message: string): SendResult {
  return {
    ok: false,
    error: { code: PlatformErrorCode.INVALID_REQUEST, retryable: false, message, retryAt: null, platformBody: null },
  };
}
