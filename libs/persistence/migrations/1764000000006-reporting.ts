import type { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN = `('queued', 'offered', 'connected', 'wrapup')`;

/**
 * Issue 14: the facts that statistics and reports add up, projected from `interaction_events` by a trigger in the
 * transaction that records each event (so they can never disagree with it), and agents' status history from `users`.
 *
 * - `queue_segments`: one per stay in a workgroup's queue: entered when queued, transferred or overflowed in; ended
 *   when answered (connected), abandoned (thread deleted, or any other end before an agent accepted) or overflowed
 *   out. A transfer or overflow is a new segment in the receiving workgroup.
 * - `offer_segments`: one per offer to an agent: accepted, timed out, or withdrawn (the interaction ended meanwhile).
 * - `handle_segments`: one per agent's stay on an interaction: connected, then disconnected, transferred away or
 *   completed; after a disconnection, wrap-up lasts until the interaction completes.
 * - `agent_status_history`: one span per agent status (available, away, offline), opened and closed by a trigger.
 *
 * No foreign key to workgroups or users: their history stays (reports list the workgroups and agents that exist).
 */
export class Reporting1764000000006 implements MigrationInterface {
  name = 'Reporting1764000000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE queue_segments (
        id bigserial PRIMARY KEY,
        interaction_id uuid NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
        workgroup_id uuid,
        type text NOT NULL,
        entered_at timestamptz NOT NULL,
        entered_via text NOT NULL CHECK (entered_via IN ('queued', 'transfer', 'overflow')),
        ended_at timestamptz,
        outcome text CHECK (outcome IN ('answered', 'abandoned', 'overflowed')),
        agent_id uuid
      )`);
    await q.query(
      `CREATE UNIQUE INDEX uq_queue_segments_open ON queue_segments (interaction_id) WHERE ended_at IS NULL`,
    );
    await q.query(`CREATE INDEX ix_queue_segments_interaction ON queue_segments (interaction_id, entered_at)`);
    // Covering indexes: a month of segments is read from the index alone (once vacuumed, as autovacuum does).
    await q.query(
      `CREATE INDEX ix_queue_segments_entered ON queue_segments (entered_at) INCLUDE (workgroup_id, entered_via)`,
    );
    await q.query(`
      CREATE INDEX ix_queue_segments_ended ON queue_segments (ended_at) INCLUDE (workgroup_id, entered_at, outcome)
      WHERE ended_at IS NOT NULL`);

    await q.query(`
      CREATE TABLE offer_segments (
        id bigserial PRIMARY KEY,
        interaction_id uuid NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
        agent_id uuid NOT NULL,
        workgroup_id uuid,
        type text NOT NULL,
        offered_at timestamptz NOT NULL,
        ended_at timestamptz,
        outcome text CHECK (outcome IN ('accepted', 'timeout', 'withdrawn'))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX uq_offer_segments_open ON offer_segments (interaction_id) WHERE ended_at IS NULL`,
    );
    await q.query(`CREATE INDEX ix_offer_segments_interaction ON offer_segments (interaction_id)`);
    await q.query(
      `CREATE INDEX ix_offer_segments_offered ON offer_segments (offered_at) INCLUDE (agent_id, workgroup_id)`,
    );
    await q.query(`
      CREATE INDEX ix_offer_segments_ended ON offer_segments (ended_at) INCLUDE (agent_id, workgroup_id, outcome)
      WHERE ended_at IS NOT NULL`);

    await q.query(`
      CREATE TABLE handle_segments (
        id bigserial PRIMARY KEY,
        interaction_id uuid NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
        agent_id uuid NOT NULL,
        workgroup_id uuid,
        type text NOT NULL,
        connected_at timestamptz NOT NULL,
        ended_at timestamptz,
        end_reason text CHECK (end_reason IN ('disconnected', 'transferred', 'completed')),
        wrapup_ended_at timestamptz,
        escalated boolean NOT NULL DEFAULT false
      )`);
    await q.query(
      `CREATE UNIQUE INDEX uq_handle_segments_open ON handle_segments (interaction_id) WHERE ended_at IS NULL`,
    );
    await q.query(`CREATE INDEX ix_handle_segments_interaction ON handle_segments (interaction_id, connected_at)`);
    await q.query(`
      CREATE INDEX ix_handle_segments_ended ON handle_segments (ended_at)
      INCLUDE (workgroup_id, agent_id, connected_at, end_reason) WHERE ended_at IS NOT NULL`);
    await q.query(`CREATE INDEX ix_handle_segments_agent ON handle_segments (agent_id, connected_at)`);
    // Busy time: stays whose wrap-up ended in the range, or is still running.
    await q.query(`
      CREATE INDEX ix_handle_segments_wrapup ON handle_segments (wrapup_ended_at) WHERE wrapup_ended_at IS NOT NULL`);
    await q.query(`
      CREATE INDEX ix_handle_segments_in_wrapup ON handle_segments (agent_id)
      WHERE end_reason = 'disconnected' AND wrapup_ended_at IS NULL`);

    await q.query(`
      CREATE TABLE agent_status_history (
        id bigserial PRIMARY KEY,
        user_id uuid NOT NULL,
        status text NOT NULL,
        started_at timestamptz NOT NULL,
        ended_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_agent_status_open ON agent_status_history (user_id) WHERE ended_at IS NULL`);
    await q.query(`CREATE INDEX ix_agent_status_started ON agent_status_history (started_at)`);
    await q.query(`CREATE INDEX ix_agent_status_ended ON agent_status_history (ended_at) WHERE ended_at IS NOT NULL`);
    await q.query(`CREATE INDEX ix_agent_status_user ON agent_status_history (user_id, started_at)`);

    // The real-time figures read only open interactions: each has an index of its own, whatever the history.
    await q.query(`
      CREATE INDEX ix_interactions_active ON interactions (type, created_at)
      WHERE state IN ('queued', 'offered', 'connected')`);
    await q.query(`
      CREATE INDEX ix_interactions_waiting ON interactions (workgroup_id, queued_at)
      WHERE state IN ('queued', 'offered')`);
    await q.query(`
      CREATE INDEX ix_interactions_agent_load ON interactions (agent_id)
      WHERE state IN ('offered', 'connected', 'wrapup')`);
    await q.query(
      `CREATE INDEX ix_interactions_completed ON interactions (completed_at) WHERE completed_at IS NOT NULL`,
    );
    await q.query(`CREATE INDEX ix_users_status ON users (status)`);

    await q.query(`
      CREATE FUNCTION sb_project_event(e interaction_events) RETURNS void
      LANGUAGE plpgsql AS $fn$
      DECLARE
        kind text;
      BEGIN
        SELECT i.type INTO kind FROM interactions i WHERE i.id = e.interaction_id;
        CASE e.type
          WHEN 'queued' THEN
            INSERT INTO queue_segments (interaction_id, workgroup_id, type, entered_at, entered_via)
            VALUES (e.interaction_id, e.workgroup_id, kind, e.at, 'queued');
          WHEN 'transferred' THEN
            UPDATE handle_segments SET ended_at = e.at, end_reason = 'transferred'
             WHERE interaction_id = e.interaction_id AND ended_at IS NULL;
            INSERT INTO queue_segments (interaction_id, workgroup_id, type, entered_at, entered_via)
            VALUES (e.interaction_id, e.workgroup_id, kind, e.at, 'transfer');
          WHEN 'overflowed' THEN
            UPDATE offer_segments SET ended_at = e.at, outcome = 'withdrawn'
             WHERE interaction_id = e.interaction_id AND ended_at IS NULL;
            UPDATE queue_segments SET ended_at = e.at, outcome = 'overflowed'
             WHERE interaction_id = e.interaction_id AND ended_at IS NULL;
            INSERT INTO queue_segments (interaction_id, workgroup_id, type, entered_at, entered_via)
            VALUES (e.interaction_id, e.workgroup_id, kind, e.at, 'overflow');
          WHEN 'offered' THEN
            INSERT INTO offer_segments (interaction_id, agent_id, workgroup_id, type, offered_at)
            VALUES (e.interaction_id, e.agent_id, e.workgroup_id, kind, e.at);
          WHEN 'offer.timeout' THEN
            UPDATE offer_segments SET ended_at = e.at, outcome = 'timeout'
             WHERE interaction_id = e.interaction_id AND ended_at IS NULL;
          WHEN 'connected' THEN
            UPDATE offer_segments SET ended_at = e.at, outcome = 'accepted'
             WHERE interaction_id = e.interaction_id AND ended_at IS NULL;
            UPDATE queue_segments SET ended_at = e.at, outcome = 'answered', agent_id = e.agent_id
             WHERE interaction_id = e.interaction_id AND ended_at IS NULL;
            INSERT INTO handle_segments (interaction_id, agent_id, workgroup_id, type, connected_at, escalated)
            VALUES (e.interaction_id, e.agent_id, e.workgroup_id, kind, e.at,
                    COALESCE((e.data ->> 'escalated')::boolean, false));
          WHEN 'disconnected' THEN
            UPDATE handle_segments SET ended_at = e.at, end_reason = 'disconnected'
             WHERE interaction_id = e.interaction_id AND ended_at IS NULL;
          WHEN 'abandoned', 'completed' THEN
            -- Whatever still waited ends without an agent: abandoned.
            UPDATE offer_segments SET ended_at = e.at, outcome = 'withdrawn'
             WHERE interaction_id = e.interaction_id AND ended_at IS NULL;
            UPDATE queue_segments SET ended_at = e.at, outcome = 'abandoned'
             WHERE interaction_id = e.interaction_id AND ended_at IS NULL;
            UPDATE handle_segments SET wrapup_ended_at = e.at
             WHERE interaction_id = e.interaction_id AND end_reason = 'disconnected' AND wrapup_ended_at IS NULL;
            UPDATE handle_segments SET ended_at = e.at, end_reason = 'completed'
             WHERE interaction_id = e.interaction_id AND ended_at IS NULL;
          ELSE
            NULL;
        END CASE;
      END
      $fn$`);
    await q.query(`
      CREATE FUNCTION sb_project_event_trigger() RETURNS trigger
      LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM sb_project_event(NEW);
        RETURN NULL;
      END
      $fn$`);
    // Filtered messages (most of the traffic) record a 'filtered' event: the WHEN clause keeps them off the trigger.
    await q.query(`
      CREATE TRIGGER tr_interaction_events_project AFTER INSERT ON interaction_events
      FOR EACH ROW WHEN (NEW.type IN ('queued', 'transferred', 'overflowed', 'offered', 'offer.timeout', 'connected',
                                      'disconnected', 'abandoned', 'completed'))
      EXECUTE FUNCTION sb_project_event_trigger()`);

    await q.query(`
      CREATE FUNCTION sb_track_agent_status() RETURNS trigger
      LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          UPDATE agent_status_history SET ended_at = NEW.status_changed_at
           WHERE user_id = NEW.id AND ended_at IS NULL;
        END IF;
        INSERT INTO agent_status_history (user_id, status, started_at) VALUES (NEW.id, NEW.status, NEW.status_changed_at);
        RETURN NULL;
      END
      $fn$`);
    await q.query(`
      CREATE TRIGGER tr_users_status_insert AFTER INSERT ON users
      FOR EACH ROW EXECUTE FUNCTION sb_track_agent_status()`);
    await q.query(`
      CREATE TRIGGER tr_users_status_update AFTER UPDATE OF status ON users
      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION sb_track_agent_status()`);
    await q.query(`
      CREATE FUNCTION sb_close_agent_status() RETURNS trigger
      LANGUAGE plpgsql AS $fn$
      BEGIN
        UPDATE agent_status_history SET ended_at = now() WHERE user_id = OLD.id AND ended_at IS NULL;
        RETURN NULL;
      END
      $fn$`);
    await q.query(`
      CREATE TRIGGER tr_users_status_delete AFTER DELETE ON users
      FOR EACH ROW EXECUTE FUNCTION sb_close_agent_status()`);

    // What already happened, projected the same way, in order.
    await q.query(`SELECT sb_project_event(e) FROM (SELECT * FROM interaction_events ORDER BY id) e`);
    await q.query(`
      INSERT INTO agent_status_history (user_id, status, started_at) SELECT id, status, status_changed_at FROM users`);
    // Segments left open by interactions that are no longer open (none should be) are closed where they ended.
    await q.query(`
      UPDATE queue_segments s SET ended_at = i.completed_at, outcome = 'abandoned'
        FROM interactions i WHERE s.interaction_id = i.id AND s.ended_at IS NULL AND i.state NOT IN ${OPEN}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tr_users_status_delete ON users`);
    await q.query(`DROP TRIGGER tr_users_status_update ON users`);
    await q.query(`DROP TRIGGER tr_users_status_insert ON users`);
    await q.query(`DROP TRIGGER tr_interaction_events_project ON interaction_events`);
    await q.query(`DROP FUNCTION sb_close_agent_status()`);
    await q.query(`DROP FUNCTION sb_track_agent_status()`);
    await q.query(`DROP FUNCTION sb_project_event_trigger()`);
    await q.query(`DROP FUNCTION sb_project_event(interaction_events)`);
    for (const index of [
      'ix_users_status',
      'ix_interactions_completed',
      'ix_interactions_agent_load',
      'ix_interactions_waiting',
      'ix_interactions_active',
    ]) {
      await q.query(`DROP INDEX ${index}`);
    }
    for (const table of ['agent_status_history', 'handle_segments', 'offer_segments', 'queue_segments']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
