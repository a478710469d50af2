import type { DataSource } from 'typeorm';
import type { InteractionState, InteractionType, Platform } from '@switchboard/contracts';
import { latestInboundMessage } from '@switchboard/interactions';
import { queryOne, queryRows } from '@switchboard/persistence';

const iso = (value: Date | string | null): string | null => (value ? new Date(value).toISOString() : null);

export interface InteractionRecord {
  id: string;
  type: InteractionType;
  platform: Platform;
  state: InteractionState;
  account_id: string;
  channel_id: string | null;
  conversation_key: string;
  workgroup_id: string | null;
  agent_id: string | null;
  priority: number;
  parent_id: string | null;
  customer_id: string | null;
  offer_id: string | null;
  offer_expires_at: Date | null;
  created_at: Date;
  queued_at: Date | null;
  offered_at: Date | null;
  connected_at: Date | null;
  disconnected_at: Date | null;
  completed_at: Date | null;
  wrap_up_code: string | null;
  end_reason: string | null;
  workflow_id: string | null;
}

export const INTERACTION_COLUMNS = `i.id, i.type, i.platform, i.state, i.account_id, i.channel_id, i.conversation_key,
  i.workgroup_id, i.agent_id, i.priority, i.parent_id, i.customer_id, i.offer_id, i.offer_expires_at, i.created_at, i.queued_at,
  i.offered_at, i.connected_at, i.disconnected_at, i.completed_at, i.wrap_up_code, i.end_reason, i.workflow_id`;

export function interactionView(row: InteractionRecord) {
  return {
    id: row.id,
    type: row.type,
    platform: row.platform,
    state: row.state,
    accountId: row.account_id,
    channelId: row.channel_id,
    conversationKey: row.conversation_key,
    workgroupId: row.workgroup_id,
    agentId: row.agent_id,
    priority: row.priority,
    parentId: row.parent_id,
    customerId: row.customer_id,
    createdAt: iso(row.created_at),
    queuedAt: iso(row.queued_at),
    offeredAt: iso(row.offered_at),
    offerExpiresAt: iso(row.offer_expires_at),
    connectedAt: iso(row.connected_at),
    disconnectedAt: iso(row.disconnected_at),
    completedAt: iso(row.completed_at),
    wrapUpCode: row.wrap_up_code,
    endReason: row.end_reason,
    workflowId: row.workflow_id,
  };
}

export type InteractionView = ReturnType<typeof interactionView>;

export interface MessageRecord {
  id: string;
  interaction_id: string | null;
  platform: string;
  platform_message_id: string | null;
  conversation_key: string;
  direction: string;
  visibility: string;
  in_reply_to: string | null;
  author_platform_id: string | null;
  customer_id: string | null;
  agent_id: string | null;
  text: string | null;
  attachments: unknown[];
  revisions: unknown[];
  sent_at: Date;
  received_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
  hidden_at: Date | null;
  external: boolean;
  delivery_status: string | null;
  delivery_error: unknown;
}

export const MESSAGE_COLUMNS = `m.id, m.interaction_id, m.platform, m.platform_message_id, m.conversation_key,
  m.direction, m.visibility, m.in_reply_to, m.author_platform_id, m.customer_id, m.agent_id, m.text, m.attachments,
  m.revisions, m.sent_at, m.received_at, m.edited_at, m.deleted_at, m.hidden_at, m.external,
  m.delivery_status, m.delivery_error`;

export function messageView(row: MessageRecord) {
  return {
    id: row.id,
    interactionId: row.interaction_id,
    platform: row.platform,
    platformMessageId: row.platform_message_id,
    direction: row.direction,
    visibility: row.visibility,
    inReplyTo: row.in_reply_to,
    authorPlatformId: row.author_platform_id,
    customerId: row.customer_id,
    agentId: row.agent_id,
    text: row.text,
    attachments: row.attachments,
    revisions: row.revisions,
    sentAt: iso(row.sent_at),
    receivedAt: iso(row.received_at),
    editedAt: iso(row.edited_at),
    deletedAt: iso(row.deleted_at),
    deleted: row.deleted_at !== null,
    hiddenAt: iso(row.hidden_at),
    /** Outbound but written outside Switchboard (the platform's own inbox or app). */
    external: row.external,
    deliveryStatus: row.delivery_status,
    deliveryError: row.delivery_error ?? null,
  };
}

export type MessageView = ReturnType<typeof messageView>;

export async function loadInteraction(dataSource: DataSource, id: string): Promise<InteractionRecord | null> {
  return queryOne<InteractionRecord>(dataSource, `SELECT ${INTERACTION_COLUMNS} FROM interactions i WHERE i.id = $1`, [
    id,
  ]);
}

export async function loadMessage(dataSource: DataSource, id: string): Promise<MessageRecord | null> {
  return queryOne<MessageRecord>(dataSource, `SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.id = $1`, [id]);
}

/** What an agent needs to decide on an offer at a glance: who, and what they last said. */
export async function loadOfferPreview(dataSource: DataSource, interaction: InteractionRecord) {
  const [customer, last] = await Promise.all([
    interaction.customer_id
      ? queryOne<{ platform_user_id: string; handle: string | null; name: string | null; followers: number | null }>(
          dataSource,
          'SELECT platform_user_id, handle, name, followers FROM customers WHERE id = $1',
          [interaction.customer_id],
        )
      : null,
    latestInboundMessage(dataSource, interaction.account_id, interaction.conversation_key),
  ]);
  return {
    customer: customer && {
      platformUserId: customer.platform_user_id,
      handle: customer.handle,
      name: customer.name,
      followers: customer.followers,
    },
    lastMessage: last && { text: last.text, sentAt: iso(last.sent_at) },
  };
}

/** The whole thread: every message with the interaction's conversation key, earlier interactions' included. */
export async function loadThread(dataSource: DataSource, interaction: InteractionRecord): Promise<MessageView[]> {
  const rows = await queryRows<MessageRecord>(
    dataSource,
    `SELECT ${MESSAGE_COLUMNS} FROM messages m
      WHERE m.account_id = $1 AND m.conversation_key = $2
      ORDER BY m.sent_at, m.received_at`,
    [interaction.account_id, interaction.conversation_key],
  );
  return rows.map(messageView);
}
