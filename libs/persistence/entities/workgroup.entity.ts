import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'workgroups' })
export class WorkgroupEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text', unique: true }) name!: string;
  @Column({ name: 'accept_timeout_seconds', type: 'integer' }) acceptTimeoutSeconds!: number;
  @Column({ name: 'wrap_up_required', type: 'boolean' }) wrapUpRequired!: boolean;
  /** Null: wrap-up waits for the agent without limit. */
  @Column({ name: 'wrap_up_timeout_seconds', type: 'integer', nullable: true }) wrapUpTimeoutSeconds!: number | null;
  @Column({ name: 'service_level_seconds', type: 'integer' }) serviceLevelSeconds!: number;
  @Column({ name: 'overflow_after_seconds', type: 'integer', nullable: true }) overflowAfterSeconds!: number | null;
  @Column({ name: 'overflow_workgroup_id', type: 'uuid', nullable: true }) overflowWorkgroupId!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
