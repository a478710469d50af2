import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AgentStatus, AGENT_LOAD_STATES, InteractionType } from '@switchboard/contracts';
import { Dispatcher } from '@switchboard/interactions';
import { publish, queryOne, queryRows } from '@switchboard/persistence';
import type { Principal } from '../auth/principal';
import { ApiError } from '../core/api-error';
import { DATA_SOURCE } from '../core/tokens';

export interface AgentSummary {
  id: string;
  username: string;
  displayName: string;
  status: AgentStatus;
  statusChangedAt: string;
  workgroupIds: string[];
  capacity: Record<string, number>;
  /** The interactions holding the agent's capacity: offered, connected or in wrap-up. */
  interactions: { id: string; type: string; state: string }[];
  /** How many of those per type, against `capacity`. */
  current: { conversation: number; directMessage: number };
}

@Injectable()
export class AgentsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly dispatcher: Dispatcher,
  ) {}

  /** Becoming available triggers dispatch for the agent's workgroups: the oldest waiting work comes at once. */
  async setStatus(user: Principal, status: AgentStatus): Promise<AgentSummary> {
    const updated = await this.dataSource.transaction(async (manager) => {
      const row = await queryOne<{ workgroup_ids: string[] }>(
        manager,
        `UPDATE users SET status = $2, status_changed_at = CASE WHEN status = $2 THEN status_changed_at ELSE now() END
          WHERE id = $1 RETURNING workgroup_ids`,
        [user.id, status],
      );
      if (row) await publish(manager, { kind: 'agent', agentId: user.id });
      return row;
    });
    if (!updated) throw ApiError.notFound('user', user.id);
    if (status === AgentStatus.AVAILABLE) this.dispatcher.dispatchSoon(updated.workgroup_ids);
    return this.get(user.id);
  }

  async get(agentId: string): Promise<AgentSummary> {
    const [agent] = await this.list(agentId);
    if (!agent) throw ApiError.notFound('agent', agentId);
    return agent;
  }

  /** The agent's status spans that overlap [from, to), from the history the status trigger keeps. */
  async statusHistory(agentId: string, from: Date, to: Date) {
    await this.get(agentId);
    const rows = await queryRows<{ status: AgentStatus; started_at: Date; ended_at: Date | null }>(
      this.dataSource,
      `SELECT status, started_at, ended_at FROM agent_status_history
        WHERE user_id = $1 AND started_at < $3 AND (ended_at > $2 OR ended_at IS NULL)
        ORDER BY started_at`,
      [agentId, from, to],
    );
    return rows.map((row) => ({
      status: row.status,
      startedAt: new Date(row.started_at).toISOString(),
      endedAt: row.ended_at ? new Date(row.ended_at).toISOString() : null,
    }));
  }

  /** Agents (users with the agent role), each with the interactions holding their capacity. */
  async list(onlyId: string | null = null): Promise<AgentSummary[]> {
    const rows = await queryRows<{
      id: string;
      username: string;
      display_name: string;
      status: AgentStatus;
      status_changed_at: Date;
      workgroup_ids: string[];
      capacity: Record<string, number>;
      interactions: { id: string; type: string; state: string }[] | null;
    }>(
      this.dataSource,
      `SELECT u.id, u.username, u.display_name, u.status, u.status_changed_at, u.workgroup_ids, u.capacity,
              (SELECT json_agg(json_build_object('id', i.id, 'type', i.type, 'state', i.state) ORDER BY i.created_at)
                 FROM interactions i WHERE i.agent_id = u.id AND i.state = ANY($2)) AS interactions
         FROM users u
        WHERE ($1::uuid IS NULL OR u.id = $1) AND ($1::uuid IS NOT NULL OR 'agent' = ANY(u.roles))
        ORDER BY u.username`,
      [onlyId, AGENT_LOAD_STATES],
    );
    return rows.map((row) => ({
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      status: row.status,
      statusChangedAt: new Date(row.status_changed_at).toISOString(),
      workgroupIds: row.workgroup_ids,
      capacity: row.capacity,
      interactions: row.interactions ?? [],
      current: {
        conversation: (row.interactions ?? []).filter((i) => i.type === String(InteractionType.CONVERSATION)).length,
        directMessage: (row.interactions ?? []).filter((i) => i.type === String(InteractionType.DIRECT_MESSAGE)).length,
      },
    }));
  }
}
