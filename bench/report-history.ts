import type { Client as PgClient } from 'pg';
import type { ApiClient } from '../test/support/api-client';
import { facebookAccountBody } from '../test/support/builders';

export const INTERACTIONS = Number(process.env['BENCH_INTERACTIONS'] ?? 1_000_000);
export const DAYS = 90;
const WORKGROUPS = 10;
const AGENTS = 50;

export interface BenchConfiguration {
  accountId: string;
  workgroups: string[];
  agents: string[];
}

/** A Page, ten workgroups, fifty agents in two workgroups each: through the API, as an admin would. */
export async function configure(admin: ApiClient): Promise<BenchConfiguration> {
  const accountId = (await admin.create('/api/accounts', facebookAccountBody())).id;
  const workgroups: string[] = [];
  for (let i = 0; i < WORKGROUPS; i++) {
    workgroups.push((await admin.create('/api/workgroups', { name: `Workgroup ${i}`, acceptTimeoutSeconds: 30 })).id);
  }
  const agents: string[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const user = await admin.create('/api/users', {
      username: `agent${i}`,
      password: 'bench-password',
      displayName: `Agent ${i}`,
      roles: ['agent'],
      workgroupIds: [workgroups[i % WORKGROUPS], workgroups[(i + 1) % WORKGROUPS]],
    });
    agents.push(user.id);
  }
  return { accountId, workgroups, agents };
}

/**
 * The history, in set-based SQL: interactions spread evenly over 90 days (90 % answered and handled, 5 % abandoned
 * while waiting, 5 % filtered), each with the events the lifecycle records and the segments the projection trigger
 * would have made from them (the trigger is off for the load: a million row-by-row calls would take minutes).
 */
function loadSql({ accountId, workgroups, agents }: BenchConfiguration) {
  const wgs = `ARRAY['${workgroups.join("','")}']::uuid[]`;
  const ags = `ARRAY['${agents.join("','")}']::uuid[]`;
  const span = `${DAYS} * 86400`;
  const session = [`SET session_replication_role = replica`, `SET synchronous_commit = off`];
  const prepare = [
    // Time-ordered ids (PostgreSQL 18's uuidv7) keep a million inserts into each id index sequential.
    `CREATE UNLOGGED TABLE bench_gen AS
       SELECT n, uuidv7() AS id,
              now() - interval '${DAYS} days' + (n::float8 / ${INTERACTIONS} * ${span}) * interval '1 second' AS t0,
              CASE WHEN n % 20 = 0 THEN 'filtered' WHEN n % 20 = 1 THEN 'abandoned' ELSE 'handled' END AS kind,
              CASE WHEN n % 5 = 0 THEN 'directMessage' ELSE 'conversation' END AS type,
              (${wgs})[1 + n % ${WORKGROUPS}] AS wg, (${ags})[1 + (n / 7) % ${AGENTS}] AS agent,
              (n % 600) * interval '1 second' AS wait, (60 + n % 900) * interval '1 second' AS handle,
              (5 + n % 60) * interval '1 second' AS wrap
         FROM generate_series(1, ${INTERACTIONS}) AS n`,
  ];
  const interactions = [
    `INSERT INTO interactions (id, type, platform, account_id, conversation_key, state, workgroup_id, agent_id,
                               created_at, queued_at, offered_at, connected_at, disconnected_at, completed_at,
                               wrap_up_code, end_reason)
       SELECT id, type, 'facebook', '${accountId}', 'bench-' || n,
              CASE WHEN kind = 'filtered' THEN 'filtered' ELSE 'completed' END,
              CASE WHEN kind = 'filtered' THEN NULL ELSE wg END,
              CASE WHEN kind = 'handled' THEN agent END, t0,
              CASE WHEN kind <> 'filtered' THEN t0 END,
              CASE WHEN kind = 'handled' THEN t0 + wait - interval '1 second' END,
              CASE WHEN kind = 'handled' THEN t0 + wait END,
              CASE WHEN kind = 'handled' THEN t0 + wait + handle END,
              CASE WHEN kind = 'handled' THEN t0 + wait + handle + wrap WHEN kind = 'abandoned' THEN t0 + wait END,
              CASE WHEN kind = 'handled' THEN (ARRAY['resolved','refund','escalated'])[1 + n % 3] END,
              CASE WHEN kind = 'handled' THEN 'handled' WHEN kind = 'abandoned' THEN 'abandoned' END
         FROM bench_gen`,
  ];
  const events = [
    `INSERT INTO interaction_events (interaction_id, type, state, agent_id, workgroup_id, at)
       SELECT id, e.type, e.state, e.agent, wg, e.at FROM bench_gen g
        CROSS JOIN LATERAL (VALUES
          ('filtered', 'filtered', NULL::uuid, t0, kind = 'filtered'),
          ('queued', 'queued', NULL, t0, kind <> 'filtered'),
          ('abandoned', 'completed', NULL, t0 + wait, kind = 'abandoned'),
          ('offered', 'offered', agent, t0 + wait - interval '1 second', kind = 'handled'),
          ('connected', 'connected', agent, t0 + wait, kind = 'handled'),
          ('disconnected', 'wrapup', agent, t0 + wait + handle, kind = 'handled'),
          ('wrapup', 'completed', agent, t0 + wait + handle + wrap, kind = 'handled'),
          ('completed', 'completed', agent, t0 + wait + handle + wrap, kind = 'handled')
        ) AS e(type, state, agent, at, keep)
        WHERE e.keep`,
  ];
  const facts = [
    `INSERT INTO queue_segments (interaction_id, workgroup_id, type, entered_at, entered_via, ended_at, outcome,
                                 agent_id)
       SELECT id, wg, type, t0, 'queued', t0 + wait, CASE WHEN kind = 'handled' THEN 'answered' ELSE 'abandoned' END,
              CASE WHEN kind = 'handled' THEN agent END
         FROM bench_gen WHERE kind <> 'filtered'`,
    `INSERT INTO offer_segments (interaction_id, agent_id, workgroup_id, type, offered_at, ended_at, outcome)
       SELECT id, agent, wg, type, t0 + wait - interval '1 second', t0 + wait, 'accepted'
         FROM bench_gen WHERE kind = 'handled'`,
    `INSERT INTO handle_segments (interaction_id, agent_id, workgroup_id, type, connected_at, ended_at, end_reason,
                                  wrapup_ended_at)
       SELECT id, agent, wg, type, t0 + wait, t0 + wait + handle, 'disconnected', t0 + wait + handle + wrap
         FROM bench_gen WHERE kind = 'handled'`,
    // A working day per agent per day: offline, available 8 h, away 1 h, offline again.
    `INSERT INTO agent_status_history (user_id, status, started_at, ended_at)
       SELECT a, s.status, d + s.since, d + s.until
         FROM unnest(${ags}) AS a
        CROSS JOIN generate_series(date_trunc('day', now()) - interval '${DAYS} days',
                                   date_trunc('day', now()) - interval '1 day', interval '1 day') AS d
        CROSS JOIN (VALUES ('offline', interval '0 hours', interval '8 hours'),
                           ('available', interval '8 hours', interval '16 hours'),
                           ('away', interval '16 hours', interval '17 hours'),
                           ('offline', interval '17 hours', interval '24 hours')) AS s(status, since, until)`,
  ];
  // What autovacuum would do soon after such a load: statistics, and the visibility map index-only scans need.
  const finish = [`DROP TABLE bench_gen`, `RESET session_replication_role`, `VACUUM ANALYZE`];
  return { session, prepare, interactions, events, facts, finish };
}

/** Runs the load on two connections (the events on one, the segments on the other, at once); returns seconds. */
export async function loadHistory(db: PgClient, second: PgClient, ids: BenchConfiguration): Promise<number> {
  const started = Date.now();
  const sql = loadSql(ids);
  const run = async (client: PgClient, statements: string[]) => {
    for (const statement of statements) await client.query(statement);
  };
  await Promise.all([run(db, sql.session), run(second, sql.session)]);
  await run(db, [...sql.prepare, ...sql.interactions]);
  await Promise.all([run(db, sql.events), run(second, sql.facts)]);
  await run(db, sql.finish);
  await run(second, ['RESET session_replication_role']);
  return (Date.now() - started) / 1000;
}
