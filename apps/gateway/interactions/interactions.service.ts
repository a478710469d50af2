import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { AppConfig } from '@switchboard/config';
import type { DataSource } from 'typeorm';
import {
  acceptUpdate,
  AgentStatus,
  assignUpdate,
  declineUpdate,
  disconnectUpdate,
  InteractionState,
  moveWaitingUpdate,
  InteractionType,
  Platform,
  Role,
  transferUpdate,
  Visibility,
  wrapUpUpdate,
} from '@switchboard/contracts';
import {
  latestInboundMessage,
  openInteractionOnThread,
  pendingPrivateReplyKey,
  expandTemplate,
  judgeReply,
  privateReplyUntil,
  recordEvent,
  replyFacts,
  workflowIdFor,
} from '@switchboard/interactions';
import { dmConversationKey } from '@switchboard/platforms';
import type { Logger } from '@switchboard/observability';
import { publish, queryOne, queryRows } from '@switchboard/persistence';
import { hasRole, type Principal } from '../auth/principal';
import { ApiError } from '../core/api-error';
import { CONFIG, DATA_SOURCE, LOGGER, TEMPORAL_CLIENT } from '../core/tokens';
import { MessageRouter } from '@switchboard/ingest';
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
  agentId?: string;
  platform?: Platform;
  type?: InteractionType;
  mine?: boolean;
  limit?: number;
}

/** Agent actions on interactions, shared by the REST controller and the WebSocket gateway. */
@Injectable()
export class InteractionsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly router: MessageRouter,
  ) {}

  /** Messenger's rules as this deployment's app may use them. */
  private get messenger() {
    return { humanAgentTag: this.config.facebook.humanAgentTag };
  }

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
          AND ($5::text IS NULL OR i.platform = $5)
          AND ($6::text IS NULL OR i.type = $6)
        ORDER BY i.created_at DESC
        LIMIT $4`,
      [
        query.state ?? null,
        query.workgroupId ?? null,
        mine ? user.id : (query.agentId ?? null),
        Math.min(query.limit ?? 100, 500),
        query.platform ?? null,
        query.type ?? null,
      ],
    );
    return rows.map(interactionView);
  }

  /**
   * What the desktop shows around a thread: the account and channel by name, the workgroup with its wrap-up rules, and
   * the wrap-up codes it offers (a code without workgroups serves every workgroup).
   */
  private async context(row: InteractionRecord) {
    const found = await queryOne<{
      account_name: string | null;
      account_handle: string | null;
      channel_name: string | null;
      workgroup_name: string | null;
      wrap_up_required: boolean | null;
      wrap_up_timeout_seconds: number | null;
      codes: { code: string; label: string }[] | null;
    }>(
      this.dataSource,
      `SELECT a.name AS account_name, a.handle AS account_handle, c.name AS channel_name, w.name AS workgroup_name,
              w.wrap_up_required, w.wrap_up_timeout_seconds,
              (SELECT json_agg(json_build_object('code', k.code, 'label', k.label) ORDER BY k.label)
                 FROM wrapup_codes k
                WHERE cardinality(k.workgroup_ids) = 0 OR $4::uuid = ANY(k.workgroup_ids)) AS codes
         FROM (SELECT $1::uuid AS account_id, $2::uuid AS channel_id, $3::uuid AS workgroup_id) r
         LEFT JOIN accounts a ON a.id = r.account_id
         LEFT JOIN channels c ON c.id = r.channel_id
         LEFT JOIN workgroups w ON w.id = r.workgroup_id`,
      [row.account_id, row.channel_id, row.workgroup_id, row.workgroup_id],
    );
    return {
      account: { id: row.account_id, name: found?.account_name ?? null, handle: found?.account_handle ?? null },
      channelName: found?.channel_name ?? null,
      workgroup: row.workgroup_id
        ? {
            id: row.workgroup_id,
            name: found?.workgroup_name ?? null,
            wrapUpRequired: found?.wrap_up_required ?? false,
            wrapUpTimeoutSeconds: found?.wrap_up_timeout_seconds ?? null,
          }
        : null,
      wrapUpCodes: found?.codes ?? [],
    };
  }

  /** The standard responses of the interaction's workgroup, placeholders filled for its customer and this agent. */
  async standardResponses(user: Principal, id: string) {
    const row = await this.visible(user, id);
    const [responses, customer, agent] = await Promise.all([
      queryRows<{ id: string; title: string; text: string }>(
        this.dataSource,
        `SELECT id, title, text FROM standard_responses
          WHERE cardinality(workgroup_ids) = 0 OR $1::uuid = ANY(workgroup_ids)
          ORDER BY title`,
        [row.workgroup_id],
      ),
      row.customer_id
        ? queryOne<{ name: string | null; handle: string | null }>(
            this.dataSource,
            'SELECT name, handle FROM customers WHERE id = $1',
            [row.customer_id],
          )
        : null,
      queryOne<{ display_name: string }>(this.dataSource, 'SELECT display_name FROM users WHERE id = $1', [user.id]),
    ]);
    const values = {
      customerName: customer?.name ?? null,
      customerHandle: customer?.handle ?? null,
      agentName: agent?.display_name ?? user.username,
    };
    return responses.map((r) => ({ id: r.id, title: r.title, template: r.text, text: expandTemplate(r.text, values) }));
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
    const context = await this.context(row);
    return {
      ...(row.state === InteractionState.CONNECTED ? { replyRules: await this.replyRules(row) } : {}),
      ...interactionView(row),
      ...context,
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

  /**
   * What the platform would refuse now, for each visibility the interaction takes (the reply box says it before the
   * agent types), and until when a private answer may go. `POST /replies` judges again, with the text.
   */
  private async replyRules(row: InteractionRecord) {
    const thread = await replyFacts(this.dataSource, row, this.messenger);
    const judge = (visibility: Visibility) => judgeReply({ ...thread, visibility, textLength: 0 });
    const until = privateReplyUntil(thread);
    return {
      public: row.type === InteractionType.CONVERSATION ? judge(Visibility.PUBLIC) : null,
      private: judge(Visibility.PRIVATE),
      privateUntil: until === null ? null : new Date(until).toISOString(),
    };
  }

  /**
   * The reply is stored: it will be sent. If its workflow cannot be told now (Temporal unreachable), the router's sweep
   * tells it later, so the agent still gets 202 and sees the delivery status change.
   */
  private async handOver(interactionId: string, messageId: string): Promise<void> {
    await this.router
      .deliverReply(messageId)
      .catch((error: unknown) =>
        this.logger.warn({ err: error, interactionId, messageId }, 'reply hand-over deferred to the sweep'),
      );
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

  /** The agent turns the offer down: it goes to the next eligible agent at once, never back to them in this queue. */
  async decline(user: Principal, id: string, requestId?: string): Promise<InteractionView> {
    const row = await loadInteraction(this.dataSource, id);
    if (!row) throw ApiError.notFound('interaction', id);
    if (row.state !== InteractionState.OFFERED || row.agent_id !== user.id || !row.offer_id) {
      throw ApiError.conflict('the interaction is not offered to you', [{ state: row.state }]);
    }
    const offerId = row.offer_id;
    await runUpdate(this.temporal, () =>
      this.handle(row).executeUpdate(declineUpdate, {
        args: [{ interactionId: id, agentId: user.id, offerId }],
        updateId: requestId ?? `decline-${offerId}`,
      }),
    );
    return this.after(id);
  }

  /**
   * A supervisor offers a waiting interaction (queued, or offered to someone else, whose offer is withdrawn) to one
   * agent, whatever the queue's order, the agent's workgroups and skills: as long as the agent is signed in and has a
   * free slot for its type.
   */
  async assign(user: Principal, id: string, agentId: string): Promise<InteractionView> {
    const row = await this.visible(user, id);
    if (row.state !== InteractionState.QUEUED && row.state !== InteractionState.OFFERED) {
      throw ApiError.conflict('only a waiting interaction (queued or offered) can be assigned', [{ state: row.state }]);
    }
    const agent = await queryOne<{ roles: string[]; status: AgentStatus }>(
      this.dataSource,
      'SELECT roles, status FROM users WHERE id = $1',
      [agentId],
    );
    if (!agent?.roles.includes(Role.AGENT)) {
      throw ApiError.badRequest('invalid agentId', [{ field: 'agentId', message: 'unknown agent' }]);
    }
    if (row.state === InteractionState.OFFERED && row.agent_id === agentId) {
      throw ApiError.conflict('the interaction is already offered to this agent');
    }
    if (agent.status === AgentStatus.OFFLINE) throw ApiError.conflict('the agent is offline');
    await runUpdate(this.temporal, () =>
      this.handle(row).executeUpdate(assignUpdate, {
        args: [{ interactionId: id, agentId, supervisorId: user.id }],
        // Each request is its own assignment: a refused one may be asked again once the agent has room.
        updateId: `assign-${randomUUID()}`,
      }),
    );
    return this.after(id);
  }

  /** Whom an action on this interaction is for: the user, or the connected agent when a supervisor steps in. */
  private actingAgent(user: Principal, row: InteractionRecord): string {
    return row.agent_id && row.agent_id !== user.id && this.isSupervisor(user) ? row.agent_id : user.id;
  }

  async disconnect(user: Principal, id: string, requestId?: string): Promise<InteractionView> {
    const row = await this.visible(user, id);
    const agentId = this.actingAgent(user, row);
    if (row.state !== InteractionState.CONNECTED || row.agent_id !== agentId) {
      throw ApiError.conflict('the interaction is not connected to you', [{ state: row.state }]);
    }
    await runUpdate(this.temporal, () =>
      this.handle(row).executeUpdate(disconnectUpdate, {
        args: [{ interactionId: id, agentId }],
        updateId: requestId ?? `disconnect-${id}`,
      }),
    );
    return this.after(id);
  }

  /** Ends wrap-up with a code, or without one where the workgroup does not require it. */
  async wrapUp(user: Principal, id: string, code: string | null, requestId?: string): Promise<InteractionView> {
    const row = await this.visible(user, id);
    if (row.state !== InteractionState.WRAPUP || row.agent_id !== user.id) {
      throw ApiError.conflict('the interaction is not in wrap-up with you', [{ state: row.state }]);
    }
    if (code === null) {
      const workgroup = await queryOne<{ wrap_up_required: boolean }>(
        this.dataSource,
        'SELECT wrap_up_required FROM workgroups WHERE id = $1',
        [row.workgroup_id],
      );
      if (workgroup?.wrap_up_required) {
        throw ApiError.badRequest('invalid code', [
          { field: 'code', message: 'this workgroup requires a wrap-up code' },
        ]);
      }
    } else {
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
    }
    await runUpdate(this.temporal, () =>
      this.handle(row).executeUpdate(wrapUpUpdate, {
        args: [{ interactionId: id, agentId: user.id, code }],
        updateId: requestId ?? `wrapup-${id}`,
      }),
    );
    return this.after(id);
  }

  async transfer(
    user: Principal,
    id: string,
    target: { workgroupId?: string; agentId?: string },
    requestId?: string,
  ): Promise<InteractionView> {
    const row = await this.visible(user, id);
    // A supervisor may also move one that still waits (queued, or offered to someone whose offer is withdrawn).
    const waiting =
      (row.state === InteractionState.QUEUED || row.state === InteractionState.OFFERED) && this.isSupervisor(user);
    const agentId = this.actingAgent(user, row);
    if (!waiting && (row.state !== InteractionState.CONNECTED || row.agent_id !== agentId)) {
      throw ApiError.conflict('the interaction is not connected to you', [{ state: row.state }]);
    }
    if ((target.workgroupId === undefined) === (target.agentId === undefined)) {
      throw ApiError.badRequest('invalid workgroupId, agentId', [
        { field: 'workgroupId', message: 'give exactly one of workgroupId and agentId' },
      ]);
    }
    if (
      target.workgroupId &&
      !(await queryOne(this.dataSource, 'SELECT 1 FROM workgroups WHERE id = $1', [target.workgroupId]))
    ) {
      throw ApiError.badRequest('invalid workgroupId', [{ field: 'workgroupId', message: 'unknown workgroup' }]);
    }
    if (target.agentId) {
      const agent = await queryOne<{ roles: string[] }>(this.dataSource, 'SELECT roles FROM users WHERE id = $1', [
        target.agentId,
      ]);
      if (!agent?.roles.includes(Role.AGENT)) {
        throw ApiError.badRequest('invalid agentId', [{ field: 'agentId', message: 'unknown agent' }]);
      }
    }
    if (waiting && target.workgroupId === row.workgroup_id) {
      throw ApiError.conflict('the interaction already waits in that workgroup');
    }
    await runUpdate(this.temporal, () =>
      this.handle(row).executeUpdate(waiting ? moveWaitingUpdate : transferUpdate, {
        args: [
          {
            interactionId: id,
            // For a waiting one, who moved it: the supervisor.
            agentId: waiting ? user.id : agentId,
            toWorkgroupId: target.workgroupId ?? null,
            toAgentId: target.agentId ?? null,
          },
        ],
        // An interaction may be transferred many times (connected_at stays the first connection's): one id per request.
        updateId: requestId ?? `transfer-${randomUUID()}`,
      }),
    );
    return this.after(id);
  }

  /**
   * A private reply on a public thread moves the conversation out of the public space: a new direct-message
   * interaction, child of this one, connected to the same agent, whose first message is this reply (an X DM to the
   * author, or a Messenger private reply to the customer's latest comment).
   */
  private async escalate(user: Principal, parent: InteractionRecord, text: string): Promise<MessageView> {
    const context = await queryOne<{
      platform_user_id: string | null;
      platform_account_id: string;
      private_wg: string | null;
    }>(
      this.dataSource,
      `SELECT c.platform_user_id, a.platform_account_id, ch.private_workgroup_id AS private_wg
         FROM interactions i JOIN accounts a ON a.id = i.account_id
         LEFT JOIN customers c ON c.id = i.customer_id LEFT JOIN channels ch ON ch.id = i.channel_id
        WHERE i.id = $1`,
      [parent.id],
    );
    if (!context?.platform_user_id) {
      throw ApiError.conflict('the thread has no identified customer to message privately');
    }
    const latest = await latestInboundMessage(this.dataSource, parent.account_id, parent.conversation_key, {
      replyable: true,
    });
    if (!latest?.platform_message_id) throw ApiError.conflict('the thread has no customer message to answer privately');
    const conversationKey =
      parent.platform === Platform.TWITTER
        ? dmConversationKey(context.platform_account_id, context.platform_user_id)
        : pendingPrivateReplyKey(context.platform_account_id, latest.platform_message_id);
    const childId = randomUUID();
    const messageId = randomUUID();
    await this.dataSource.transaction(async (manager) => {
      const open = await openInteractionOnThread(manager, parent.account_id, conversationKey);
      if (open) {
        throw ApiError.conflict('the customer already has an open direct-message interaction', [
          { interactionId: open.id },
        ]);
      }
      const workflowId = await workflowIdFor(manager, parent.account_id, conversationKey);
      await manager.query(
        `INSERT INTO interactions (id, type, platform, account_id, channel_id, conversation_key, state, workgroup_id,
                                   agent_id, priority, skills, parent_id, customer_id, connected_at, workflow_id)
         VALUES ($1, 'directMessage', $2, $3, $4, $5, 'connected', $6, $7, $8, $9, $10, $11, now(), $12)`,
        [
          childId,
          parent.platform,
          parent.account_id,
          parent.channel_id,
          conversationKey,
          context.private_wg ?? parent.workgroup_id,
          user.id,
          parent.priority,
          JSON.stringify({}),
          parent.id,
          parent.customer_id,
          workflowId,
        ],
      );
      await manager.query(
        `INSERT INTO messages (id, platform, account_id, conversation_key, interaction_id, direction, visibility,
                               in_reply_to, agent_id, text, sent_at, delivery_status)
         VALUES ($1, $2, $3, $4, $5, 'outbound', 'private', $6, $7, $8, now(), 'pending')`,
        [
          messageId,
          parent.platform,
          parent.account_id,
          conversationKey,
          childId,
          latest.platform_message_id,
          user.id,
          text,
        ],
      );
      await recordEvent(manager, {
        interactionId: parent.id,
        type: 'escalated',
        state: parent.state,
        agentId: user.id,
        workgroupId: parent.workgroup_id,
        data: { childId },
      });
      await recordEvent(manager, {
        interactionId: childId,
        type: 'connected',
        state: InteractionState.CONNECTED,
        agentId: user.id,
        workgroupId: context.private_wg ?? parent.workgroup_id,
        data: { parentId: parent.id, escalated: true },
      });
      await publish(manager, { kind: 'interaction', interactionId: childId }, { kind: 'message.created', messageId });
    });
    await this.handOver(childId, messageId);
    return messageView(
      (await loadMessage(this.dataSource, messageId)) as NonNullable<Awaited<ReturnType<typeof loadMessage>>>,
    );
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
    if (row.type === InteractionType.DIRECT_MESSAGE && visibility === Visibility.PUBLIC) {
      throw ApiError.badRequest('invalid visibility', [
        { field: 'visibility', message: 'a direct message can only be answered privately' },
      ]);
    }
    // Before anything is stored or sent: what the platform would refuse is refused here, with its reason.
    const facts = await replyFacts(this.dataSource, row, this.messenger);
    const refusal = judgeReply({ ...facts, visibility, textLength: [...text].length });
    if (refusal) throw ApiError.unprocessable(refusal.reason, [{ rule: refusal.rule }]);
    if (row.type === InteractionType.CONVERSATION && visibility === Visibility.PRIVATE) {
      return this.escalate(user, row, text);
    }
    const messageId = randomUUID();
    // On a Messenger thread whose opening private reply failed, this message is that private reply again.
    const inReplyTo = row.type === InteractionType.DIRECT_MESSAGE ? (facts.privateTarget?.id ?? null) : null;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO messages (id, platform, account_id, conversation_key, interaction_id, direction, visibility,
                               agent_id, text, sent_at, delivery_status, in_reply_to)
         VALUES ($1, $2, $3, $4, $5, 'outbound', $6, $7, $8, now(), 'pending', $9)`,
        [messageId, row.platform, row.account_id, row.conversation_key, row.id, visibility, user.id, text, inReplyTo],
      );
      await publish(manager, { kind: 'message.created', messageId });
    });
    await this.handOver(row.id, messageId);
    return messageView(
      (await loadMessage(this.dataSource, messageId)) as NonNullable<Awaited<ReturnType<typeof loadMessage>>>,
    );
  }
}
