import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13, parts 3 and 5:
 * - `users.token_version`: every token names the version it was issued at; a password change, a lost role or the
 *   user's deletion moves it on, and older tokens stop working at once on every gateway.
 * - `rate_limits`: counters of failed logins (per user name, per client address) that every gateway shares, in the
 *   layout of `rate-limiter-flexible`'s PostgreSQL store (`expire` in epoch milliseconds).
 */
export class SessionsAndLimits1764000000005 implements MigrationInterface {
  name = 'SessionsAndLimits1764000000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE TABLE rate_limits (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limits`);
    await q.query(`ALTER TABLE users DROP COLUMN token_version`);
  }
}
