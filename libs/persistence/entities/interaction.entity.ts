import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { InteractionState, InteractionType, Platform } from '@switchboard/contracts';

/** One routed unit of work. At most one open interaction per thread (partial unique index in the migration). */
@Entity({ name: 'interactions' })
export class InteractionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) type!: InteractionType;
  @Column({ type: 'text' }) platform!: Platform;
  @Column({ name: 'account_id', type: 'uuid' }) accountId!: string;
  @Column({ name: 'channel_id', type: 'uuid', nullable: true }) channelId!: string | null;
  @Column({ name: 'conversation_key', type: 'text' }) conversationKey!: string;
  @Column({ type: 'text' }) state!: InteractionState;
  @Column({ name: 'workgroup_id', type: 'uuid', nullable: true }) workgroupId!: string | null;
  @Column({ name: 'agent_id', type: 'uuid', nullable: true }) agentId!: string | null;
  /** Set by a transfer to one agent: only they are offered it, until an offer to them times out. */
  @Column({ name: 'reserved_agent_id', type: 'uuid', nullable: true }) reservedAgentId!: string | null;
  /** The customer deleted the thread while it waited in queue; the worker ends it as abandoned. */
  @Column({ name: 'thread_deleted_at', type: 'timestamptz', nullable: true }) threadDeletedAt!: Date | null;
  @Column({ type: 'integer' }) priority!: number;
  @Column({ type: 'jsonb' }) skills!: Record<string, number>;
  @Column({ name: 'parent_id', type: 'uuid', nullable: true }) parentId!: string | null;
  @Column({ name: 'customer_id', type: 'uuid', nullable: true }) customerId!: string | null;
  @Column({ name: 'offer_id', type: 'uuid', nullable: true }) offerId!: string | null;
  @Column({ name: 'offer_expires_at', type: 'timestamptz', nullable: true }) offerExpiresAt!: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'queued_at', type: 'timestamptz', nullable: true }) queuedAt!: Date | null;
  @Column({ name: 'offered_at', type: 'timestamptz', nullable: true }) offeredAt!: Date | null;
  @Column({ name: 'connected_at', type: 'timestamptz', nullable: true }) connectedAt!: Date | null;
  @Column({ name: 'disconnected_at', type: 'timestamptz', nullable: true }) disconnectedAt!: Date | null;
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true }) completedAt!: Date | null;
  @Column({ name: 'wrap_up_code', type: 'text', nullable: true }) wrapUpCode!: string | null;
  /** Why it ended: `handled`, `abandoned`, `wrapup-timeout`... */
  @Column({ name: 'end_reason', type: 'text', nullable: true }) endReason!: string | null;
  @Column({ name: 'workflow_id', type: 'text', nullable: true }) workflowId!: string | null;
}
