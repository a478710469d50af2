import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import type { Platform } from '@switchboard/contracts';

@Entity({ name: 'customers' })
@Unique('uq_customers_platform_user', ['platform', 'platformUserId'])
export class CustomerEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) platform!: Platform;
  @Column({ name: 'platform_user_id', type: 'text' }) platformUserId!: string;
  @Column({ type: 'text', nullable: true }) handle!: string | null;
  @Column({ type: 'text', nullable: true }) name!: string | null;
  @Column({ type: 'integer', nullable: true }) followers!: number | null;
  @Column({ name: 'profile_url', type: 'text', nullable: true }) profileUrl!: string | null;
  @Column({ name: 'avatar_url', type: 'text', nullable: true }) avatarUrl!: string | null;
  @Column({ name: 'profile_checked_at', type: 'timestamptz', nullable: true }) profileCheckedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
