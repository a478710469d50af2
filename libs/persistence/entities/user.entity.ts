import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { AgentCapacity, AgentStatus, Role } from '@switchboard/contracts';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text', unique: true }) username!: string;
  @Column({ name: 'password_hash', type: 'text', select: false }) passwordHash!: string;
  @Column({ name: 'display_name', type: 'text' }) displayName!: string;
  @Column({ type: 'text', array: true }) roles!: Role[];
  @Column({ name: 'workgroup_ids', type: 'uuid', array: true }) workgroupIds!: string[];
  @Column({ type: 'jsonb' }) skills!: Record<string, number>;
  @Column({ type: 'jsonb' }) capacity!: AgentCapacity;
  @Column({ type: 'text' }) status!: AgentStatus;
  @Column({ name: 'status_changed_at', type: 'timestamptz' }) statusChangedAt!: Date;
  /** When the agent last received an offer: the longest-idle available agent gets the next one. */
  @Column({ name: 'last_offered_at', type: 'timestamptz', nullable: true }) lastOfferedAt!: Date | null;
  /** Tokens name the version they were issued at; moving it on ends every session of the user. */
  @Column({ name: 'token_version', type: 'integer', default: 0 }) tokenVersion!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
