import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Declining and assigning offers. An interaction remembers who declined it while it waits in this queue (they are not
 * offered it again; a transfer starts afresh), and the offers a decline or a supervisor's assignment ended are
 * projected into `offer_segments` as `declined` and `withdrawn`.
 */
export class DeclineAndAssign1764000000008 implements MigrationInterface {
  name = 'DeclineAndAssign1764000000008';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE interactions ADD COLUMN declined_agent_ids uuid[] NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE offer_segments DROP CONSTRAINT offer_segments_outcome_check`);
    await q.query(`
      ALTER TABLE offer_segments ADD CONSTRAINT offer_segments_outcome_check
        CHECK (outcome IN ('accepted', 'timeout', 'withdrawn', 'declined'))`);
    await q.query(`
      CREATE FUNCTION sb_project_offer_end() RETURNS trigger
      LANGUAGE plpgsql AS $fn$
      BEGIN
        UPDATE offer_segments
           SET ended_at = NEW.at, outcome = CASE NEW.type WHEN 'offer.declined' THEN 'declined' ELSE 'withdrawn' END
         WHERE interaction_id = NEW.interaction_id AND ended_at IS NULL;
        RETURN NULL;
      END
      $fn$`);
    await q.query(`
      CREATE TRIGGER tr_interaction_events_offer_end AFTER INSERT ON interaction_events
      FOR EACH ROW WHEN (NEW.type IN ('offer.declined', 'offer.withdrawn'))
      EXECUTE FUNCTION sb_project_offer_end()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tr_interaction_events_offer_end ON interaction_events`);
    await q.query(`DROP FUNCTION sb_project_offer_end()`);
    await q.query(`UPDATE offer_segments SET outcome = 'withdrawn' WHERE outcome = 'declined'`);
    await q.query(`ALTER TABLE offer_segments DROP CONSTRAINT offer_segments_outcome_check`);
    await q.query(`
      ALTER TABLE offer_segments ADD CONSTRAINT offer_segments_outcome_check
        CHECK (outcome IN ('accepted', 'timeout', 'withdrawn'))`);
    await q.query(`ALTER TABLE interactions DROP COLUMN declined_agent_ids`);
  }
}
