import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A supervisor's transfer of an interaction still waiting (queued or offered): its stay in the first queue ends as
 * `transferred` (any offer withdrawn) and a new stay begins in the receiving workgroup, entered by transfer.
 */
export class WaitingTransfer1764000000009 implements MigrationInterface {
  name = 'WaitingTransfer1764000000009';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE queue_segments DROP CONSTRAINT queue_segments_outcome_check`);
    await q.query(`
      ALTER TABLE queue_segments ADD CONSTRAINT queue_segments_outcome_check
        CHECK (outcome IN ('answered', 'abandoned', 'overflowed', 'transferred'))`);
    await q.query(`
      CREATE FUNCTION sb_project_waiting_transfer() RETURNS trigger
      LANGUAGE plpgsql AS $fn$
      BEGIN
        UPDATE offer_segments SET ended_at = NEW.at, outcome = 'withdrawn'
         WHERE interaction_id = NEW.interaction_id AND ended_at IS NULL;
        UPDATE queue_segments SET ended_at = NEW.at, outcome = 'transferred'
         WHERE interaction_id = NEW.interaction_id AND ended_at IS NULL;
        INSERT INTO queue_segments (interaction_id, workgroup_id, type, entered_at, entered_via)
        SELECT NEW.interaction_id, NEW.workgroup_id, i.type, NEW.at, 'transfer' FROM interactions i
         WHERE i.id = NEW.interaction_id;
        RETURN NULL;
      END
      $fn$`);
    await q.query(`
      CREATE TRIGGER tr_interaction_events_waiting_transfer AFTER INSERT ON interaction_events
      FOR EACH ROW WHEN (NEW.type = 'queue.transferred')
      EXECUTE FUNCTION sb_project_waiting_transfer()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tr_interaction_events_waiting_transfer ON interaction_events`);
    await q.query(`DROP FUNCTION sb_project_waiting_transfer()`);
    await q.query(`UPDATE queue_segments SET outcome = 'overflowed' WHERE outcome = 'transferred'`);
    await q.query(`ALTER TABLE queue_segments DROP CONSTRAINT queue_segments_outcome_check`);
    await q.query(`
      ALTER TABLE queue_segments ADD CONSTRAINT queue_segments_outcome_check
        CHECK (outcome IN ('answered', 'abandoned', 'overflowed'))`);
  }
}
