import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Platform } from '@switchboard/contracts';
import { publish, queryOne, queryRows } from '@switchboard/persistence';
import type { NormalizedEvent, PlatformUser } from '@switchboard/platforms';
import { DATA_SOURCE } from '../core/tokens';
import { AccountDirectory } from './account-directory';
import { MessageRouter } from './message-router';

type MessageEvent = Extract<NormalizedEvent, { kind: 'message' }>;

/**
 * Stores webhook events durably, each platform message exactly once (unique platform id, insert-or-ignore), then hands
 * new messages to the router without waiting for it.
 */
@Injectable()
export class IngestService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly directory: AccountDirectory,
    private readonly router: MessageRouter,
  ) {}

  /** Resolves once everything is committed; the returned ids are the messages stored for the first time. */
  async store(events: NormalizedEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    const accounts = new Map((await this.directory.all()).map((a) => [`${a.platform}:${a.platformAccountId}`, a.id]));
    const created = await this.dataSource.transaction(async (manager) => {
      const ids: string[] = [];
      for (const event of events) {
        const accountId = accounts.get(`${event.platform}:${event.accountPlatformId}`);
        if (!accountId) continue;
        switch (event.kind) {
          case 'message': {
            // Our own posts and echoes of our replies are not customer messages.
            if (event.fromAccount) break;
            const id = await this.insertMessage(manager, accountId, event);
            if (id) ids.push(id);
            break;
          }
          case 'edit':
            await this.applyEdit(manager, event.platform, event.platformMessageId, event.text, event.editedAt);
            break;
          case 'delete':
            await this.applyDelete(manager, event.platform, event.platformMessageId, event.deletedAt);
            break;
        }
      }
      return ids;
    });
    this.router.routeSoon(created);
    return created;
  }

  private async conversationKey(manager: EntityManager, event: MessageEvent): Promise<string> {
    if (event.thread.kind === 'key') return event.thread.conversationKey;
    const parent = await queryOne<{ conversation_key: string }>(
      manager,
      'SELECT conversation_key FROM messages WHERE platform = $1 AND platform_message_id = $2',
      [event.platform, event.thread.inReplyToPlatformId],
    );
    return parent?.conversation_key ?? event.thread.fallbackKey;
  }

  private async upsertCustomer(manager: EntityManager, platform: Platform, user: PlatformUser): Promise<string> {
    const row = await queryOne<{ id: string }>(
      manager,
      `INSERT INTO customers (platform, platform_user_id, handle, name, followers, profile_url, avatar_url)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (platform, platform_user_id) DO UPDATE SET
         handle = COALESCE(EXCLUDED.handle, customers.handle),
         name = COALESCE(EXCLUDED.name, customers.name),
         followers = COALESCE(EXCLUDED.followers, customers.followers),
         profile_url = COALESCE(EXCLUDED.profile_url, customers.profile_url),
         avatar_url = COALESCE(EXCLUDED.avatar_url, customers.avatar_url),
         updated_at = now()
       RETURNING id`,
      [platform, user.platformUserId, user.handle, user.name, user.followers, user.profileUrl, user.avatarUrl],
    );
    return (row as { id: string }).id;
  }

  private async insertMessage(manager: EntityManager, accountId: string, event: MessageEvent): Promise<string | null> {
    const existing = await queryOne<{ id: string }>(
      manager,
      'SELECT id FROM messages WHERE platform = $1 AND platform_message_id = $2',
      [event.platform, event.platformMessageId],
    );
    if (existing) return null;
    const conversationKey = await this.conversationKey(manager, event);
    const customerId = event.author ? await this.upsertCustomer(manager, event.platform, event.author) : null;
    const inserted = await queryRows<{ id: string }>(
      manager,
      `INSERT INTO messages (platform, account_id, platform_message_id, conversation_key, direction, visibility,
                             in_reply_to, author_platform_id, customer_id, text, attachments, sent_at, raw)
       VALUES ($1, $2, $3, $4, 'inbound', $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (platform, platform_message_id) WHERE platform_message_id IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        event.platform,
        accountId,
        event.platformMessageId,
        conversationKey,
        event.visibility,
        event.inReplyTo,
        event.author?.platformUserId ?? null,
        customerId,
        event.text,
        JSON.stringify(event.attachments),
        event.sentAt,
        JSON.stringify(event.raw ?? null),
      ],
    );
    return inserted[0]?.id ?? null;
  }

  private async applyEdit(
    manager: EntityManager,
    platform: Platform,
    platformMessageId: string,
    text: string | null,
    editedAt: string,
  ): Promise<void> {
    const rows = await queryRows<{ id: string }>(
      manager,
      `UPDATE messages
          SET revisions = revisions || jsonb_build_array(jsonb_build_object('text', text, 'replacedAt', $3::text)),
              text = $4, edited_at = $3
        WHERE platform = $1 AND platform_message_id = $2 AND text IS DISTINCT FROM $4
        RETURNING id`,
      [platform, platformMessageId, editedAt, text],
    );
    for (const row of rows) await publish(manager, { kind: 'message.updated', messageId: row.id });
  }

  private async applyDelete(
    manager: EntityManager,
    platform: Platform,
    platformMessageId: string,
    deletedAt: string,
  ): Promise<void> {
    const rows = await queryRows<{ id: string }>(
      manager,
      `UPDATE messages SET deleted_at = $3 WHERE platform = $1 AND platform_message_id = $2 AND deleted_at IS NULL
        RETURNING id`,
      [platform, platformMessageId, deletedAt],
    );
    for (const row of rows) await publish(manager, { kind: 'message.updated', messageId: row.id });
  }
}
