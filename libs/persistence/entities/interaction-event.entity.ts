import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { InteractionState } from '@switchboard/contracts';

/** The reporting log: one row per step of an interaction, written in the same transaction as the step. */
@Entity({ name: 'interaction_events' })
export class InteractionEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'interaction_id', type: 'uuid' }) interactionId!: string;
  @Column({ type: 'text' }) type!: string;
  @Column({ type: 'text' }) state!: InteractionState;
  @Column({ name: 'agent_id', type: 'uuid', nullable: true }) agentId!: string | null;
  @Column({ name: 'workgroup_id', type: 'uuid', nullable: true }) workgroupId!: string | null;
  @Column({ type: 'timestamptz' }) at!: Date;
  @Column({ type: 'jsonb' }) data!: Record<string, unknown>;
}
