import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { IngestMode, Platform } from '@switchboard/contracts';

@Entity({ name: 'accounts' })
export class AccountEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) platform!: Platform;
  @Column({ type: 'text' }) name!: string;
  /** The Facebook Page id or the X user id. */
  @Column({ name: 'platform_account_id', type: 'text' }) platformAccountId!: string;
  @Column({ type: 'text', nullable: true }) handle!: string | null;
  @Column({ type: 'text' }) ingest!: IngestMode;
  /** AES-256-GCM ciphertext of the platform credentials (JSON); never returned by the API. */
  @Column({ name: 'credentials_ciphertext', type: 'text', select: false }) credentialsCiphertext!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
