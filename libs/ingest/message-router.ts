import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import {
  agentReplySignal,
  customerMessageSignal,
  InteractionState,
  interactionTypeOf,
  type InteractionType,
  type Platform,
  type Visibility,
} from '@switchboard/contracts';
import { signalInteraction, type OpenInteraction } from '@switchboard/interactions';
import { messagesFiltered, messagesRouted, type Logger } from '@switchboard/observability';
import { queryOne, queryRows } from '@switchboard/persistence';
import { weighChannels, type KeywordRules, type RoutableChannel } from '@switchboard/routing';
import { WorkQueue } from './work-queue';

type InteractionRow = OpenInteraction;

export interface ChannelRow extends RoutableChannel {
  name: string;
  keywords: KeywordRules;
}

/** How the router reaches the thread's workflow once the database knows the interaction. */
interface Delivery {
  interaction: InteractionRow;
  messageId: string;
  platform: Platform;
}

/** What `sb_route_message` answers (see its migration). */
interface RouteRow {
  outcome: 'skip' | 'done' | 'deliver';
  interaction_id: string | null;
  interaction_type: string | null;
  interaction_state: string | null;
  workflow_id: string | null;
}

/** A message that joined or was filtered is done in one step; one that opened an interaction, once it is handed over. */
function countRouted(platform: Platform, step: RouteRow | null): void {
  if (!step || step.outcome !== 'done' || !step.interaction_state) return;
  if (step.interaction_state === String(InteractionState.FILTERED)) messagesFiltered.inc({ platform });
  else messagesRouted.inc({ platform, outcome: 'joined' });
}

/** What routing needs to know of a customer message; the ingest hands it over so it need not be read back. */
export interface RouteHint {
  id: string;
  accountId: string;
  platform: Platform;
  conversationKey: string;
  text: string | null;
  type: InteractionType;
}

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
  private readonly hints = new Map<string, RouteHint>();

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

  /** Routes in the background; a hint (what the ingest knows of the message) saves reading it back. */
  routeSoon(messages: (string | RouteHint)[]): void {
    for (const message of messages) {
      if (typeof message !== 'string') this.hints.set(message.id, message);
    }
    if (messages.length > 0) this.queue.push(...messages.map((m) => (typeof m === 'string' ? m : m.id)));
  }

  /** Both directions: customer messages not yet routed, and agents' replies not yet handed to their workflow. */
  async sweep(): Promise<number> {
    const rows = await queryRows<{ id: string; direction: string; interaction_id: string | null }>(
      this.dataSource,
      `SELECT id, direction, interaction_id FROM messages WHERE routed_at IS NULL
          AND received_at < now() - make_interval(secs => $1)
          AND (direction = 'inbound' OR delivery_status = 'pending')
        ORDER BY received_at LIMIT 500`,
      [SWEEP_AGE_SECONDS],
    );
    this.routeSoon(rows.filter((row) => row.direction === 'inbound').map((row) => row.id));
    for (const row of rows.filter((r) => r.direction === 'outbound')) {
      this.deliverReply(row.id).catch((error: unknown) =>
        this.logger.warn(
          { err: error, messageId: row.id, interactionId: row.interaction_id },
          'reply hand-over failed; the sweep will retry',
        ),
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

  async route(messageId: string, given?: RouteHint): Promise<void> {
    const hint = given ?? this.hints.get(messageId) ?? (await this.loadHint(messageId));
    this.hints.delete(messageId);
    if (!hint) return;
    const { decision } = weighChannels(await this.channelsOf(hint.accountId), hint.accountId, hint.type, hint.text);
    const chosen = decision.kind === 'unrouted' ? null : decision.channel;
    const step = await queryOne<RouteRow>(this.dataSource, 'SELECT * FROM sb_route_message($1, $2, $3, $4, $5, $6)', [
      messageId,
      chosen?.id ?? null,
      decision.kind === 'filtered',
      decision.kind === 'route' ? decision.workgroupId : null,
      chosen?.priority ?? 0,
      JSON.stringify(chosen?.skills ?? {}),
    ]);
    countRouted(hint.platform, step);
    if (step?.outcome !== 'deliver' || !step.interaction_id || !step.workflow_id) return;
    await this.deliver({
      interaction: {
        id: step.interaction_id,
        type: step.interaction_type as InteractionType,
        state: step.interaction_state as InteractionState,
        workflow_id: step.workflow_id,
      },
      messageId,
      platform: hint.platform,
    });
    const marked = await queryRows(
      this.dataSource,
      'UPDATE messages SET routed_at = now() WHERE id = $1 AND routed_at IS NULL RETURNING id',
      [messageId],
    );
    // Counted by whoever marks it: a sweep repeating a hand-over that had failed counts it once.
    if (marked.length > 0) messagesRouted.inc({ platform: hint.platform, outcome: 'queued' });
  }

  /** What routing needs to know of a message the ingest did not describe (found by the sweep). */
  private async loadHint(messageId: string): Promise<RouteHint | null> {
    const row = await queryOne<{
      account_id: string;
      platform: Platform;
      conversation_key: string;
      text: string | null;
      visibility: Visibility;
    }>(
      this.dataSource,
      `SELECT account_id, platform, conversation_key, text, visibility FROM messages
        WHERE id = $1 AND direction = 'inbound' AND routed_at IS NULL`,
      [messageId],
    );
    return row
      ? {
          id: messageId,
          accountId: row.account_id,
          platform: row.platform,
          conversationKey: row.conversation_key,
          text: row.text,
          type: interactionTypeOf(row.visibility),
        }
      : null;
  }

  /**
   * What routing would decide for such a message on this account now, and why: the same weighing `route` runs, on the
   * channels as they stand (not the cached copy), for the channel editor's preview.
   */
  async preview(
    accountId: string,
    type: InteractionType,
    text: string,
  ): Promise<ReturnType<typeof weighChannels<ChannelRow>>> {
    this.channels.delete(accountId);
    return weighChannels(await this.channelsOf(accountId), accountId, type, text);
  }

  /** The account's enabled channels, cached briefly: they change rarely and every new thread reads them. */
  private async channelsOf(accountId: string): Promise<ChannelRow[]> {
    const cached = this.channels.get(accountId);
    if (cached && Date.now() - cached.at < CHANNEL_CACHE_MS) return cached.rows;
    const rows = await queryRows<ChannelRow>(
      this.dataSource,
      `SELECT id, name, account_ids AS "accountIds", keywords, public_workgroup_id AS "publicWorkgroupId",
              private_workgroup_id AS "privateWorkgroupId", priority, skills, enabled, created_at AS "createdAt"
         FROM channels WHERE $1::uuid = ANY(account_ids) AND enabled`,
      [accountId],
    );
    this.channels.set(accountId, { at: Date.now(), rows });
    return rows;
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
