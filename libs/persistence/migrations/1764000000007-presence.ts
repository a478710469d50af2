import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15's presence: each gateway records how many sockets each user holds on it, and refreshes the rows of its
 * connected users; a user whose rows all show no live socket for the grace period goes offline (any gateway may
 * decide it, so a gateway that died is covered by the others).
 */
export class Presence1764000000007 implements MigrationInterface {
  name = 'Presence1764000000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agent_presence (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        gateway_id text NOT NULL,
        sockets integer NOT NULL CHECK (sockets >= 0),
        seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, gateway_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE agent_presence`);
  }
}
