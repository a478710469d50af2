import type { DataSource } from 'typeorm';
import { queryOne } from '@switchboard/persistence';
import { averageOrNull, percentOrNull, seconds } from './figures';
import type { InstantForm, ReportInterval, ReportKind } from './report-params';

/**
 * The SQL of the historical reports and what each row becomes. Every query takes the same parameters: $1 from and
 * $2 to (instants; `to` exclusive), $3 REPORT_TIME_ZONE, $4 a workgroup id or null. Each figure is counted in the
 * interval of the moment it describes: offered when a queue segment began, answered / abandoned / speed of answer /
 * service level / longest wait when it ended, handle time when the agent's segment ended, wrap-up codes when the
 * interaction completed. Intervals are wall-clock intervals in REPORT_TIME_ZONE.
 */
export interface ReportSpec {
  sql: string;
  /** A database row as the report shows it; its keys, in order, are the CSV header. */
  map: (row: Record<string, unknown>) => Record<string, unknown>;
}

/** The report's columns, in order: the keys its rows have. */
export function reportColumns(spec: ReportSpec): string[] {
  return Object.keys(spec.map({}));
}

const FROM = '$1::timestamptz';
const TO = '$2::timestamptz';
const TZ = '$3::text';
const WORKGROUP = '$4::uuid';

const STEP: Record<ReportInterval, string> = { '15m': '15 minutes', hour: '1 hour', day: '1 day' };

/** Where `column`'s interval starts, in wall-clock time in the zone: for the first interval of the series. */
function wallClockStart(column: string, interval: ReportInterval): string {
  return interval === '15m'
    ? `(date_trunc('hour', ${column}, ${TZ}) +
        floor(extract(minute FROM ${column} AT TIME ZONE ${TZ}) / 15) * interval '15 minutes')`
    : `date_trunc('${interval}', ${column}, ${TZ})`;
}

/**
 * The number of the interval `column` falls in (joins `buckets.n`): a binary search in the intervals' starts, found
 * once per report, rather than time-zone arithmetic on every row.
 */
export function bucketOf(column: string, interval: ReportInterval | null): string {
  // Never 0: the first interval starts at or before `from`; `greatest` keeps a stray row in the first one regardless.
  return interval ? `greatest(width_bucket(${column}, (SELECT starts FROM bucket_starts)), 1)` : '1';
}

/**
 * Every interval of the range: its number `n`, `start`, and `until` (the next start, clipped to the range), stepped in
 * wall-clock time in the zone. A local time a DST change repeats is read as its earlier instant (PostgreSQL alone
 * takes the later), so the repeated hour is one interval of two hours; a skipped one yields no interval.
 */
function bucketsCte(interval: ReportInterval | null): string {
  if (!interval) return `buckets AS (SELECT 1 AS n, ${FROM} AS start, ${TO} AS until WHERE ${TZ} IS NOT NULL)`;
  const step = `interval '${STEP[interval]}'`;
  const earlier = (local: string) =>
    `least(${local} AT TIME ZONE ${TZ}, ((${local} - interval '1 hour') AT TIME ZONE ${TZ}) + interval '1 hour')`;
  return `buckets AS (
    SELECT row_number() OVER (ORDER BY start)::int AS n, start,
           least(COALESCE(lead(start) OVER (ORDER BY start), ${earlier(`((start AT TIME ZONE ${TZ}) + ${step})`)}),
                 ${TO}) AS until
      FROM (SELECT DISTINCT ${earlier('local')} AS start
              FROM generate_series(${wallClockStart(FROM, interval)} AT TIME ZONE ${TZ},
                                   ${TO} AT TIME ZONE ${TZ} - interval '1 microsecond', ${step}) AS local) starts),
  bucket_starts AS (SELECT array_agg(start ORDER BY start) AS starts FROM buckets)`;
}

/** The intervals a span [since, until) overlaps, each with the seconds of the overlap (for time-in-state figures). */
function spreadOverBuckets(interval: ReportInterval | null): string {
  return `JOIN LATERAL generate_series(${bucketOf('x.since', interval)},
                                        ${bucketOf("x.until - interval '1 microsecond'", interval)}) AS k(n) ON true
          JOIN buckets b ON b.n = k.n`;
}

const inRange = (column: string) => `${column} >= ${FROM} AND ${column} < ${TO}`;
/** Seconds as float8 (`date_part`): `extract` computes in numeric, several times slower over a month of rows. */
const epoch = (expression: string) => `date_part('epoch', ${expression})`;

const iso = (value: unknown): string | null => (value ? new Date(value as string).toISOString() : null);
const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value ?? 0));
const secondsOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : seconds(num(value));

function interactionsReport(): ReportSpec {
  return {
    sql: `
      SELECT i.id, i.platform, i.type, i.state, i.channel_id, c.name AS channel_name, i.workgroup_id,
             w.name AS workgroup_name, i.agent_id, u.username AS agent_username, cu.handle AS customer_handle,
             cu.name AS customer_name, i.created_at, COALESCE(q.first_entered_at, i.queued_at) AS queued_at,
             i.offered_at, i.connected_at, i.disconnected_at, i.completed_at, q.wait_seconds, h.handle_seconds,
             CASE WHEN i.connected_at IS NOT NULL AND i.disconnected_at IS NOT NULL AND i.completed_at IS NOT NULL
                  THEN ${epoch('i.completed_at - i.disconnected_at')} END AS wrapup_seconds,
             i.wrap_up_code, i.end_reason, i.parent_id, COALESCE(o.offers, 0) AS offers,
             COALESCE(q.transfers, 0) AS transfers
        FROM interactions i
        LEFT JOIN channels c ON c.id = i.channel_id
        LEFT JOIN workgroups w ON w.id = i.workgroup_id
        LEFT JOIN users u ON u.id = i.agent_id
        LEFT JOIN customers cu ON cu.id = i.customer_id
        LEFT JOIN LATERAL (
          SELECT min(s.entered_at) AS first_entered_at,
                 sum(${epoch('COALESCE(s.ended_at, now()) - s.entered_at')}) AS wait_seconds,
                 count(*) FILTER (WHERE s.entered_via = 'transfer')::int AS transfers
            FROM queue_segments s WHERE s.interaction_id = i.id) q ON true
        LEFT JOIN LATERAL (
          SELECT sum(${epoch('COALESCE(h.ended_at, now()) - h.connected_at')}) AS handle_seconds
            FROM handle_segments h WHERE h.interaction_id = i.id) h ON true
        LEFT JOIN LATERAL (SELECT count(*)::int AS offers FROM offer_segments o WHERE o.interaction_id = i.id) o ON true
       WHERE ${inRange('i.created_at')}
         AND (${WORKGROUP} IS NULL OR i.workgroup_id = ${WORKGROUP}
              OR EXISTS (SELECT 1 FROM queue_segments s WHERE s.interaction_id = i.id AND s.workgroup_id = ${WORKGROUP}))
         AND ${TZ} IS NOT NULL
       ORDER BY i.created_at, i.id`,
    map: (r) => ({
      id: r['id'],
      platform: r['platform'],
      type: r['type'],
      state: r['state'],
      channelId: r['channel_id'],
      channelName: r['channel_name'],
      workgroupId: r['workgroup_id'],
      workgroupName: r['workgroup_name'],
      agentId: r['agent_id'],
      agentUsername: r['agent_username'],
      customerHandle: r['customer_handle'],
      customerName: r['customer_name'],
      createdAt: iso(r['created_at']),
      queuedAt: iso(r['queued_at']),
      offeredAt: iso(r['offered_at']),
      connectedAt: iso(r['connected_at']),
      disconnectedAt: iso(r['disconnected_at']),
      completedAt: iso(r['completed_at']),
      waitSeconds: secondsOrNull(r['wait_seconds']),
      handleSeconds: secondsOrNull(r['handle_seconds']),
      wrapUpSeconds: secondsOrNull(r['wrapup_seconds']),
      wrapUpCode: r['wrap_up_code'],
      endReason: r['end_reason'],
      parentId: r['parent_id'],
      offers: num(r['offers']),
      transfers: num(r['transfers']),
    }),
  };
}

function workgroupsReport(interval: ReportInterval | null): ReportSpec {
  const segmentFilter = `(${WORKGROUP} IS NULL OR s.workgroup_id = ${WORKGROUP})`;
  return {
    sql: `
      WITH ${bucketsCte(interval)},
      groups AS (SELECT id, name, service_level_seconds FROM workgroups
                  WHERE ${WORKGROUP} IS NULL OR id = ${WORKGROUP}),
      entered AS (
        SELECT ${bucketOf('s.entered_at', interval)} AS bucket, s.workgroup_id, count(*)::int AS offered,
               count(*) FILTER (WHERE s.entered_via = 'transfer')::int AS transferred_in
          FROM queue_segments s WHERE ${inRange('s.entered_at')} AND ${segmentFilter}
         GROUP BY 1, 2),
      ended AS (
        SELECT bucket, workgroup_id,
               count(*) FILTER (WHERE outcome = 'answered')::int AS answered,
               count(*) FILTER (WHERE outcome = 'abandoned')::int AS abandoned,
               count(*) FILTER (WHERE outcome = 'overflowed')::int AS overflowed,
               count(*) FILTER (WHERE outcome = 'transferred')::int AS transferred_waiting,
               sum(wait) FILTER (WHERE outcome = 'answered') AS answer_sum,
               count(*) FILTER (WHERE outcome = 'answered' AND wait <= service_level_seconds)::int AS within,
               max(wait) AS longest_wait
          FROM (SELECT ${bucketOf('s.ended_at', interval)} AS bucket, s.workgroup_id, s.outcome,
                       ${epoch('s.ended_at - s.entered_at')} AS wait, g.service_level_seconds
                  FROM queue_segments s JOIN groups g ON g.id = s.workgroup_id
                 WHERE ${inRange('s.ended_at')}
                OFFSET 0) waits -- OFFSET 0: each wait computed once, not once per aggregate
         GROUP BY 1, 2),
      handled AS (
        SELECT ${bucketOf('h.ended_at', interval)} AS bucket, h.workgroup_id, count(*)::int AS handled,
               sum(${epoch('h.ended_at - h.connected_at')}) AS handle_sum,
               count(*) FILTER (WHERE h.end_reason = 'transferred')::int AS transferred_out
          FROM handle_segments h WHERE ${inRange('h.ended_at')} AND (${WORKGROUP} IS NULL OR h.workgroup_id = ${WORKGROUP})
         GROUP BY 1, 2)
      SELECT b.start, g.id, g.name, COALESCE(e.offered, 0) AS offered, COALESCE(d.answered, 0) AS answered,
             COALESCE(d.abandoned, 0) AS abandoned, d.answer_sum, COALESCE(d.within, 0) AS within,
             d.longest_wait, COALESCE(h.handled, 0) AS handled, h.handle_sum,
             COALESCE(e.transferred_in, 0) AS transferred_in, COALESCE(h.transferred_out, 0) + COALESCE(d.transferred_waiting, 0) AS transferred_out,
             COALESCE(d.overflowed, 0) AS overflowed
        FROM buckets b CROSS JOIN groups g
        LEFT JOIN entered e ON e.bucket = b.n AND e.workgroup_id = g.id
        LEFT JOIN ended d ON d.bucket = b.n AND d.workgroup_id = g.id
        LEFT JOIN handled h ON h.bucket = b.n AND h.workgroup_id = g.id
       ORDER BY b.start, g.name`,
    map: (r) => {
      const answered = num(r['answered']);
      const handled = num(r['handled']);
      return {
        intervalStart: iso(r['start']),
        workgroupId: r['id'],
        workgroupName: r['name'],
        offered: num(r['offered']),
        answered,
        abandoned: num(r['abandoned']),
        averageSpeedOfAnswerSeconds: averageOrNull(num(r['answer_sum']), answered),
        serviceLevelPercent: percentOrNull(num(r['within']), answered),
        longestWaitSeconds: secondsOrNull(r['longest_wait']),
        handled,
        averageHandleSeconds: averageOrNull(num(r['handle_sum']), handled),
        transferredIn: num(r['transferred_in']),
        transferredOut: num(r['transferred_out']),
        overflowed: num(r['overflowed']),
      };
    },
  };
}

function agentsReport(interval: ReportInterval | null): ReportSpec {
  const segmentFilter = (alias: string) => `(${WORKGROUP} IS NULL OR ${alias}.workgroup_id = ${WORKGROUP})`;
  return {
    sql: `
      WITH ${bucketsCte(interval)},
      agents AS (SELECT id, username, display_name FROM users
                  WHERE 'agent' = ANY(roles) AND (${WORKGROUP} IS NULL OR ${WORKGROUP} = ANY(workgroup_ids))),
      offered AS (
        SELECT ${bucketOf('o.offered_at', interval)} AS bucket, o.agent_id, count(*)::int AS offers
          FROM offer_segments o WHERE ${inRange('o.offered_at')} AND ${segmentFilter('o')} GROUP BY 1, 2),
      answered AS (
        SELECT ${bucketOf('o.ended_at', interval)} AS bucket, o.agent_id,
               count(*) FILTER (WHERE o.outcome = 'accepted')::int AS accepted,
               count(*) FILTER (WHERE o.outcome = 'timeout')::int AS timed_out,
               count(*) FILTER (WHERE o.outcome = 'declined')::int AS declined
          FROM offer_segments o WHERE ${inRange('o.ended_at')} AND ${segmentFilter('o')} GROUP BY 1, 2),
      handled AS (
        SELECT ${bucketOf('h.ended_at', interval)} AS bucket, h.agent_id, count(*)::int AS handled,
               sum(${epoch('h.ended_at - h.connected_at')}) AS handle_sum
          FROM handle_segments h WHERE ${inRange('h.ended_at')} AND ${segmentFilter('h')} GROUP BY 1, 2),
      status_spans AS (
        SELECT s.user_id, s.status, greatest(s.started_at, ${FROM}) AS since,
               least(COALESCE(s.ended_at, now()), ${TO}) AS until
          FROM agent_status_history s
         WHERE s.started_at < ${TO} AND (s.ended_at > ${FROM} OR s.ended_at IS NULL)
           AND s.user_id IN (SELECT id FROM agents)),
      statuses AS (
        SELECT b.n, x.user_id,
               sum(${epoch('least(x.until, b.until) - greatest(x.since, b.start)')}) FILTER (WHERE x.status = 'available')
                 AS available,
               sum(${epoch('least(x.until, b.until) - greatest(x.since, b.start)')}) FILTER (WHERE x.status = 'away')
                 AS away,
               sum(${epoch('least(x.until, b.until) - greatest(x.since, b.start)')}) FILTER (WHERE x.status = 'offline')
                 AS offline
          FROM status_spans x ${spreadOverBuckets(interval)}
         WHERE x.since < x.until
         GROUP BY 1, 2),
      busy_spans AS (
        SELECT agent_id, unnest(range_agg(tstzrange(since, until))) AS r FROM (
          SELECT o.agent_id, greatest(o.offered_at, ${FROM}) AS since, least(COALESCE(o.ended_at, now()), ${TO}) AS until
            FROM offer_segments o
           WHERE o.offered_at < ${TO} AND (o.ended_at > ${FROM} OR o.ended_at IS NULL)
          UNION ALL
          SELECT h.agent_id, greatest(h.connected_at, ${FROM}),
                 least(CASE WHEN h.end_reason = 'disconnected' THEN COALESCE(h.wrapup_ended_at, now())
                            ELSE COALESCE(h.ended_at, now()) END, ${TO})
            FROM handle_segments h
           WHERE h.connected_at < ${TO}
             AND (h.ended_at > ${FROM} OR h.wrapup_ended_at > ${FROM} OR h.ended_at IS NULL
                  OR (h.end_reason = 'disconnected' AND h.wrapup_ended_at IS NULL))) spans
         WHERE since < until AND agent_id IN (SELECT id FROM agents)
         GROUP BY agent_id),
      busy AS (
        SELECT b.n, x.agent_id, sum(${epoch('least(x.until, b.until) - greatest(x.since, b.start)')}) AS secs
          FROM (SELECT agent_id, lower(r) AS since, upper(r) AS until FROM busy_spans) x ${spreadOverBuckets(interval)}
         GROUP BY 1, 2)
      SELECT b.start, a.id, a.username, a.display_name, COALESCE(o.offers, 0) AS offers,
             COALESCE(n.accepted, 0) AS accepted, COALESCE(n.timed_out, 0) AS timed_out,
             COALESCE(n.declined, 0) AS declined,
             COALESCE(h.handled, 0) AS handled, h.handle_sum, t.available, t.away, t.offline, y.secs AS busy
        FROM buckets b CROSS JOIN agents a
        LEFT JOIN offered o ON o.bucket = b.n AND o.agent_id = a.id
        LEFT JOIN answered n ON n.bucket = b.n AND n.agent_id = a.id
        LEFT JOIN handled h ON h.bucket = b.n AND h.agent_id = a.id
        LEFT JOIN statuses t ON t.n = b.n AND t.user_id = a.id
        LEFT JOIN busy y ON y.n = b.n AND y.agent_id = a.id
       ORDER BY b.start, a.username`,
    map: (r) => {
      const handled = num(r['handled']);
      return {
        intervalStart: iso(r['start']),
        agentId: r['id'],
        username: r['username'],
        displayName: r['display_name'],
        offers: num(r['offers']),
        accepted: num(r['accepted']),
        offersTimedOut: num(r['timed_out']),
        offersDeclined: num(r['declined']),
        handled,
        averageHandleSeconds: averageOrNull(num(r['handle_sum']), handled),
        availableSeconds: seconds(num(r['available'])),
        awaySeconds: seconds(num(r['away'])),
        offlineSeconds: seconds(num(r['offline'])),
        busySeconds: seconds(num(r['busy'])),
      };
    },
  };
}

function wrapUpCodesReport(interval: ReportInterval | null): ReportSpec {
  return {
    sql: `
      WITH ${bucketsCte(interval)},
      counted AS (
        SELECT ${bucketOf('i.completed_at', interval)} AS bucket, i.workgroup_id, i.wrap_up_code AS code,
               count(*)::int AS count
          FROM interactions i
         WHERE ${inRange('i.completed_at')} AND i.wrap_up_code IS NOT NULL
           AND (${WORKGROUP} IS NULL OR i.workgroup_id = ${WORKGROUP})
         GROUP BY 1, 2, 3)
      SELECT b.start, k.workgroup_id, w.name AS workgroup_name, k.code, c.label, k.count
        FROM counted k JOIN buckets b ON b.n = k.bucket
        LEFT JOIN workgroups w ON w.id = k.workgroup_id
        LEFT JOIN wrapup_codes c ON c.code = k.code
       ORDER BY b.start, w.name, k.code`,
    map: (r) => ({
      intervalStart: iso(r['start']),
      workgroupId: r['workgroup_id'],
      workgroupName: r['workgroup_name'],
      code: r['code'],
      label: r['label'],
      count: num(r['count']),
    }),
  };
}

export function reportSpec(kind: ReportKind, interval: ReportInterval | null): ReportSpec {
  switch (kind) {
    case 'interactions':
      return interactionsReport();
    case 'workgroups':
      return workgroupsReport(interval);
    case 'agents':
      return agentsReport(interval);
    case 'wrapup-codes':
      return wrapUpCodesReport(interval);
  }
}

/**
 * The instants a report's `from` and `to` name, read in the zone by PostgreSQL (it knows the zone's rules): a date is
 * that day's midnight, a wall-clock time is read in the zone, an instant with an offset is itself. Absent: from the
 * start of today, to now.
 */
export async function resolveRange(
  dataSource: DataSource,
  timeZone: string,
  from: { value: string; form: InstantForm } | null,
  to: { value: string; form: InstantForm } | null,
): Promise<{ from: Date; to: Date }> {
  const read = (n: number, form: InstantForm | null) => {
    switch (form) {
      case null:
        return null;
      case 'date':
        return `($${n}::date::timestamp AT TIME ZONE $3)`;
      case 'local':
        return `($${n}::timestamp AT TIME ZONE $3)`;
      case 'absolute':
        return `$${n}::timestamptz`;
    }
  };
  const row = await queryOne<{ from: Date; to: Date }>(
    dataSource,
    `SELECT COALESCE(${read(1, from?.form ?? null) ?? 'NULL::timestamptz'}, date_trunc('day', now(), $3)) AS "from",
            COALESCE(${read(2, to?.form ?? null) ?? 'NULL::timestamptz'}, now()) AS "to",
            $1::text AS from_text, $2::text AS to_text`,
    [from?.value ?? null, to?.value ?? null, timeZone],
  );
  if (!row) throw new Error('could not read the report range');
  return { from: new Date(row.from), to: new Date(row.to) };
}
