import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export interface ChannelKeywords {
  any: string[];
  all: string[];
  none: string[];
}

@Entity({ name: 'channels' })
export class ChannelEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ name: 'account_ids', type: 'uuid', array: true }) accountIds!: string[];
  @Column({ type: 'jsonb' }) keywords!: ChannelKeywords;
  @Column({ name: 'public_workgroup_id', type: 'uuid', nullable: true }) publicWorkgroupId!: string | null;
  @Column({ name: 'private_workgroup_id', type: 'uuid', nullable: true }) privateWorkgroupId!: string | null;
  @Column({ type: 'integer' }) priority!: number;
  @Column({ type: 'jsonb' }) skills!: Record<string, number>;
  @Column({ type: 'boolean' }) enabled!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
