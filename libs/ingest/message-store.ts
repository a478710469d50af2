import type { DataSource, EntityManager } from 'typeorm';
import { InteractionType, Platform } from '@switchboard/contracts';
import { openInteractionOnThread } from '@switchboard/interactions';
import { publish, queryOne, queryRows } from '@switchboard/persistence';
import type { MessageEvent, NormalizedEvent, PlatformUser } from '@switchboard/platforms';

type ChangeEvent = Exclude<NormalizedEvent, MessageEvent>;

/** What one delivery changed, for the caller's follow-up work (all of it repeatable by sweeps if the caller dies). */
export interface StoreOutcome {
  /** Customer messages stored for the first time: the router's work. */
  created: string[];
  /** Outbound messages written outside Switchboard (or echoes not matched yet), stored for the first time. */
  outbound: number;
  /** Edits, deletions and hides applied or kept for a message still to come. */
  changes: number;
  /** Interactions whose thread the customer deleted while they waited: their workflows end them as abandoned. */
  abandoned: { interactionId: string; workflowId: string }[];
  /** Messenger customers whose profile (name, picture) is worth asking the Graph API for. */
  profiles: string[];
}

/**
 * How long one delivery may hold PostgreSQL. A platform waits 5–10 s for the answer; past this the webhook answers
 * 503 and the platform retries, rather than timing out with nothing said.
 */
const STATEMENT_TIMEOUT_MS = 3_000;

/** A Messenger profile is asked for at most this often per customer (it rarely changes; the API is rate limited). */
const PROFILE_REFRESH = '1 day';

interface ParentRow {
  conversation_key: string;
  direction: 'inbound' | 'outbound';
  external: boolean;
  in_reply_to: string | null;
}

/**
 * Stores platform events durably, each platform message exactly once: a unique (platform, platform id) index with
 * insert-or-ignore, so redeliveries, concurrent deliveries and webhook-plus-poll overlaps all collapse into one row.
 * Customer messages become the router's work; the account's own words (echoes, replies written in the platform's
 * own inbox, brand posts) are recorded as outbound, in their thread, and never routed.
 */
export class MessageStore {
  constructor(private readonly dataSource: DataSource) {}

  /** `accounts`: our account id per `${platform}:${platform account id}`; events of other accounts are dropped. */
  async store(events: NormalizedEvent[], accounts: ReadonlyMap<string, string>): Promise<StoreOutcome> {
    const outcome: StoreOutcome = { created: [], outbound: 0, changes: 0, abandoned: [], profiles: [] };
    if (events.length === 0) return outcome;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL statement_timeout = ${STATEMENT_TIMEOUT_MS}`);
      for (const event of events) {
        const accountId = accounts.get(`${event.platform}:${event.accountPlatformId}`);
        if (!accountId) continue;
        if (event.kind === 'message') await this.storeMessage(manager, accountId, event, outcome);
        else if (await this.applyChange(manager, event, outcome)) outcome.changes += 1;
      }
    });
    return outcome;
  }

  private async storeMessage(
    manager: EntityManager,
    accountId: string,
    event: MessageEvent,
    outcome: StoreOutcome,
  ): Promise<void> {
    if (await this.exists(manager, event.platform, event.platformMessageId)) return;
    // An X edit is a new post naming the original: it changes the stored original instead of starting anything.
    if (event.editOf && (await this.exists(manager, event.platform, event.editOf))) {
      const edit = { kind: 'edit', text: event.text, editedAt: event.sentAt } as const;
      await this.applyChange(manager, { ...edit, ...this.target(event, event.editOf) }, outcome);
      outcome.changes += 1;
      return;
    }
    const conversationKey = await this.conversationKey(manager, event);
    const id = event.fromAccount
      ? await this.insertOutbound(manager, accountId, conversationKey, event)
      : await this.insertInbound(manager, accountId, conversationKey, event, outcome);
    if (!id) return;
    if (event.fromAccount) outcome.outbound += 1;
    else outcome.created.push(id);
    await this.applyPendingChanges(manager, event.platform, event.platformMessageId, outcome);
  }

  private target(event: MessageEvent, platformMessageId: string) {
    return {
      platform: event.platform,
      accountPlatformId: event.accountPlatformId,
      platformMessageId,
      raw: event.raw,
    };
  }

  private async exists(manager: EntityManager, platform: Platform, platformMessageId: string): Promise<boolean> {
    const row = await queryOne<{ id: string }>(
      manager,
      'SELECT id FROM messages WHERE platform = $1 AND platform_message_id = $2',
      [platform, platformMessageId],
    );
    return row !== null;
  }

  /**
   * A reply joins the thread of the message it answers when that message is a customer's, or ours inside a thread.
   * A brand's original post is not a thread: every customer answering it starts a conversation of their own.
   */
  private async conversationKey(manager: EntityManager, event: MessageEvent): Promise<string> {
    if (event.thread.kind === 'key') return event.thread.conversationKey;
    const parent = await queryOne<ParentRow>(
      manager,
      `SELECT conversation_key, direction, external, in_reply_to FROM messages
        WHERE platform = $1 AND platform_message_id = $2`,
      [event.platform, event.thread.inReplyToPlatformId],
    );
    const brandPost = parent?.direction === 'outbound' && parent.external && parent.in_reply_to === null;
    return parent && !brandPost ? parent.conversation_key : event.thread.fallbackKey;
  }

  private async upsertCustomer(
    manager: EntityManager,
    platform: Platform,
    user: PlatformUser,
  ): Promise<{ id: string; wants_profile: boolean }> {
    const row = await queryOne<{ id: string; wants_profile: boolean }>(
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
       RETURNING id, (name IS NULL AND (profile_checked_at IS NULL
                      OR profile_checked_at < now() - interval '${PROFILE_REFRESH}')) AS wants_profile`,
      [platform, user.platformUserId, user.handle, user.name, user.followers, user.profileUrl, user.avatarUrl],
    );
    return row as { id: string; wants_profile: boolean };
  }

  private async insertInbound(
    manager: EntityManager,
    accountId: string,
    conversationKey: string,
    event: MessageEvent,
    outcome: StoreOutcome,
  ): Promise<string | null> {
    const customer = event.author ? await this.upsertCustomer(manager, event.platform, event.author) : null;
    // Only a Messenger PSID has a profile the Page may read; commenters' ids are scoped differently.
    const messenger = event.platform === Platform.FACEBOOK && event.type === InteractionType.DIRECT_MESSAGE;
    if (customer?.wants_profile && messenger) outcome.profiles.push(customer.id);
    return this.insert(manager, {
      accountId,
      conversationKey,
      event,
      direction: 'inbound',
      customerId: customer?.id ?? null,
      routed: false,
    });
  }

  /**
   * The account's own words. An echo of a reply still being sent (same thread and text, no platform id yet) is that
   * reply: it gets its id when the send returns. Anything else is kept as an external outbound message and joins the
   * thread's open interaction, so the agent sees what was answered elsewhere.
   */
  private async insertOutbound(
    manager: EntityManager,
    accountId: string,
    conversationKey: string,
    event: MessageEvent,
  ): Promise<string | null> {
    const inFlight = await queryOne<{ id: string }>(
      manager,
      `SELECT id FROM messages
        WHERE platform = $1 AND conversation_key = $2 AND direction = 'outbound' AND NOT external
          AND delivery_status = 'pending' AND platform_message_id IS NULL AND text IS NOT DISTINCT FROM $3
        LIMIT 1`,
      [event.platform, conversationKey, event.text],
    );
    if (inFlight) return null;
    const open = await openInteractionOnThread(manager, event.platform, conversationKey);
    const id = await this.insert(manager, {
      accountId,
      conversationKey,
      event,
      direction: 'outbound',
      customerId: null,
      routed: true,
      interactionId: open?.id ?? null,
    });
    if (id && open) await publish(manager, { kind: 'message.created', messageId: id });
    return id;
  }

  private async insert(
    manager: EntityManager,
    row: {
      accountId: string;
      conversationKey: string;
      event: MessageEvent;
      direction: 'inbound' | 'outbound';
      customerId: string | null;
      routed: boolean;
      interactionId?: string | null;
    },
  ): Promise<string | null> {
    const { event } = row;
    const outbound = row.direction === 'outbound';
    const inserted = await queryRows<{ id: string }>(
      manager,
      `INSERT INTO messages (platform, account_id, platform_message_id, conversation_key, direction, visibility,
                             in_reply_to, author_platform_id, customer_id, text, attachments, sent_at, raw,
                             external, delivery_status, routed_at, interaction_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
               CASE WHEN $16::boolean THEN now() END, $17)
       ON CONFLICT (platform, platform_message_id) WHERE platform_message_id IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        event.platform,
        row.accountId,
        event.platformMessageId,
        row.conversationKey,
        row.direction,
        event.visibility,
        event.inReplyTo,
        outbound ? event.accountPlatformId : (event.author?.platformUserId ?? null),
        row.customerId,
        event.text,
        JSON.stringify(event.attachments),
        event.sentAt,
        JSON.stringify(event.raw ?? null),
        outbound,
        outbound ? 'sent' : null,
        row.routed,
        row.interactionId ?? null,
      ],
    );
    return inserted[0]?.id ?? null;
  }

  /** Applies an edit, deletion or hide; one for a message not stored yet waits for it. True when it was new. */
  private async applyChange(manager: EntityManager, change: ChangeEvent, outcome: StoreOutcome): Promise<boolean> {
    const rows = await this.changeRows(manager, change);
    if (rows === null) {
      const kept = await queryRows<{ id: string }>(
        manager,
        `INSERT INTO pending_changes (platform, platform_message_id, change)
         SELECT $1, $2, $3::jsonb
          WHERE NOT EXISTS (SELECT 1 FROM pending_changes WHERE platform = $1 AND platform_message_id = $2
                               AND change = $3::jsonb)
         RETURNING id`,
        [change.platform, change.platformMessageId, JSON.stringify(pendingForm(change))],
      );
      return kept.length > 0;
    }
    for (const row of rows) await publish(manager, { kind: 'message.updated', messageId: row.id });
    if (change.kind === 'delete') {
      for (const row of rows) await this.abandonIfThreadGone(manager, row.id, outcome);
    }
    return rows.length > 0;
  }

  /** The rows the change altered ([] when it was already applied), or null when the message is not stored yet. */
  private async changeRows(manager: EntityManager, change: ChangeEvent): Promise<{ id: string }[] | null> {
    const key = [change.platform, change.platformMessageId];
    let rows: { id: string }[];
    switch (change.kind) {
      case 'edit':
        rows = await queryRows(
          manager,
          `UPDATE messages
              SET revisions = revisions || jsonb_build_array(jsonb_build_object('text', text, 'replacedAt', $3::text)),
                  text = $4, edited_at = $3::timestamptz
            WHERE platform = $1 AND platform_message_id = $2 AND text IS DISTINCT FROM $4
            RETURNING id`,
          [...key, change.editedAt, change.text],
        );
        break;
      case 'delete':
        rows = await queryRows(
          manager,
          `UPDATE messages SET deleted_at = $3
            WHERE platform = $1 AND platform_message_id = $2 AND deleted_at IS NULL RETURNING id`,
          [...key, change.deletedAt],
        );
        break;
      case 'hide':
        rows = await queryRows(
          manager,
          `UPDATE messages SET hidden_at = CASE WHEN $3::boolean THEN $4::timestamptz END
            WHERE platform = $1 AND platform_message_id = $2 AND (hidden_at IS NULL) = $3::boolean RETURNING id`,
          [...key, change.hidden, change.at],
        );
        break;
    }
    if (rows.length > 0) return rows;
    return (await this.exists(manager, change.platform, change.platformMessageId)) ? [] : null;
  }

  private async applyPendingChanges(
    manager: EntityManager,
    platform: Platform,
    platformMessageId: string,
    outcome: StoreOutcome,
  ): Promise<void> {
    const pending = await queryRows<{ id: string; change: PendingChange }>(
      manager,
      `DELETE FROM pending_changes WHERE platform = $1 AND platform_message_id = $2 RETURNING id, change`,
      [platform, platformMessageId],
    );
    pending.sort((a, b) => Number(a.id) - Number(b.id));
    for (const { change } of pending) {
      await this.applyChange(manager, fromPendingForm(platform, platformMessageId, change), outcome);
    }
  }

  /**
   * A customer who deletes the post, comment or tweet that opened a conversation still waiting in queue has taken the
   * question back: the interaction ends as abandoned. One that is already connected stays with its agent, who is told.
   */
  private async abandonIfThreadGone(manager: EntityManager, messageId: string, outcome: StoreOutcome): Promise<void> {
    const row = await queryOne<{ interaction_id: string; workflow_id: string | null }>(
      manager,
      `UPDATE interactions i SET thread_deleted_at = now()
         FROM messages m
        WHERE m.id = $1 AND m.direction = 'inbound' AND i.id = m.interaction_id
          AND i.state IN ('queued', 'offered') AND i.thread_deleted_at IS NULL
          AND (m.platform_message_id = i.conversation_key
               OR NOT EXISTS (SELECT 1 FROM messages o WHERE o.interaction_id = i.id AND o.direction = 'inbound'
                                 AND o.deleted_at IS NULL))
        RETURNING i.id AS interaction_id, i.workflow_id`,
      [messageId],
    );
    if (row?.workflow_id) outcome.abandoned.push({ interactionId: row.interaction_id, workflowId: row.workflow_id });
  }
}

type PendingChange =
  | { kind: 'edit'; text: string | null; at: string }
  | { kind: 'delete'; at: string }
  | { kind: 'hide'; hidden: boolean; at: string };

function pendingForm(change: ChangeEvent): PendingChange {
  switch (change.kind) {
    case 'edit':
      return { kind: 'edit', text: change.text, at: change.editedAt };
    case 'delete':
      return { kind: 'delete', at: change.deletedAt };
    case 'hide':
      return { kind: 'hide', hidden: change.hidden, at: change.at };
  }
}

function fromPendingForm(platform: Platform, platformMessageId: string, change: PendingChange): ChangeEvent {
  const base = { platform, accountPlatformId: '', platformMessageId, raw: null };
  switch (change.kind) {
    case 'edit':
      return { ...base, kind: 'edit', text: change.text, editedAt: change.at };
    case 'delete':
      return { ...base, kind: 'delete', deletedAt: change.at };
    case 'hide':
      return { ...base, kind: 'hide', hidden: change.hidden, at: change.at };
  }
}
