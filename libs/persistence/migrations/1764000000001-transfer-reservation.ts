import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A transfer to one agent reserves the queued interaction for them until an offer to them times out. */
export class TransferReservation1764000000001 implements MigrationInterface {
  name = 'TransferReservation1764000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE interactions ADD COLUMN reserved_agent_id uuid REFERENCES users(id) ON DELETE SET NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE interactions DROP COLUMN reserved_agent_id`);
  }
}
