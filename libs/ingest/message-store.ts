import type { DataSource, EntityManager } from 'typeorm';
import { BUS_CHANNEL, InteractionType, interactionTypeOf, Platform } from '@switchboard/contracts';
import { openInteractionOnThread } from '@switchboard/interactions';
import { queryOne, queryRows } from '@switchboard/persistence';
import { hasWellFormedIds, type MessageEvent, type NormalizedEvent } from '@switchboard/platforms';
import type { RouteHint } from './message-router';

type ChangeEvent = Exclude<NormalizedEvent, MessageEvent>;

/** What one delivery changed, for the caller's follow-up work (all of it repeatable by sweeps if the caller dies). */
export interface StoreOutcome {
  /** Customer messages stored for the first time: the router's work. */
  created: RouteHint[];
  /** Outbound messages written outside Switchboard (or echoes not matched yet), stored for the first time. */
  outbound: number;
  /** Edits, deletions and hides applied or kept for a message still to come. */
  changes: number;
  /** Interactions whose thread the customer deleted while they waited: their workflows end them as abandoned. */
  abandoned: { interactionId: string; workflowId: string }[];
  /** Messenger customers whose profile (name, picture) is worth asking the Graph API for. */
  profiles: string[];
  /** The deadline came before every event was stored: the delivery must be refused, the platform will retry it. */
  incomplete?: boolean;
}

const emptyOutcome = (): StoreOutcome => ({ created: [], outbound: 0, changes: 0, abandoned: [], profiles: [] });

/** A Messenger profile is asked for at most this often per customer (it rarely changes; the API is rate limited). */
const PROFILE_REFRESH = '1 day';

type PendingChange =
  | { kind: 'edit'; text: string | null; at: string }
  | { kind: 'delete'; at: string }
  | { kind: 'hide'; hidden: boolean; at: string };

/**
 * The thread of a message: a reply joins the thread of the message it answers when that message is a customer's, or
 * ours inside a thread; a brand's original post is not a thread (every customer answering it starts a conversation
 * of their own). Only the account's own messages are looked at: a signature proves nothing about other accounts.
 * Placeholders: the account, the parent's platform id (null: none), the key when there is no such parent.
 */
const threadCte = (account: string, parentId: string, fallbackKey: string) => `
  parent AS (
    SELECT conversation_key, (direction = 'outbound' AND external AND in_reply_to IS NULL) AS brand_post
      FROM messages WHERE account_id = ${account}::uuid AND platform_message_id = ${parentId}::text
  ),
  thread AS (SELECT COALESCE((SELECT conversation_key FROM parent WHERE NOT brand_post), ${fallbackKey}::text) AS key)`;

/**
 * A customer's message in one statement: thread, customer upsert, insert-or-ignore. It is atomic on its own, and one
 * round trip is what lets a gateway take hundreds of webhooks a second. Changes that arrived before it are applied
 * right after, in a transaction of their own (a later snapshot, so none kept meanwhile is missed).
 */
const INSERT_INBOUND = `
  WITH ${threadCte('$4', '$2', '$3')},
  customer AS (
    INSERT INTO customers (platform, platform_user_id, handle, name, followers, profile_url, avatar_url)
    SELECT $1::text, $9::text, $10::text, $11::text, $12::integer, $13::text, $14::text WHERE $9::text IS NOT NULL
    ON CONFLICT (platform, platform_user_id) DO UPDATE SET
      handle = COALESCE(EXCLUDED.handle, customers.handle),
      name = COALESCE(EXCLUDED.name, customers.name),
      followers = COALESCE(EXCLUDED.followers, customers.followers),
      profile_url = COALESCE(EXCLUDED.profile_url, customers.profile_url),
      avatar_url = COALESCE(EXCLUDED.avatar_url, customers.avatar_url),
      updated_at = now()
    RETURNING id, (name IS NULL AND (profile_checked_at IS NULL
                   OR profile_checked_at < now() - interval '${PROFILE_REFRESH}')) AS wants_profile
  ),
  inserted AS (
    INSERT INTO messages (platform, account_id, platform_message_id, conversation_key, direction, visibility,
                          in_reply_to, author_platform_id, customer_id, text, attachments, sent_at, raw)
    SELECT $1::text, $4::uuid, $5::text, (SELECT key FROM thread), 'inbound', $6::text, $7::text, $9::text,
           (SELECT id FROM customer), $8::text, $15::jsonb, $16::timestamptz, $17::jsonb
    ON CONFLICT (account_id, platform_message_id) WHERE platform_message_id IS NOT NULL DO NOTHING
    RETURNING id
  )
  SELECT (SELECT id FROM inserted) AS id, (SELECT key FROM thread) AS conversation_key,
         (SELECT id FROM customer) AS customer_id,
         COALESCE((SELECT wants_profile FROM customer), false) AS wants_profile,
         EXISTS (SELECT 1 FROM pending_changes WHERE account_id = $4 AND platform_message_id = $5) AS has_pending`;

/** An edit, deletion or hide, with the NOTIFY that tells the agent, in one statement. $1 account, $2 platform id. */
const CHANGES: Record<PendingChange['kind'], string> = {
  edit: `UPDATE messages
            SET revisions = revisions || jsonb_build_array(jsonb_build_object('text', text, 'replacedAt', $3::text)),
                text = $4, edited_at = $3::timestamptz
          WHERE account_id = $1 AND platform_message_id = $2 AND text IS DISTINCT FROM $4
            AND (edited_at IS NULL OR edited_at <= $3::timestamptz)
          RETURNING id`,
  delete: `UPDATE messages SET deleted_at = $3::timestamptz
            WHERE account_id = $1 AND platform_message_id = $2 AND deleted_at IS NULL
            RETURNING id`,
  hide: `UPDATE messages SET hidden_at = CASE WHEN $4::boolean THEN $3::timestamptz END,
                              hidden_changed_at = $3::timestamptz
          WHERE account_id = $1 AND platform_message_id = $2 AND (hidden_at IS NULL) = $4::boolean
            AND (hidden_changed_at IS NULL OR hidden_changed_at <= $3::timestamptz)
          RETURNING id`,
};

const notifying = (update: string) => `
  WITH changed AS (${update})
  SELECT id, pg_notify('${BUS_CHANNEL}', json_build_object('kind', 'message.updated', 'messageId', id)::text)
    FROM changed`;

/**
 * Stores platform events durably, each platform message exactly once per account: a unique (account, platform id)
 * index with insert-or-ignore, so redeliveries, concurrent deliveries and webhook-plus-poll overlaps all collapse into
 * one row. Everything an event does stays inside the account it was delivered for (the one whose secret signed it):
 * the edits, deletions and hides it applies, the thread it joins, the interaction it opens or joins.
 * Customer messages become the router's work; the account's own words (echoes, replies written in the platform's
 * own inbox, brand posts) are recorded as outbound, in their thread, and never routed.
 *
 * Each event is stored by its own atomic statements: a batch need not be all-or-nothing, since the platform retries a
 * failed delivery whole and what was stored is recognised.
 */
export class MessageStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * `accounts`: our account id per `${platform}:${platform account id}`; events of other accounts are dropped, and so
   * are events whose ids are not of the platform's form.
   */
  async store(
    events: NormalizedEvent[],
    accounts: ReadonlyMap<string, string>,
    deadlineAt = Number.POSITIVE_INFINITY,
  ): Promise<StoreOutcome> {
    const outcome = emptyOutcome();
    for (const event of events) {
      if (Date.now() > deadlineAt) {
        outcome.incomplete = true;
        break;
      }
      const accountId = accounts.get(`${event.platform}:${event.accountPlatformId}`);
      if (!accountId || !hasWellFormedIds(event)) continue;
      if (event.kind === 'message') {
        // Another of our accounts speaking in this account's thread is the brand, not a customer.
        const author = event.author?.platformUserId;
        const ours = !event.fromAccount && author !== undefined && accounts.has(`${event.platform}:${author}`);
        await this.storeMessage(accountId, ours ? { ...event, fromAccount: true } : event, outcome);
      } else if (await this.applyChange(accountId, event.platformMessageId, pendingForm(event), outcome)) {
        outcome.changes += 1;
      }
    }
    return outcome;
  }

  private async storeMessage(accountId: string, event: MessageEvent, outcome: StoreOutcome): Promise<void> {
    // An X edit is a new post naming the original: it changes the stored original instead of starting anything.
    if (event.editOf && (await this.exists(accountId, event.editOf))) {
      const edit = { kind: 'edit', text: event.text, at: event.sentAt } as const;
      if (await this.applyChange(accountId, event.editOf, edit, outcome)) outcome.changes += 1;
      return;
    }
    if (event.fromAccount) {
      if (await this.insertOutbound(accountId, event)) outcome.outbound += 1;
      return;
    }
    const author = event.author;
    const thread = event.thread;
    const row = await queryOne<{
      id: string | null;
      conversation_key: string;
      customer_id: string | null;
      wants_profile: boolean;
      has_pending: boolean;
    }>(this.dataSource, INSERT_INBOUND, [
      event.platform,
      thread.kind === 'reply' ? thread.inReplyToPlatformId : null,
      thread.kind === 'reply' ? thread.fallbackKey : thread.conversationKey,
      accountId,
      event.platformMessageId,
      event.visibility,
      event.inReplyTo,
      event.text,
      author?.platformUserId ?? null,
      author?.handle ?? null,
      author?.name ?? null,
      author?.followers ?? null,
      author?.profileUrl ?? null,
      author?.avatarUrl ?? null,
      JSON.stringify(event.attachments),
      event.sentAt,
      JSON.stringify(event.raw ?? null),
    ]);
    if (!row?.id) return;
    outcome.created.push({
      id: row.id,
      accountId,
      platform: event.platform,
      conversationKey: row.conversation_key,
      text: event.text,
      type: interactionTypeOf(event.visibility),
    });
    // Only a Messenger PSID has a profile the Page may read; commenters' ids are scoped differently.
    const messenger = event.platform === Platform.FACEBOOK && event.type === InteractionType.DIRECT_MESSAGE;
    if (row.wants_profile && messenger && row.customer_id) outcome.profiles.push(row.customer_id);
    // A change kept while this statement ran is not seen here; its sender re-checks, and the sweep is the last net.
    if (row.has_pending) await this.applyPending(accountId, event.platformMessageId, outcome);
  }

  /**
   * Applies, in one transaction, the changes kept for a message now stored: a crash rolls the claim back and the
   * sweep applies them later. Oldest first, by the platform's time.
   */
  private async applyPending(accountId: string, platformMessageId: string, outcome: StoreOutcome): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const pending = await queryRows<{ change: PendingChange }>(
        manager,
        `DELETE FROM pending_changes WHERE account_id = $1 AND platform_message_id = $2 RETURNING change`,
        [accountId, platformMessageId],
      );
      pending.sort((a, b) => Date.parse(a.change.at) - Date.parse(b.change.at));
      for (const { change } of pending) await this.change(manager, accountId, platformMessageId, change, outcome);
    });
  }

  /**
   * The safety net for kept changes: applies those whose message has arrived (a crash between storing it and applying
   * them) and forgets, after a week, those whose message never came (a deletion of a post we never stored).
   */
  async sweepPending(): Promise<number> {
    await queryRows(this.dataSource, `DELETE FROM pending_changes WHERE received_at < now() - interval '7 days'`);
    const due = await queryRows<{ account_id: string; platform_message_id: string }>(
      this.dataSource,
      `SELECT DISTINCT p.account_id, p.platform_message_id FROM pending_changes p
         JOIN messages m ON m.account_id = p.account_id AND m.platform_message_id = p.platform_message_id
        LIMIT 100`,
    );
    const outcome = emptyOutcome();
    for (const row of due) await this.applyPending(row.account_id, row.platform_message_id, outcome);
    return due.length;
  }

  private async exists(accountId: string, platformMessageId: string): Promise<boolean> {
    const row = await queryOne<{ id: string }>(
      this.dataSource,
      'SELECT id FROM messages WHERE account_id = $1 AND platform_message_id = $2',
      [accountId, platformMessageId],
    );
    return row !== null;
  }

  /**
   * The account's own words. An echo of a reply still being sent (same thread and text, no platform id yet) is that
   * reply: it gets its id when the send returns. Anything else is kept as an external outbound message and joins the
   * thread's open interaction, so the agent sees what was answered elsewhere.
   */
  private async insertOutbound(accountId: string, event: MessageEvent): Promise<boolean> {
    if (await this.exists(accountId, event.platformMessageId)) return false;
    const thread = event.thread;
    const keyRow = await queryOne<{ key: string }>(
      this.dataSource,
      `WITH ${threadCte('$1', '$2', '$3')} SELECT key FROM thread`,
      [
        accountId,
        thread.kind === 'reply' ? thread.inReplyToPlatformId : null,
        thread.kind === 'reply' ? thread.fallbackKey : thread.conversationKey,
      ],
    );
    const conversationKey = (keyRow as { key: string }).key;
    return this.dataSource.transaction(async (manager) => {
      const inFlight = await queryOne<{ id: string }>(
        manager,
        `SELECT id FROM messages
          WHERE account_id = $1 AND conversation_key = $2 AND direction = 'outbound' AND NOT external
            AND delivery_status = 'pending' AND platform_message_id IS NULL AND text IS NOT DISTINCT FROM $3
          LIMIT 1`,
        [accountId, conversationKey, event.text],
      );
      if (inFlight) return false;
      const open = await openInteractionOnThread(manager, accountId, conversationKey);
      const inserted = await queryRows<{ id: string }>(
        manager,
        `INSERT INTO messages (platform, account_id, platform_message_id, conversation_key, direction, visibility,
                               in_reply_to, author_platform_id, text, attachments, sent_at, raw, external,
                               delivery_status, routed_at, interaction_id)
         VALUES ($1, $2, $3, $4, 'outbound', $5, $6, $7, $8, $9, $10, $11, true, 'sent', now(), $12)
         ON CONFLICT (account_id, platform_message_id) WHERE platform_message_id IS NOT NULL DO NOTHING
         RETURNING id`,
        [
          event.platform,
          accountId,
          event.platformMessageId,
          conversationKey,
          event.visibility,
          event.inReplyTo,
          event.author?.platformUserId ?? event.accountPlatformId,
          event.text,
          JSON.stringify(event.attachments),
          event.sentAt,
          JSON.stringify(event.raw ?? null),
          open?.id ?? null,
        ],
      );
      const id = inserted[0]?.id;
      if (id && open) {
        await manager.query('SELECT pg_notify($1, $2)', [
          BUS_CHANNEL,
          JSON.stringify({ kind: 'message.created', messageId: id }),
        ]);
      }
      return id !== undefined;
    });
  }

  /**
   * Applies an edit, deletion or hide; one for a message not stored yet is kept until it arrives (platforms do not
   * promise order). True when it changed something or was kept.
   */
  private async applyChange(
    accountId: string,
    platformMessageId: string,
    change: PendingChange,
    outcome: StoreOutcome,
  ): Promise<boolean> {
    const rows = await this.change(this.dataSource, accountId, platformMessageId, change, outcome);
    if (rows > 0) return true;
    if (await this.exists(accountId, platformMessageId)) return false;
    const kept = await queryRows<{ id: string }>(
      this.dataSource,
      `INSERT INTO pending_changes (platform, account_id, platform_message_id, change)
       SELECT a.platform, a.id, $2, $3::jsonb FROM accounts a
        WHERE a.id = $1
          AND NOT EXISTS (SELECT 1 FROM pending_changes WHERE account_id = $1 AND platform_message_id = $2
                             AND change = $3::jsonb)
       RETURNING id`,
      [accountId, platformMessageId, JSON.stringify(change)],
    );
    // The message may have been stored between the update and the insert: then apply what is kept now, once.
    if (await this.exists(accountId, platformMessageId)) await this.applyPending(accountId, platformMessageId, outcome);
    return kept.length > 0;
  }

  /**
   * One change on the stored message, if it is newer than what the message shows (a redelivered or late edit or hide
   * must not undo a newer one). Returns how many rows changed; a deletion also checks whether the thread is gone.
   */
  private async change(
    executor: DataSource | EntityManager,
    accountId: string,
    platformMessageId: string,
    change: PendingChange,
    outcome: StoreOutcome,
  ): Promise<number> {
    const params = [accountId, platformMessageId, change.at, ...changeParams(change)];
    const rows = await queryRows<{ id: string }>(executor, notifying(CHANGES[change.kind]), params);
    // Also for a redelivered deletion: a crash may have come between marking the message and judging the thread.
    if (change.kind === 'delete') await this.abandonIfThreadGone(executor, accountId, platformMessageId, outcome);
    return rows.length;
  }

  /**
   * A customer who deletes the post, comment or tweet that opened a conversation still waiting in queue has taken the
   * question back: the interaction ends as abandoned. One that is already connected stays with its agent, who is told.
   */
  private async abandonIfThreadGone(
    executor: DataSource | EntityManager,
    accountId: string,
    platformMessageId: string,
    outcome: StoreOutcome,
  ): Promise<void> {
    // On Facebook a removed post or top-level comment takes its replies with it; on X replies outlive their root.
    const row = await queryOne<{ interaction_id: string; workflow_id: string | null }>(
      executor,
      `UPDATE interactions i SET thread_deleted_at = now()
         FROM messages m
        WHERE m.account_id = $1 AND m.platform_message_id = $2 AND m.deleted_at IS NOT NULL
          AND m.direction = 'inbound' AND i.id = m.interaction_id
          AND i.state IN ('queued', 'offered') AND i.thread_deleted_at IS NULL
          AND ((m.platform = 'facebook' AND m.platform_message_id = i.conversation_key)
               OR NOT EXISTS (SELECT 1 FROM messages o WHERE o.interaction_id = i.id AND o.direction = 'inbound'
                                 AND o.deleted_at IS NULL))
        RETURNING i.id AS interaction_id, i.workflow_id`,
      [accountId, platformMessageId],
    );
    if (row?.workflow_id) outcome.abandoned.push({ interactionId: row.interaction_id, workflowId: row.workflow_id });
  }
}

function changeParams(change: PendingChange): unknown[] {
  switch (change.kind) {
    case 'edit':
      return [change.text];
    case 'delete':
      return [];
    case 'hide':
      return [change.hidden];
  }
}

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
