import type { DataSource, EntityManager } from 'typeorm';
import {
  AgentStatus,
  capacityKey,
  InteractionState,
  InteractionType,
  type AssignRefusalReason,
  type OfferCreatedSignal,
} from '@switchboard/contracts';
import { offersMade, webhookToOfferSeconds } from '@switchboard/observability';
import { publish, queryOne, queryRows } from '@switchboard/persistence';
import { recordEvent } from './interaction-events';

/** Tells an interaction's workflow about its offer; Temporal's signal in production. */
export type OfferSink = (workflowId: string, offer: OfferCreatedSignal) => Promise<void>;

export interface DispatchedOffer {
  workflowId: string;
  signal: OfferCreatedSignal;
  /** For the interaction's first offer: seconds since its first message reached Switchboard. */
  sinceFirstMessage: number | null;
}

interface QueuedRow {
  id: string;
  type: InteractionType;
  workgroup_id: string;
  reserved_agent_id: string | null;
  skills: Record<string, number>;
  workflow_id: string;
}

interface AgentRow {
  id: string;
  username: string;
}

/** SQL: agent `u` has a free slot for interaction `q`'s type; the parameters hold the two capacity keys. */
const freeSlot = (conversationKey: string, directMessageKey: string) =>
  `(SELECT count(*) FROM interactions x
     WHERE x.agent_id = u.id AND x.type = q.type AND x.state IN ('offered', 'connected', 'wrapup'))
   < COALESCE((u.capacity ->> CASE WHEN q.type = 'conversation' THEN ${conversationKey} ELSE ${directMessageKey} END)::int, 0)`;

/** Why an agent a supervisor picked cannot be offered the interaction now. */
export type AssignRefusal = Exclude<AssignRefusalReason, 'not-waiting'>;

/** One lock for all assignment: each transaction makes one offer, so it is held for milliseconds. */
const DISPATCH_LOCK = 7710002;
const MAX_OFFERS_PER_PASS = 200;
/** How deep into each pass's queue the dispatcher looks for an interaction some available agent can take. */
const QUEUE_SCAN = 500;

/**
 * Chooses who gets what, in PostgreSQL: the oldest waiting interaction (highest priority first) goes to the available
 * agent of its workgroup who has the skills and a free slot for its type and has waited longest since their last
 * offer. One transaction per offer; the workflow learns of it by signal and owns the accept timer.
 */
export class Dispatcher {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sink: OfferSink,
    private readonly onError: (error: unknown, interactionId?: string) => void = () => undefined,
  ) {}

  /** Offers as many waiting interactions of these workgroups (all when null) as agents can take. */
  async dispatch(workgroupIds: readonly string[] | null): Promise<DispatchedOffer[]> {
    const offers: DispatchedOffer[] = [];
    if (workgroupIds !== null && workgroupIds.length === 0) return offers;
    for (let i = 0; i < MAX_OFFERS_PER_PASS; i++) {
      const offer = await this.dataSource.transaction((manager) => this.offerOne(manager, workgroupIds));
      if (!offer) break;
      offers.push(offer);
      // Counted once committed: a rolled-back offer was never made.
      offersMade.inc();
      if (offer.sinceFirstMessage !== null) webhookToOfferSeconds.observe(offer.sinceFirstMessage);
      await this.sink(offer.workflowId, offer.signal).catch((error: unknown) =>
        this.onError(error, offer.signal.interactionId),
      );
    }
    return offers;
  }

  /** Dispatch in the background: callers that free capacity must not wait for it nor fail because of it. */
  dispatchSoon(workgroupIds: readonly string[] | null): void {
    this.dispatch(workgroupIds).catch((error: unknown) => this.onError(error));
  }

  /**
   * One query finds the pair: the first waiting interaction (priority, then age) that some available agent can take,
   * and that agent. Run under the dispatch lock, so two passes never offer the same agent's last slot twice.
   */
  private async offerOne(
    manager: EntityManager,
    workgroupIds: readonly string[] | null,
  ): Promise<DispatchedOffer | null> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [DISPATCH_LOCK]);
    const pair = await queryOne<QueuedRow & { agent_id: string; agent_username: string }>(
      manager,
      `SELECT q.id, q.type, q.workgroup_id, q.reserved_agent_id, q.skills, q.workflow_id,
              a.id AS agent_id, a.username AS agent_username
         FROM (SELECT id, type, workgroup_id, reserved_agent_id, skills, workflow_id, priority, queued_at,
                      declined_agent_ids
                 FROM interactions
                WHERE state = 'queued' AND workflow_id IS NOT NULL AND workgroup_id IS NOT NULL
                  AND ($1::uuid[] IS NULL OR workgroup_id = ANY($1::uuid[]))
                ORDER BY priority DESC, queued_at ASC
                LIMIT $3) q
         CROSS JOIN LATERAL (
           SELECT u.id, u.username FROM users u
            WHERE u.status = $2
              AND u.id <> ALL(q.declined_agent_ids)
              AND CASE WHEN q.reserved_agent_id IS NOT NULL THEN u.id = q.reserved_agent_id
                       ELSE q.workgroup_id = ANY(u.workgroup_ids) AND NOT EXISTS (
                              SELECT 1 FROM jsonb_each_text(q.skills) need
                               WHERE COALESCE((u.skills ->> need.key)::numeric, 0) < need.value::numeric)
                  END
              AND ${freeSlot('$4', '$5')}
            ORDER BY u.last_offered_at ASC NULLS FIRST, u.status_changed_at ASC
            LIMIT 1) a
        ORDER BY q.priority DESC, q.queued_at ASC
        LIMIT 1`,
      [
        workgroupIds,
        AgentStatus.AVAILABLE,
        QUEUE_SCAN,
        capacityKey(InteractionType.CONVERSATION),
        capacityKey(InteractionType.DIRECT_MESSAGE),
      ],
    );
    if (!pair) return null;
    return this.offer(manager, pair, { id: pair.agent_id, username: pair.agent_username });
  }

  /** Takes the dispatch lock in the caller's transaction: before any interaction's row lock, as dispatch does. */
  async lock(manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [DISPATCH_LOCK]);
  }

  /**
   * A supervisor's choice, inside the caller's transaction (which holds the dispatch lock, then the interaction's row,
   * queued): the offer goes
   * to this agent whatever the queue's order, their workgroups, skills and earlier declines, as long as they are
   * signed in (available or away) and have a free slot for its type. Nothing is signalled: the caller is the workflow.
   */
  async offerTo(
    manager: EntityManager,
    interactionId: string,
    agentId: string,
  ): Promise<{ offer: DispatchedOffer } | { refused: AssignRefusal }> {
    await this.lock(manager);
    const found = await queryOne<QueuedRow & { username: string; status: AgentStatus; free: boolean }>(
      manager,
      `SELECT q.id, q.type, q.workgroup_id, q.reserved_agent_id, q.skills, q.workflow_id,
              u.username, u.status, ${freeSlot('$3', '$4')} AS free
         FROM interactions q, users u
        WHERE q.id = $1 AND q.state = 'queued' AND u.id = $2 AND 'agent' = ANY(u.roles)`,
      [interactionId, agentId, capacityKey(InteractionType.CONVERSATION), capacityKey(InteractionType.DIRECT_MESSAGE)],
    );
    if (!found) return { refused: 'unknown-agent' };
    if (found.status === AgentStatus.OFFLINE) return { refused: 'offline' };
    if (!found.free) return { refused: 'no-free-slot' };
    const offer = await this.offer(manager, found, { id: agentId, username: found.username });
    offersMade.inc();
    return { offer };
  }

  private async offer(manager: EntityManager, interaction: QueuedRow, agent: AgentRow): Promise<DispatchedOffer> {
    // The first offer also tells how long the customer's first message took to reach an agent's screen.
    const updated = await queryOne<{ offer_id: string; offer_expires_at: Date; since_first_message: number | null }>(
      manager,
      `WITH before AS (SELECT offered_at IS NULL AS first FROM interactions WHERE id = $1)
       UPDATE interactions i
          SET state = 'offered', agent_id = $2, offer_id = gen_random_uuid(), offered_at = now(),
              offer_expires_at = now() + make_interval(secs => w.accept_timeout_seconds)
         FROM workgroups w
        WHERE i.id = $1 AND i.state = 'queued' AND w.id = i.workgroup_id
        RETURNING i.offer_id, i.offer_expires_at,
                  CASE WHEN (SELECT first FROM before) THEN extract(epoch FROM clock_timestamp() - (
                    SELECT min(m.received_at) FROM messages m WHERE m.interaction_id = i.id AND m.direction = 'inbound'
                  ))::float8 END AS since_first_message`,
      [interaction.id, agent.id],
    );
    if (!updated) throw new Error(`interaction ${interaction.id} left the queue during dispatch`);
    await manager.query('UPDATE users SET last_offered_at = now() WHERE id = $1', [agent.id]);
    const expiresAt = new Date(updated.offer_expires_at).toISOString();
    await recordEvent(manager, {
      interactionId: interaction.id,
      type: 'offered',
      state: InteractionState.OFFERED,
      agentId: agent.id,
      workgroupId: interaction.workgroup_id,
      data: { offerId: updated.offer_id, expiresAt },
    });
    await publish(
      manager,
      { kind: 'offer', interactionId: interaction.id, agentId: agent.id, offerId: updated.offer_id, expiresAt },
      { kind: 'interaction', interactionId: interaction.id },
    );
    return {
      workflowId: interaction.workflow_id,
      sinceFirstMessage: updated.since_first_message,
      signal: {
        interactionId: interaction.id,
        offerId: updated.offer_id,
        agentId: agent.id,
        agentName: agent.username,
        expiresAt,
      },
    };
  }

  /**
   * Safety net for a lost signal (a crash between commit and signal): an offer still open well past its expiry is
   * signalled again; the workflow expires it at once.
   */
  async resignalStaleOffers(graceSeconds = 15): Promise<number> {
    const stale = await queryRows<{
      id: string;
      workflow_id: string;
      agent_id: string;
      offer_id: string;
      offer_expires_at: Date;
      username: string;
    }>(
      this.dataSource,
      `SELECT i.id, i.workflow_id, i.agent_id, i.offer_id, i.offer_expires_at, u.username
         FROM interactions i JOIN users u ON u.id = i.agent_id
        WHERE i.state = 'offered' AND i.offer_expires_at < now() - make_interval(secs => $1)
        LIMIT 100`,
      [graceSeconds],
    );
    for (const row of stale) {
      await this.sink(row.workflow_id, {
        interactionId: row.id,
        offerId: row.offer_id,
        agentId: row.agent_id,
        agentName: row.username,
        expiresAt: new Date(row.offer_expires_at).toISOString(),
      }).catch((error: unknown) => this.onError(error, row.id));
    }
    return stale.length;
  }
}
