import type { DataSource, EntityManager } from 'typeorm';
import {
  AgentStatus,
  InteractionState,
  type AssignRefusalReason,
  type OfferCreatedSignal,
} from '@switchboard/contracts';
import { interactionsAbandoned, interactionsAnswered, queueWaitSeconds } from '@switchboard/observability';
import { publish, queryOne, queryRows } from '@switchboard/persistence';
import type { Dispatcher } from './dispatcher';
import { recordEvent } from './interaction-events';

export interface RoutingSettings {
  interactionId: string;
  state: InteractionState;
  workgroupId: string | null;
  workgroupName: string | null;
  acceptTimeoutSeconds: number;
  wrapUpRequired: boolean;
  wrapUpTimeoutSeconds: number | null;
  agentId: string | null;
  agentName: string | null;
  /** Where a waiting interaction moves after `afterSeconds` in this workgroup's queue; null when it stays (absent in
   * results recorded before overflow was built). */
  overflow?: { afterSeconds: number; workgroupId: string } | null;
}

/** A step the workflow asked for no longer fits the row: a bug or an operator's hand, never worth a retry. */
export class TransitionConflictError extends Error {}

/**
 * A supervisor's assignment: the offer made, or why none was (nothing changed then), or `taken` when a retried step
 * finds the agent already took it.
 */
export type AssignmentOutcome = { offer: OfferCreatedSignal } | { refused: AssignRefusalReason } | { taken: true };

/** Rolls an assignment's transaction back (the withdrawn offer stands) and says why. */
class AssignmentRefused extends Error {
  constructor(readonly reason: AssignRefusalReason) {
    super(reason);
  }
}

interface LockedInteraction {
  id: string;
  state: InteractionState;
  agent_id: string | null;
  workgroup_id: string | null;
  reserved_agent_id: string | null;
  offer_id: string | null;
  thread_deleted_at: Date | null;
  end_reason: string | null;
}

/**
 * The interaction's steps as the workflow takes them. Each is one transaction that updates the row, appends the
 * reporting event and notifies the gateways; each is idempotent, because an activity may run more than once.
 */
export class InteractionLifecycle {
  constructor(
    private readonly dataSource: DataSource,
    private readonly dispatcher: Dispatcher,
  ) {}

  private async lock(manager: EntityManager, interactionId: string): Promise<LockedInteraction> {
    const row = await queryOne<LockedInteraction>(
      manager,
      `SELECT id, state, agent_id, workgroup_id, reserved_agent_id, offer_id, thread_deleted_at, end_reason
         FROM interactions WHERE id = $1 FOR UPDATE`,
      [interactionId],
    );
    if (!row) throw new TransitionConflictError(`interaction ${interactionId} does not exist`);
    return row;
  }

  private async routingSettings(interactionId: string): Promise<RoutingSettings> {
    const row = await queryOne<{
      state: InteractionState;
      workgroup_id: string | null;
      name: string | null;
      accept_timeout_seconds: number | null;
      wrap_up_required: boolean | null;
      wrap_up_timeout_seconds: number | null;
      agent_id: string | null;
      username: string | null;
      overflow_after_seconds: number | null;
      overflow_workgroup_id: string | null;
    }>(
      this.dataSource,
      `SELECT i.state, i.workgroup_id, w.name, w.accept_timeout_seconds, w.wrap_up_required, w.wrap_up_timeout_seconds,
              i.agent_id, u.username, w.overflow_after_seconds, w.overflow_workgroup_id
         FROM interactions i
         LEFT JOIN workgroups w ON w.id = i.workgroup_id
         LEFT JOIN users u ON u.id = i.agent_id
        WHERE i.id = $1`,
      [interactionId],
    );
    if (!row) throw new TransitionConflictError(`interaction ${interactionId} does not exist`);
    return {
      interactionId,
      state: row.state,
      workgroupId: row.workgroup_id,
      workgroupName: row.name,
      acceptTimeoutSeconds: row.accept_timeout_seconds ?? 30,
      wrapUpRequired: row.wrap_up_required ?? false,
      wrapUpTimeoutSeconds: row.wrap_up_timeout_seconds,
      agentId: row.agent_id,
      agentName: row.username,
      overflow:
        row.overflow_after_seconds && row.overflow_workgroup_id
          ? { afterSeconds: row.overflow_after_seconds, workgroupId: row.overflow_workgroup_id }
          : null,
    };
  }

  /** The interaction waits in its workgroup's queue; dispatch runs at once in case an agent is free. */
  async enqueue(interactionId: string): Promise<RoutingSettings> {
    const settings = await this.routingSettings(interactionId);
    if (settings.state === InteractionState.QUEUED && settings.workgroupId) {
      await this.dispatcher.dispatch([settings.workgroupId]);
    }
    return settings;
  }

  /**
   * An offer that was not accepted in time goes back to the queue, keeping its place. The agent who let it ring is
   * set away, as Genesys and Flex do, so the next offers go to someone who is there.
   */
  async expireOffer(input: { interactionId: string; offerId: string }): Promise<{ expired: boolean }> {
    const result = await this.dataSource.transaction(async (manager) => {
      const row = await this.lock(manager, input.interactionId);
      if (row.state !== InteractionState.OFFERED || row.offer_id !== input.offerId) return null;
      await endOffer(manager, row, 'offer.timeout', { offerId: input.offerId });
      const away = await queryRows<{ id: string }>(
        manager,
        `UPDATE users SET status = 'away', status_changed_at = now() WHERE id = $1 AND status = $2 RETURNING id`,
        [row.agent_id, AgentStatus.AVAILABLE],
      );
      await publishLeaving(manager, row);
      if (away.length > 0 && row.agent_id) await publish(manager, { kind: 'agent', agentId: row.agent_id });
      return row;
    });
    if (!result) return { expired: false };
    if (result.workgroup_id) await this.dispatcher.dispatch([result.workgroup_id]);
    return { expired: true };
  }

  /**
   * The interaction waited its workgroup's overflow time: it moves to the overflow workgroup's queue, keeping its age
   * (so it goes ahead of those who came later) and whoever declined it, and is dispatched there at once. Only a queued
   * interaction still in `fromWorkgroupId` and reserved for nobody moves; otherwise nothing changes.
   */
  async overflow(input: {
    interactionId: string;
    fromWorkgroupId: string;
    toWorkgroupId: string;
  }): Promise<{ moved: boolean; settings: RoutingSettings }> {
    const moved = await this.dataSource.transaction(async (manager) => {
      const row = await this.lock(manager, input.interactionId);
      if (row.state !== InteractionState.QUEUED || row.reserved_agent_id) return false;
      // A retried activity whose first attempt committed finds it moved.
      if (row.workgroup_id === input.toWorkgroupId) return true;
      if (row.workgroup_id !== input.fromWorkgroupId) return false;
      const target = await queryOne(manager, 'SELECT 1 FROM workgroups WHERE id = $1', [input.toWorkgroupId]);
      if (!target) return false;
      await manager.query(`UPDATE interactions SET workgroup_id = $2 WHERE id = $1`, [row.id, input.toWorkgroupId]);
      await recordEvent(manager, {
        interactionId: row.id,
        type: 'overflowed',
        state: InteractionState.QUEUED,
        workgroupId: input.toWorkgroupId,
        data: { fromWorkgroupId: input.fromWorkgroupId },
      });
      await publish(manager, { kind: 'interaction', interactionId: row.id });
      return true;
    });
    if (moved) await this.dispatcher.dispatch([input.toWorkgroupId]);
    return { moved, settings: await this.routingSettings(input.interactionId) };
  }

  /**
   * The agent turned the offer down: it goes back to the queue, keeping its place, and to the next eligible agent at
   * once. The decliner is not offered it again while it waits in this queue (a transfer starts afresh) and keeps their
   * status: a decline is an answer, not an absence.
   */
  async declineOffer(input: {
    interactionId: string;
    offerId: string;
    agentId: string;
  }): Promise<{ declined: boolean }> {
    const row = await this.dataSource.transaction(async (manager) => {
      const locked = await this.lock(manager, input.interactionId);
      if (
        locked.state !== InteractionState.OFFERED ||
        locked.offer_id !== input.offerId ||
        locked.agent_id !== input.agentId
      ) {
        return null;
      }
      await endOffer(manager, locked, 'offer.declined', { offerId: input.offerId }, input.agentId);
      await publishLeaving(manager, locked);
      return locked;
    });
    if (!row) return { declined: false };
    // The interaction to the next agent; the decliner's freed slot to whatever else waits for them.
    await this.dispatchForAgent(input.agentId, row.workgroup_id);
    return { declined: true };
  }

  /**
   * A supervisor offers a waiting interaction to one agent. An offer someone else holds (`withdrawOfferId`) is
   * withdrawn in the same transaction, so either the new offer stands or nothing changed. An offer to that agent that
   * already stands (a retried activity) is returned as it is.
   */
  async assign(input: {
    interactionId: string;
    agentId: string;
    supervisorId: string;
    withdrawOfferId: string | null;
  }): Promise<AssignmentOutcome> {
    let withdrawnFrom: string | null = null;
    let outcome: AssignmentOutcome;
    try {
      outcome = await this.dataSource.transaction(async (manager): Promise<AssignmentOutcome> => {
        // The dispatcher's order: its lock, then the row; a dispatch pass cannot offer the row meanwhile.
        await this.dispatcher.lock(manager);
        const row = await this.lock(manager, input.interactionId);
        const held = row.state === InteractionState.CONNECTED || row.state === InteractionState.WRAPUP;
        if (held && row.agent_id === input.agentId) return { taken: true };
        if (row.state === InteractionState.OFFERED && row.agent_id === input.agentId) {
          const standing = await queryOne<{ offer_id: string; offer_expires_at: Date; username: string }>(
            manager,
            `SELECT i.offer_id, i.offer_expires_at, u.username FROM interactions i JOIN users u ON u.id = i.agent_id
              WHERE i.id = $1`,
            [row.id],
          );
          if (!standing) throw new AssignmentRefused('not-waiting');
          return {
            offer: {
              interactionId: row.id,
              offerId: standing.offer_id,
              agentId: input.agentId,
              agentName: standing.username,
              expiresAt: new Date(standing.offer_expires_at).toISOString(),
            },
          };
        }
        if (row.state === InteractionState.OFFERED && input.withdrawOfferId && row.offer_id === input.withdrawOfferId) {
          await endOffer(manager, row, 'offer.withdrawn', {
            offerId: row.offer_id,
            reason: 'assigned',
            supervisorId: input.supervisorId,
          });
          await publishLeaving(manager, row);
          withdrawnFrom = row.agent_id;
        } else if (row.state !== InteractionState.QUEUED) {
          throw new AssignmentRefused('not-waiting');
        }
        await recordEvent(manager, {
          interactionId: row.id,
          type: 'assigned',
          state: InteractionState.QUEUED,
          agentId: input.agentId,
          workgroupId: row.workgroup_id,
          data: { supervisorId: input.supervisorId },
        });
        const made = await this.dispatcher.offerTo(manager, row.id, input.agentId);
        if ('refused' in made) throw new AssignmentRefused(made.refused);
        return { offer: made.offer.signal };
      });
    } catch (error) {
      if (error instanceof AssignmentRefused) return { refused: error.reason };
      throw error;
    }
    // The agent whose offer was withdrawn has a free slot again.
    if (withdrawnFrom) await this.dispatchForAgent(withdrawnFrom);
    return outcome;
  }

  /**
   * A supervisor transfers an interaction that still waits: out of its queue (an offer someone held, `withdrawOfferId`,
   * withdrawn) into another workgroup's, or reserved for one agent, as a transfer of a connected one does: a new queue
   * entry. Nothing changes when the row is no longer waiting as the workflow thought.
   */
  async moveWaiting(input: {
    interactionId: string;
    toWorkgroupId: string | null;
    toAgentId: string | null;
    supervisorId: string;
    withdrawOfferId: string | null;
    /** The workflow's id for this move: a retried step finds it made by it, whatever happened to the row since. */
    moveId: string;
  }): Promise<{ moved: boolean; settings: RoutingSettings }> {
    const row = await this.dataSource.transaction(async (manager) => {
      // The dispatcher's order: its lock, then the row; no dispatch pass can offer the row on its old terms meanwhile.
      await this.dispatcher.lock(manager);
      const locked = await this.lock(manager, input.interactionId);
      const made = await queryOne(
        manager,
        `SELECT 1 FROM interaction_events
          WHERE interaction_id = $1 AND type = 'queue.transferred' AND data ->> 'moveId' = $2`,
        [locked.id, input.moveId],
      );
      if (made) return 'done' as const;
      const withdrawing =
        locked.state === InteractionState.OFFERED &&
        !!input.withdrawOfferId &&
        locked.offer_id === input.withdrawOfferId;
      if (locked.state !== InteractionState.QUEUED && !withdrawing) return null;
      // A thread the customer deleted is being abandoned; a target deleted since the gateway looked is no target.
      if (locked.thread_deleted_at) return null;
      const target = input.toAgentId
        ? await queryOne(manager, `SELECT 1 FROM users WHERE id = $1 AND 'agent' = ANY(roles)`, [input.toAgentId])
        : await queryOne(manager, 'SELECT 1 FROM workgroups WHERE id = $1', [input.toWorkgroupId]);
      if (!target) return null;
      await requeue(manager, locked.id, input);
      await recordEvent(manager, {
        interactionId: locked.id,
        type: 'queue.transferred',
        state: InteractionState.QUEUED,
        agentId: locked.agent_id,
        workgroupId: input.toWorkgroupId ?? locked.workgroup_id,
        data: {
          fromWorkgroupId: locked.workgroup_id,
          toWorkgroupId: input.toWorkgroupId,
          toAgentId: input.toAgentId,
          supervisorId: input.supervisorId,
          moveId: input.moveId,
          ...(withdrawing ? { withdrawnOfferId: locked.offer_id } : {}),
        },
      });
      await publishLeaving(manager, locked);
      return locked;
    });
    const settings = await this.routingSettings(input.interactionId);
    if (!row) return { moved: false, settings };
    if (row !== 'done') {
      // The new queue (or the reserved agent's workgroup), and the freed slot of whoever held an offer.
      if (settings.workgroupId) await this.dispatcher.dispatch([settings.workgroupId]);
      if (row.agent_id) await this.dispatchForAgent(row.agent_id);
    }
    return { moved: true, settings };
  }

  async connect(input: { interactionId: string; agentId: string }): Promise<void> {
    const waited = await this.dataSource.transaction(async (manager) => {
      const row = await this.lock(manager, input.interactionId);
      if (row.state === InteractionState.CONNECTED && row.agent_id === input.agentId) return undefined;
      if (row.state !== InteractionState.OFFERED || row.agent_id !== input.agentId) {
        throw new TransitionConflictError(`interaction ${row.id} is ${row.state}, not offered to ${input.agentId}`);
      }
      const connected = await queryOne<{ waited: number | null }>(
        manager,
        `UPDATE interactions
            SET state = 'connected', connected_at = COALESCE(connected_at, now()), offer_id = NULL,
                offer_expires_at = NULL, reserved_agent_id = NULL
          WHERE id = $1
          RETURNING extract(epoch FROM now() - queued_at)::float8 AS waited`,
        [row.id],
      );
      await recordEvent(manager, {
        interactionId: row.id,
        type: 'connected',
        state: InteractionState.CONNECTED,
        agentId: input.agentId,
        workgroupId: row.workgroup_id,
      });
      await publish(manager, { kind: 'interaction', interactionId: row.id });
      return connected?.waited ?? null;
    });
    // Counted once, by the run that made the change (a retried activity finds it done).
    if (waited === undefined) return;
    interactionsAnswered.inc();
    if (waited !== null) queueWaitSeconds.observe(waited);
  }

  /**
   * Back to a queue: another workgroup's, or the same one reserved for one agent (who alone is offered it until an
   * offer to them times out). Its queue time starts again, as Genesys counts a transfer as a new queue entry.
   */
  async transfer(input: {
    interactionId: string;
    toWorkgroupId: string | null;
    toAgentId: string | null;
  }): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const row = await this.lock(manager, input.interactionId);
      // A retried activity whose first attempt committed finds the transfer made.
      const made =
        row.state === InteractionState.QUEUED &&
        (input.toWorkgroupId ? row.workgroup_id === input.toWorkgroupId : row.reserved_agent_id === input.toAgentId);
      if (made) return;
      if (row.state !== InteractionState.CONNECTED) {
        throw new TransitionConflictError(`interaction ${row.id} is ${row.state}, not connected`);
      }
      await requeue(manager, row.id, input);
      await recordEvent(manager, {
        interactionId: row.id,
        type: 'transferred',
        state: InteractionState.QUEUED,
        agentId: row.agent_id,
        workgroupId: input.toWorkgroupId ?? row.workgroup_id,
        data: { fromWorkgroupId: row.workgroup_id, toWorkgroupId: input.toWorkgroupId, toAgentId: input.toAgentId },
      });
      await publishLeaving(manager, row);
    });
  }

  async disconnect(input: { interactionId: string; agentId: string }): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const row = await this.lock(manager, input.interactionId);
      if (row.state === InteractionState.WRAPUP || row.state === InteractionState.COMPLETED) return;
      if (row.state !== InteractionState.CONNECTED || row.agent_id !== input.agentId) {
        throw new TransitionConflictError(`interaction ${row.id} is ${row.state}, not connected to ${input.agentId}`);
      }
      await manager.query(`UPDATE interactions SET state = 'wrapup', disconnected_at = now() WHERE id = $1`, [row.id]);
      await recordEvent(manager, {
        interactionId: row.id,
        type: 'disconnected',
        state: InteractionState.WRAPUP,
        agentId: input.agentId,
        workgroupId: row.workgroup_id,
      });
      await publish(manager, { kind: 'interaction', interactionId: row.id });
    });
  }

  /** The end: the agent's slot is free again, so the agent's workgroups are dispatched. */
  async complete(input: { interactionId: string; wrapUpCode: string | null; reason: string }): Promise<void> {
    const agentId = await this.dataSource.transaction(async (manager) => {
      const row = await this.lock(manager, input.interactionId);
      if (row.state === InteractionState.COMPLETED) return null;
      await manager.query(
        `UPDATE interactions
            SET state = 'completed', completed_at = now(), wrap_up_code = $2, end_reason = $3,
                disconnected_at = COALESCE(disconnected_at, CASE WHEN connected_at IS NOT NULL THEN now() END),
                offer_id = NULL, offer_expires_at = NULL
          WHERE id = $1`,
        [row.id, input.wrapUpCode, input.reason],
      );
      if (input.wrapUpCode) {
        await recordEvent(manager, {
          interactionId: row.id,
          type: 'wrapup',
          state: InteractionState.COMPLETED,
          agentId: row.agent_id,
          workgroupId: row.workgroup_id,
          data: { code: input.wrapUpCode },
        });
      }
      await recordEvent(manager, {
        interactionId: row.id,
        type: 'completed',
        state: InteractionState.COMPLETED,
        agentId: row.agent_id,
        workgroupId: row.workgroup_id,
        data: { reason: input.reason },
      });
      await publish(manager, { kind: 'interaction', interactionId: row.id });
      return row.agent_id;
    });
    if (agentId) await this.dispatchForAgent(agentId);
  }

  /**
   * Ends an interaction no agent has yet: it was queued or offered (the offer is withdrawn and the agent told). It
   * counts as abandoned in the reports.
   */
  async abandon(input: { interactionId: string; reason: string }): Promise<{ abandoned: boolean }> {
    const row = await this.dataSource.transaction(async (manager) => {
      const locked = await this.lock(manager, input.interactionId);
      // A retried activity whose first attempt committed finds it abandoned already.
      if (locked.state === InteractionState.COMPLETED && locked.end_reason === 'abandoned') return 'done' as const;
      if (locked.state !== InteractionState.QUEUED && locked.state !== InteractionState.OFFERED) return null;
      // A message that joined since the deletion cleared the mark: the customer is still there.
      if (!locked.thread_deleted_at) return null;
      await manager.query(
        `UPDATE interactions
            SET state = 'completed', completed_at = now(), end_reason = 'abandoned', agent_id = NULL, offer_id = NULL,
                offer_expires_at = NULL, reserved_agent_id = NULL
          WHERE id = $1`,
        [locked.id],
      );
      await recordEvent(manager, {
        interactionId: locked.id,
        type: 'abandoned',
        state: InteractionState.COMPLETED,
        agentId: locked.agent_id,
        workgroupId: locked.workgroup_id,
        data: { reason: input.reason, was: locked.state },
      });
      await publishLeaving(manager, locked);
      return locked;
    });
    if (!row) return { abandoned: false };
    if (row === 'done') return { abandoned: true };
    interactionsAbandoned.inc();
    if (row.workgroup_id) await this.dispatcher.dispatch([row.workgroup_id]);
    return { abandoned: true };
  }

  /** Dispatches the agent's workgroups (their slot is free again), and `alsoWorkgroupId`'s. */
  private async dispatchForAgent(agentId: string, alsoWorkgroupId: string | null = null): Promise<void> {
    const agent = await queryOne<{ workgroup_ids: string[] }>(
      this.dataSource,
      'SELECT workgroup_ids FROM users WHERE id = $1',
      [agentId],
    );
    const workgroups = new Set([...(alsoWorkgroupId ? [alsoWorkgroupId] : []), ...(agent?.workgroup_ids ?? [])]);
    if (workgroups.size > 0) await this.dispatcher.dispatch([...workgroups]);
  }
}

/**
 * A transfer, of a connected interaction or of one still waiting: a new entry in another workgroup's queue, or in its
 * own reserved for one agent; its queue time starts again and earlier declines are forgotten.
 */
async function requeue(
  manager: EntityManager,
  interactionId: string,
  target: { toWorkgroupId: string | null; toAgentId: string | null },
): Promise<void> {
  await manager.query(
    `UPDATE interactions
        SET state = 'queued', agent_id = NULL, offer_id = NULL, offer_expires_at = NULL,
            workgroup_id = COALESCE($2, workgroup_id), reserved_agent_id = $3, queued_at = now(),
            declined_agent_ids = '{}'
      WHERE id = $1`,
    [interactionId, target.toWorkgroupId, target.toAgentId],
  );
}

/**
 * The offer `row` holds is over (timed out, declined, withdrawn): back to the queue keeping its place, the reporting
 * event recorded; a decliner is remembered so that this queue stay does not offer it to them again.
 */
async function endOffer(
  manager: EntityManager,
  row: LockedInteraction,
  type: 'offer.timeout' | 'offer.declined' | 'offer.withdrawn',
  data: Record<string, unknown>,
  declinedBy: string | null = null,
): Promise<void> {
  await manager.query(
    `UPDATE interactions
        SET state = 'queued', agent_id = NULL, offer_id = NULL, offer_expires_at = NULL, reserved_agent_id = NULL,
            declined_agent_ids = CASE WHEN $2::uuid IS NULL THEN declined_agent_ids
                                      ELSE array_append(declined_agent_ids, $2::uuid) END
      WHERE id = $1`,
    [row.id, declinedBy],
  );
  await recordEvent(manager, {
    interactionId: row.id,
    type,
    state: InteractionState.QUEUED,
    agentId: row.agent_id,
    workgroupId: row.workgroup_id,
    data,
  });
}

/** The interaction changed and is no longer its agent's: that agent hears of it too (their offer or work is gone). */
function publishLeaving(manager: EntityManager, row: LockedInteraction): Promise<void> {
  return publish(manager, {
    kind: 'interaction',
    interactionId: row.id,
    ...(row.agent_id ? { alsoNotify: [row.agent_id] } : {}),
  });
}
