import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { DeliveryStatus, MessageDirection, Platform, Visibility } from '@switchboard/contracts';

export interface MessageAttachment {
  type: string;
  url: string | null;
}

export interface DeliveryError {
  code: string;
  message: string;
  platform: unknown;
}

export interface MessageRevision {
  text: string | null;
  replacedAt: string;
}

/**
 * Every post, comment, tweet and direct message, in and out. Inbound rows are the ingest outbox: `routed_at` stays null
 * until the message has reached its interaction's workflow, so a crash between the two is repaired by a sweep.
 */
@Entity({ name: 'messages' })
export class MessageEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) platform!: Platform;
  @Column({ name: 'account_id', type: 'uuid' }) accountId!: string;
  /** Null for an outbound message until the platform accepted it. */
  @Column({ name: 'platform_message_id', type: 'text', nullable: true }) platformMessageId!: string | null;
  @Column({ name: 'conversation_key', type: 'text' }) conversationKey!: string;
  @Column({ name: 'interaction_id', type: 'uuid', nullable: true }) interactionId!: string | null;
  @Column({ type: 'text' }) direction!: MessageDirection;
  @Column({ type: 'text' }) visibility!: Visibility;
  @Column({ name: 'in_reply_to', type: 'text', nullable: true }) inReplyTo!: string | null;
  @Column({ name: 'author_platform_id', type: 'text', nullable: true }) authorPlatformId!: string | null;
  @Column({ name: 'customer_id', type: 'uuid', nullable: true }) customerId!: string | null;
  @Column({ name: 'agent_id', type: 'uuid', nullable: true }) agentId!: string | null;
  @Column({ type: 'text', nullable: true }) text!: string | null;
  @Column({ type: 'jsonb' }) attachments!: MessageAttachment[];
  @Column({ type: 'jsonb' }) revisions!: MessageRevision[];
  @Column({ name: 'sent_at', type: 'timestamptz' }) sentAt!: Date;
  @Column({ name: 'received_at', type: 'timestamptz' }) receivedAt!: Date;
  @Column({ name: 'edited_at', type: 'timestamptz', nullable: true }) editedAt!: Date | null;
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true }) deletedAt!: Date | null;
  @Column({ name: 'hidden_at', type: 'timestamptz', nullable: true }) hiddenAt!: Date | null;
  /** Outbound but not written through Switchboard: the platform's own inbox, the brand's app, an unmatched echo. */
  @Column({ type: 'boolean' }) external!: boolean;
  @Column({ name: 'delivery_status', type: 'text', nullable: true }) deliveryStatus!: DeliveryStatus | null;
  @Column({ name: 'delivery_error', type: 'jsonb', nullable: true }) deliveryError!: DeliveryError | null;
  @Column({ name: 'routed_at', type: 'timestamptz', nullable: true }) routedAt!: Date | null;
  @Column({ type: 'jsonb', nullable: true }) raw!: unknown;
}
