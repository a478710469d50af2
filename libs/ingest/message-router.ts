import type { Client } from '@temporalio/client';
import type { DataSource, EntityManager } from 'typeorm';
import {
  agentReplySignal,
  BUS_CHANNEL,
  customerMessageSignal,
  InteractionState,
  interactionWorkflowId,
  type InteractionType,
  type Platform,
} from '@switchboard/contracts';
import {
  openInteractionOnThread,
  signalInteraction,
  type InteractionEventInput,
  type OpenInteraction,
} from '@switchboard/interactions';
import type { Logger } from '@switchboard/observability';
import { queryOne, queryRows } from '@switchboard/persistence';
import { selectChannel, type KeywordRules, type RoutableChannel } from '@switchboard/routing';
import { WorkQueue } from './work-queue';

interface StoredMessage {
  id: string;
  platform: Platform;
  account_id: string;
  conversation_key: string;
  interaction_id: string | null;
  customer_id: string | null;
  visibility: string;
  text: string | null;
  routed_at: Date | null;
  deleted_at: Date | null;
  type: InteractionType;
}

type InteractionRow = OpenInteraction;

interface ChannelRow extends RoutableChannel {
  keywords: KeywordRules;
}

/** How the router reaches the thread's workflow once the database knows the interaction. */
interface Delivery {
  interaction: InteractionRow;
  messageId: string;
  platform: Platform;
}

/** What the database half of routing left to do. */
type RouteStep = { kind: 'skip' } | { kind: 'done' } | ({ kind: 'deliver' } & Delivery);

/** How long a router trusts its copy of an account's channels (a change through this process clears it). */
const CHANNEL_CACHE_MS = 5_000;

/** Unrouted messages older than this are picked up by the sweep (the in-process path normally routes in ms). */
const SWEEP_AGE_SECONDS = 5;
const SWEEP_INTERVAL_MS = 5_000;

/**
 * Turns a stored message into interaction work: joins the thread's open interaction, or lets the account's channels
 * decide (route, filter, or nothing), then signals-with-start the thread's workflow. `routed_at` is set only after
 * Temporal accepted the signal, so a crash anywhere in between is repaired by the sweep.
 */
export class MessageRouter {
  private readonly queue: WorkQueue<string>;
  private sweepTimer: NodeJS.Timeout | null = null;
  private readonly channels = new Map<string, { at: number; rows: ChannelRow[] }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly temporal: Client,
    private readonly logger: Logger,
  ) {
    this.queue = new WorkQueue(
      8,
      (id) => this.route(id),
      (error, id) => this.logger.warn({ err: error, messageId: id }, 'routing failed; the sweep will retry'),
    );
  }

  /** Starts the periodic sweep (gateways run it; any number may, since a message is locked while it is routed). */
  startSweeping(): void {
    this.sweepTimer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.logger.warn({ err: error }, 'routing sweep failed'));
    }, SWEEP_INTERVAL_MS);
  }

  async stop(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.queue.idle();
  }

  routeSoon(messageIds: string[]): void {
    if (messageIds.length > 0) this.queue.push(...messageIds);
  }

  /** Both directions: customer messages not yet routed, and agents' replies not yet handed to their workflow. */
  async sweep(): Promise<number> {
    const rows = await queryRows<{ id: string; direction: string }>(
      this.dataSource,
      `SELECT id, direction FROM messages WHERE routed_at IS NULL
          AND received_at < now() - make_interval(secs => $1)
          AND (direction = 'inbound' OR delivery_status = 'pending')
        ORDER BY received_at LIMIT 500`,
      [SWEEP_AGE_SECONDS],
    );
    this.routeSoon(rows.filter((row) => row.direction === 'inbound').map((row) => row.id));
    for (const row of rows.filter((r) => r.direction === 'outbound')) {
      this.deliverReply(row.id).catch((error: unknown) =>
        this.logger.warn({ err: error, messageId: row.id }, 'reply hand-over failed; the sweep will retry'),
      );
    }
    return rows.length;
  }

  /**
   * Hands an agent's stored reply to its interaction's workflow, which sends it. If that workflow is gone (an
   * escalation whose start failed, say), it is started again connected to the interaction's agent. `routed_at` marks
   * the hand-over, so the sweep repeats it after any failure.
   */
  async deliverReply(messageId: string): Promise<void> {
    const row = await queryOne<{
      interaction_id: string;
      platform: Platform;
      type: InteractionType;
      state: InteractionState;
      workflow_id: string | null;
      agent_id: string | null;
      username: string | null;
    }>(
      this.dataSource,
      `SELECT m.interaction_id, i.platform, i.type, i.state, i.workflow_id, i.agent_id, u.username
         FROM messages m JOIN interactions i ON i.id = m.interaction_id LEFT JOIN users u ON u.id = i.agent_id
        WHERE m.id = $1 AND m.direction = 'outbound' AND m.routed_at IS NULL`,
      [messageId],
    );
    if (!row?.workflow_id) return;
    const connected = row.state === InteractionState.CONNECTED && row.agent_id && row.username;
    await signalInteraction(this.temporal, {
      workflowId: row.workflow_id,
      input: {
        interactionId: row.interaction_id,
        platform: row.platform,
        type: row.type,
        ...(connected ? { connectedAgentId: row.agent_id as string, connectedAgentName: row.username as string } : {}),
      },
      state: row.state,
      signal: agentReplySignal,
      message: { interactionId: row.interaction_id, messageId },
    });
    await this.dataSource.query('UPDATE messages SET routed_at = now() WHERE id = $1', [messageId]);
  }

  /** Clears the channel cache, after a channel changed through this process. */
  invalidateChannels(): void {
    this.channels.clear();
  }

  async route(messageId: string): Promise<void> {
    const step = await this.dataSource.transaction((manager) => this.assign(manager, messageId));
    if (step.kind !== 'deliver') return;
    await this.deliver(step);
    await queryRows(this.dataSource, 'UPDATE messages SET routed_at = now() WHERE id = $1 AND routed_at IS NULL', [
      messageId,
    ]);
  }

  /**
   * The database half of routing, in one transaction holding the message's row lock. A message that needs no
   * workflow (filtered, unrouted, deleted) is marked routed here; one that does is marked after Temporal took it.
   */
  private async assign(manager: EntityManager, messageId: string): Promise<RouteStep> {
    const message = await queryOne<StoredMessage>(
      manager,
      `SELECT m.id, m.platform, m.account_id, m.conversation_key, m.interaction_id, m.customer_id, m.visibility,
              m.text, m.routed_at, m.deleted_at,
              CASE WHEN m.visibility = 'public' THEN 'conversation' ELSE 'directMessage' END AS type
         FROM messages m WHERE m.id = $1 FOR UPDATE SKIP LOCKED`,
      [messageId],
    );
    // Routed already, or being routed by another process right now.
    if (!message || message.routed_at) return { kind: 'skip' };

    if (message.interaction_id) {
      const interaction = await this.interactionById(manager, message.interaction_id);
      if (interaction?.workflow_id) return { kind: 'deliver', interaction, messageId, platform: message.platform };
      await manager.query('UPDATE messages SET routed_at = now() WHERE id = $1', [messageId]);
      return { kind: 'done' };
    }

    const open = await this.openInteraction(manager, message);
    const opened = open ? null : await this.openNew(manager, message);
    const interaction = open ?? opened?.interaction ?? null;
    if (!interaction) {
      await manager.query('UPDATE messages SET routed_at = now() WHERE id = $1', [messageId]);
      return { kind: 'done' };
    }
    const event = opened?.event;
    // Joining an interaction that is already open needs nothing from Temporal: its workflow was started (and
    // signalled) by the message that opened it. Only a message that opened an interaction hands it to a workflow.
    const needsWorkflow = interaction.workflow_id !== null && opened?.event !== undefined;
    await manager.query(
      `WITH m AS (
         UPDATE messages SET interaction_id = $2, routed_at = CASE WHEN $3::boolean THEN now() ELSE routed_at END
          WHERE id = $1 RETURNING id
       ), ev AS (
         INSERT INTO interaction_events (interaction_id, type, state, workgroup_id, data)
         SELECT $2, $4::text, $5::text, $6::uuid, $7::jsonb WHERE $4::text IS NOT NULL RETURNING id
       )
       SELECT (SELECT count(*) FROM ev) AS events,
              CASE WHEN $8::boolean
                   THEN pg_notify($9, json_build_object('kind', 'interaction', 'interactionId', $2::text)::text) END,
              pg_notify($9, json_build_object('kind', 'message.created', 'messageId', $1::text)::text)
         FROM m`,
      [
        message.id,
        interaction.id,
        !needsWorkflow,
        event?.type ?? null,
        event?.state ?? null,
        event?.workgroupId ?? null,
        JSON.stringify(event?.data ?? {}),
        // A filtered message needs nobody's attention now; it is in the reports.
        event !== undefined && event.type !== 'filtered',
        BUS_CHANNEL,
      ],
    );
    return needsWorkflow ? { kind: 'deliver', interaction, messageId, platform: message.platform } : { kind: 'done' };
  }

  private async interactionById(manager: EntityManager, id: string): Promise<InteractionRow | null> {
    return queryOne<InteractionRow>(manager, 'SELECT id, type, state, workflow_id FROM interactions WHERE id = $1', [
      id,
    ]);
  }

  private openInteraction(manager: EntityManager, message: StoredMessage): Promise<InteractionRow | null> {
    return openInteractionOnThread(manager, message.platform, message.conversation_key, { lock: true });
  }

  /** The account's enabled channels, cached briefly: they change rarely and every new thread reads them. */
  private async channelsOf(manager: EntityManager, accountId: string): Promise<ChannelRow[]> {
    const cached = this.channels.get(accountId);
    if (cached && Date.now() - cached.at < CHANNEL_CACHE_MS) return cached.rows;
    const rows = await queryRows<ChannelRow>(
      manager,
      `SELECT id, account_ids AS "accountIds", keywords, public_workgroup_id AS "publicWorkgroupId",
              private_workgroup_id AS "privateWorkgroupId", priority, skills, enabled, created_at AS "createdAt"
         FROM channels WHERE $1::uuid = ANY(account_ids) AND enabled`,
      [accountId],
    );
    this.channels.set(accountId, { at: Date.now(), rows });
    return rows;
  }

  /**
   * A first message (or the first after the last interaction completed): the channels decide. Returns the new (or
   * concurrently opened) interaction, and the reporting event to record when this call created it.
   */
  private async openNew(
    manager: EntityManager,
    message: StoredMessage,
  ): Promise<{ interaction: InteractionRow; event?: InteractionEventInput } | null> {
    // Deleted before it was routed (a delivery out of order, or second thoughts): there is nothing left to answer.
    if (message.deleted_at) return null;
    const channels = await this.channelsOf(manager, message.account_id);
    const decision = selectChannel(channels, message.account_id, message.type, message.text);
    if (decision.kind === 'unrouted') return null;

    const filtered = decision.kind === 'filtered';
    const workflowId = filtered ? null : interactionWorkflowId(message.platform, message.conversation_key);
    const inserted = await queryRows<InteractionRow>(
      manager,
      `INSERT INTO interactions (type, platform, account_id, channel_id, conversation_key, state, workgroup_id,
                                 priority, skills, customer_id, queued_at, workflow_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $6 = 'queued' THEN now() END, $11)
       ON CONFLICT (platform, conversation_key) WHERE state IN ('queued', 'offered', 'connected', 'wrapup')
       DO NOTHING
       RETURNING id, type, state, workflow_id`,
      [
        message.type,
        message.platform,
        message.account_id,
        decision.channel.id,
        message.conversation_key,
        filtered ? InteractionState.FILTERED : InteractionState.QUEUED,
        filtered ? null : decision.workgroupId,
        decision.channel.priority,
        JSON.stringify(decision.channel.skills ?? {}),
        message.customer_id,
        workflowId,
      ],
    );
    const created = inserted[0];
    if (!created) {
      // Another message of the thread opened it a moment ago: join that one.
      const joined = await this.openInteraction(manager, message);
      return joined ? { interaction: joined } : null;
    }
    return {
      interaction: created,
      event: {
        interactionId: created.id,
        type: filtered ? 'filtered' : 'queued',
        state: created.state,
        workgroupId: filtered ? null : decision.workgroupId,
        data: { channelId: decision.channel.id, messageId: message.id },
      },
    };
  }

  private async deliver({ interaction, messageId, platform }: Delivery): Promise<void> {
    if (!interaction.workflow_id) return;
    await signalInteraction(this.temporal, {
      workflowId: interaction.workflow_id,
      input: { interactionId: interaction.id, platform, type: interaction.type },
      state: InteractionState.QUEUED,
      signal: customerMessageSignal,
      message: { interactionId: interaction.id, messageId },
    });
  }
}
