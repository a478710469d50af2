import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import {
  acceptUpdate,
  agentReplySignal,
  disconnectUpdate,
  InteractionState,
  InteractionType,
  Role,
  Visibility,
  wrapUpUpdate,
} from '@switchboard/contracts';
import { publish, queryOne, queryRows } from '@switchboard/persistence';
import { hasRole, type Principal } from '../auth/principal';
import { ApiError } from '../core/api-error';
import { DATA_SOURCE, TEMPORAL_CLIENT } from '../core/tokens';
import {
  INTERACTION_COLUMNS,
  interactionView,
  loadInteraction,
  loadMessage,
  loadThread,
  messageView,
  type InteractionRecord,
  type InteractionView,
  type MessageView,
} from './views';
import { runUpdate } from './workflow-updates';

export interface InteractionQuery {
  state?: InteractionState;
  workgroupId?: string;
  mine?: boolean;
  limit?: number;
}

/** Agent actions on interactions, shared by the REST controller and the WebSocket gateway. */
@Injectable()
export class InteractionsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  private isSupervisor(user: Principal): boolean {
    return hasRole(user, Role.SUPERVISOR, Role.ADMIN);
  }

  async list(user: Principal, query: InteractionQuery): Promise<InteractionView[]> {
    const mine = query.mine === true || !this.isSupervisor(user);
    const rows = await queryRows<InteractionRecord>(
      this.dataSource,
      `SELECT ${INTERACTION_COLUMNS} FROM interactions i
        WHERE ($1::text IS NULL OR i.state = $1)
          AND ($2::uuid IS NULL OR i.workgroup_id = $2)
          AND ($3::uuid IS NULL OR i.agent_id = $3)
        ORDER BY i.created_at DESC
        LIMIT $4`,
      [query.state ?? null, query.workgroupId ?? null, mine ? user.id : null, Math.min(query.limit ?? 100, 500)],
    );
    return rows.map(interactionView);
  }

  /** The interaction, 404 when unknown, 403 when an agent asks for someone else's. */
  async visible(user: Principal, id: string): Promise<InteractionRecord> {
    const row = await loadInteraction(this.dataSource, id);
    if (!row) throw ApiError.notFound('interaction', id);
    if (!this.isSupervisor(user) && row.agent_id !== user.id) {
      throw ApiError.forbidden('agents see only their own interactions');
    }
    return row;
  }

  async detail(user: Principal, id: string) {
    const row = await this.visible(user, id);
    const [messages, customer, history] = await Promise.all([
      loadThread(this.dataSource, row),
      row.customer_id
        ? queryOne<{
            id: string;
            platform: string;
            platform_user_id: string;
            handle: string | null;
            name: string | null;
            followers: number | null;
            profile_url: string | null;
            avatar_url: string | null;
          }>(this.dataSource, 'SELECT * FROM customers WHERE id = $1', [row.customer_id])
        : null,
      row.customer_id
        ? queryRows<InteractionRecord>(
            this.dataSource,
            `SELECT ${INTERACTION_COLUMNS} FROM interactions i
              WHERE i.customer_id = $1 AND i.id <> $2 ORDER BY i.created_at DESC LIMIT 20`,
            [row.customer_id, row.id],
          )
        : [],
    ]);
    return {
      ...interactionView(row),
      messages,
      customer: customer && {
        id: customer.id,
        platform: customer.platform,
        platformUserId: customer.platform_user_id,
        handle: customer.handle,
        name: customer.name,
        followers: customer.followers,
        profileUrl: customer.profile_url,
        avatarUrl: customer.avatar_url,
      },
      history: history.map(interactionView),
    };
  }

  private handle(row: InteractionRecord) {
    if (!row.workflow_id) throw ApiError.conflict(`the interaction is ${row.state}: it has no workflow`);
    return this.temporal.workflow.getHandle(row.workflow_id);
  }

  private async after(id: string): Promise<InteractionView> {
    return interactionView((await loadInteraction(this.dataSource, id)) as InteractionRecord);
  }

  async accept(user: Principal, id: string, requestId?: string): Promise<InteractionView> {
    const row = await loadInteraction(this.dataSource, id);
    if (!row) throw ApiError.notFound('interaction', id);
    if (row.state !== InteractionState.OFFERED || row.agent_id !== user.id) {
      throw ApiError.conflict('the interaction is not offered to you', [{ state: row.state }]);
    }
    await runUpdate(this.temporal, () =>
      this.handle(row).executeUpdate(acceptUpdate, {
        args: [
          {
            interactionId: id,
            agentId: user.id,
            agentName: user.username,
            offerId: row.offer_id as string,
            expiresAt: new Date(row.offer_expires_at as Date).toISOString(),
          },
        ],
        updateId: requestId ?? `accept-${row.offer_id}`,
      }),
    );
    return this.after(id);
  }

  async disconnect(user: Principal, id: string, requestId?: string): Promise<InteractionView> {
    const row = await this.visible(user, id);
    if (row.state !== InteractionState.CONNECTED || row.agent_id !== user.id) {
      throw ApiError.conflict('the interaction is not connected to you', [{ state: row.state }]);
    }
    await runUpdate(this.temporal, () =>
      this.handle(row).executeUpdate(disconnectUpdate, {
        args: [{ interactionId: id, agentId: user.id }],
        updateId: requestId ?? `disconnect-${id}`,
      }),
    );
    return this.after(id);
  }

  async wrapUp(user: Principal, id: string, code: string, requestId?: string): Promise<InteractionView> {
    const row = await this.visible(user, id);
    if (row.state !== InteractionState.WRAPUP || row.agent_id !== user.id) {
      throw ApiError.conflict('the interaction is not in wrap-up with you', [{ state: row.state }]);
    }
    const known = await queryOne<{ code: string }>(
      this.dataSource,
      `SELECT code FROM wrapup_codes WHERE code = $1 AND (cardinality(workgroup_ids) = 0 OR $2::uuid = ANY(workgroup_ids))`,
      [code, row.workgroup_id],
    );
    if (!known) {
      throw ApiError.badRequest('invalid code', [
        { field: 'code', message: `no wrap-up code "${code}" for this workgroup` },
      ]);
    }
    await runUpdate(this.temporal, () =>
      this.handle(row).executeUpdate(wrapUpUpdate, {
        args: [{ interactionId: id, agentId: user.id, code }],
        updateId: requestId ?? `wrapup-${id}`,
      }),
    );
    return this.after(id);
  }

  /**
   * Stores the reply as pending and tells the workflow, which sends it; the caller gets the message at once and
   * sees `deliveryStatus` change through `message.updated`.
   */
  async reply(user: Principal, id: string, text: string, visibility: Visibility): Promise<MessageView> {
    const row = await this.visible(user, id);
    if (row.state !== InteractionState.CONNECTED || row.agent_id !== user.id) {
      throw ApiError.conflict('you can reply only on an interaction connected to you', [{ state: row.state }]);
    }
    if (row.type === InteractionType.CONVERSATION && visibility === Visibility.PRIVATE) {
      throw ApiError.conflict('private replies on public threads (escalation) are not available yet');
    }
    if (row.type === InteractionType.DIRECT_MESSAGE && visibility === Visibility.PUBLIC) {
      throw ApiError.badRequest('invalid visibility', [
        { field: 'visibility', message: 'a direct message can only be answered privately' },
      ]);
    }
    const messageId = randomUUID();
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO messages (id, platform, account_id, conversation_key, interaction_id, direction, visibility,
                               agent_id, text, sent_at, delivery_status)
         VALUES ($1, $2, $3, $4, $5, 'outbound', $6, $7, $8, now(), 'pending')`,
        [messageId, row.platform, row.account_id, row.conversation_key, row.id, visibility, user.id, text],
      );
      await publish(manager, { kind: 'message.created', messageId });
    });
    await this.handle(row).signal(agentReplySignal, { interactionId: row.id, messageId });
    await this.dataSource.query('UPDATE messages SET routed_at = now() WHERE id = $1', [messageId]);
    return messageView(
      (await loadMessage(this.dataSource, messageId)) as NonNullable<Awaited<ReturnType<typeof loadMessage>>>,
    );
  }
}
