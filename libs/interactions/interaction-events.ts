import type { EntityManager } from 'typeorm';
import type { InteractionState } from '@switchboard/contracts';

export interface InteractionEventInput {
  interactionId: string;
  type: string;
  state: InteractionState;
  agentId?: string | null;
  workgroupId?: string | null;
  data?: Record<string, unknown>;
}

/** Appends to the reporting log inside the caller's transaction, so a step and its event commit together. */
export async function recordEvent(manager: EntityManager, event: InteractionEventInput): Promise<void> {
  await manager.query(
    `INSERT INTO interaction_events (interaction_id, type, state, agent_id, workgroup_id, data)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      event.interactionId,
      event.type,
      event.state,
      event.agentId ?? null,
      event.workgroupId ?? null,
      JSON.stringify(event.data ?? {}),
    ],
  );
}
