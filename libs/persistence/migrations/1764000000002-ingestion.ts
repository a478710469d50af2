import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 3's ingestion:
 * - `messages.external`: an outbound message written outside Switchboard (the Page Inbox, the brand's X app, or a
 *   platform echo not yet matched to our reply); `hidden_at`: a Page moderator hid the comment;
 *   `hidden_changed_at`: when that last changed, so a late hide or unhide cannot undo a newer one.
 * - `customers.profile_checked_at`: when the Messenger profile was last asked for, so it is asked at most daily.
 * - `interactions.thread_deleted_at`: the customer deleted the thread while it waited; the worker ends it as abandoned.
 * - `poll_cursors`: where each polled X account's mention and DM timelines were read up to.
 * - `pending_changes`: an edit, deletion or hide that arrived before the message it changes (platforms do not promise
 *   order); it is applied when the message arrives.
 */
export class Ingestion1764000000002 implements MigrationInterface {
  name = 'Ingestion1764000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages ADD COLUMN external boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE messages ADD COLUMN hidden_at timestamptz`);
    await q.query(`ALTER TABLE messages ADD COLUMN hidden_changed_at timestamptz`);
    await q.query(`ALTER TABLE customers ADD COLUMN profile_checked_at timestamptz`);
    await q.query(`ALTER TABLE interactions ADD COLUMN thread_deleted_at timestamptz`);
    await q.query(`
      CREATE INDEX ix_interactions_thread_deleted ON interactions (thread_deleted_at)
      WHERE thread_deleted_at IS NOT NULL AND state IN ('queued','offered')`);
    await q.query(`
      CREATE TABLE poll_cursors (
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        stream text NOT NULL CHECK (stream IN ('mentions','dm_events')),
        cursor text,
        polled_at timestamptz,
        next_poll_at timestamptz,
        events_stored bigint NOT NULL DEFAULT 0,
        last_error text,
        PRIMARY KEY (account_id, stream)
      )`);
    await q.query(`
      CREATE TABLE pending_changes (
        id bigserial PRIMARY KEY,
        platform text NOT NULL,
        platform_message_id text NOT NULL,
        change jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_pending_changes_message ON pending_changes (platform, platform_message_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE pending_changes`);
    await q.query(`DROP TABLE poll_cursors`);
    await q.query(`DROP INDEX ix_interactions_thread_deleted`);
    await q.query(`ALTER TABLE interactions DROP COLUMN thread_deleted_at`);
    await q.query(`ALTER TABLE customers DROP COLUMN profile_checked_at`);
    await q.query(`ALTER TABLE messages DROP COLUMN hidden_changed_at`);
    await q.query(`ALTER TABLE messages DROP COLUMN hidden_at`);
    await q.query(`ALTER TABLE messages DROP COLUMN external`);
  }
}
