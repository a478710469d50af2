import type { DataSource } from 'typeorm';
import { queryOne } from '@switchboard/persistence';
import { averageOrNull, percentOrNull, seconds } from './figures';

/** One workgroup's live figures (CONTRACT §3); "today" is the calendar day in REPORT_TIME_ZONE. */
export interface WorkgroupStats {
  id: string;
  name: string;
  waiting: number;
  longestWaitingSeconds: number;
  agentsAvailable: number;
  agentsBusy: number;
  answeredToday: number;
  abandonedToday: number;
  averageSpeedOfAnswerSeconds: number | null;
  serviceLevelSeconds: number;
  serviceLevelPercent: number | null;
}

export interface RealtimeStats {
  /** When the figures were taken (the database's clock). */
  at: string;
  timeZone: string;
  /** The start of "today" in `timeZone`. */
  todayStartedAt: string;
  longestSocialConversationSeconds: number;
  longestSocialDirectMessageSeconds: number;
  activeSocialConversations: number;
  activeSocialDirectMessages: number;
  workgroups: WorkgroupStats[];
}

interface Row {
  now: Date;
  today: Date;
  active: { type: string; n: number; oldest_seconds: number }[] | null;
  workgroups:
    | {
        id: string;
        name: string;
        service_level_seconds: number;
        waiting: number | null;
        oldest_seconds: number | null;
        available: number | null;
        busy: number | null;
        answered: number | null;
        abandoned: number | null;
        answer_seconds_sum: number | null;
        within: number | null;
      }[]
    | null;
}

/**
 * Everything in one round trip, and nothing that grows with history: the open interactions (partial indexes on their
 * states), the members of each workgroup, and today's queue segments (an index on when they ended).
 */
const REALTIME_SQL = `
  WITH t AS (SELECT now() AS now, date_trunc('day', now(), $1) AS today),
  active AS (
    SELECT i.type, count(*)::int AS n, extract(epoch FROM (SELECT now FROM t) - min(i.created_at))::float8 AS oldest_seconds
      FROM interactions i WHERE i.state IN ('queued', 'offered', 'connected') GROUP BY i.type),
  waiting AS (
    SELECT i.workgroup_id, count(*)::int AS waiting,
           extract(epoch FROM (SELECT now FROM t) - min(i.queued_at))::float8 AS oldest_seconds
      FROM interactions i WHERE i.state IN ('queued', 'offered') AND i.workgroup_id IS NOT NULL
     GROUP BY i.workgroup_id),
  members AS (
    SELECT m.workgroup_id,
           count(*) FILTER (WHERE u.status = 'available')::int AS available,
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM interactions x
                                           WHERE x.agent_id = u.id AND x.state IN ('offered', 'connected', 'wrapup')))::int
             AS busy
      FROM users u CROSS JOIN LATERAL unnest(u.workgroup_ids) AS m(workgroup_id)
     GROUP BY m.workgroup_id),
  ended AS (
    SELECT s.workgroup_id,
           count(*) FILTER (WHERE s.outcome = 'answered')::int AS answered,
           count(*) FILTER (WHERE s.outcome = 'abandoned')::int AS abandoned,
           sum(extract(epoch FROM s.ended_at - s.entered_at)) FILTER (WHERE s.outcome = 'answered')::float8
             AS answer_seconds_sum,
           count(*) FILTER (WHERE s.outcome = 'answered'
                              AND s.ended_at - s.entered_at <= make_interval(secs => w.service_level_seconds))::int AS within
      FROM queue_segments s JOIN workgroups w ON w.id = s.workgroup_id
     WHERE s.ended_at >= (SELECT today FROM t)
     GROUP BY s.workgroup_id)
  SELECT t.now, t.today,
         (SELECT json_agg(active) FROM active) AS active,
         (SELECT json_agg(json_build_object(
                   'id', w.id, 'name', w.name, 'service_level_seconds', w.service_level_seconds,
                   'waiting', waiting.waiting, 'oldest_seconds', waiting.oldest_seconds,
                   'available', members.available, 'busy', members.busy,
                   'answered', ended.answered, 'abandoned', ended.abandoned,
                   'answer_seconds_sum', ended.answer_seconds_sum, 'within', ended.within) ORDER BY w.name)
            FROM workgroups w
            LEFT JOIN waiting ON waiting.workgroup_id = w.id
            LEFT JOIN members ON members.workgroup_id = w.id
            LEFT JOIN ended ON ended.workgroup_id = w.id) AS workgroups
    FROM t`;

/** The live statistics a supervisor watches: the four social statistics and each workgroup's figures. */
export async function realtimeStats(dataSource: DataSource, timeZone: string): Promise<RealtimeStats> {
  const row = await queryOne<Row>(dataSource, REALTIME_SQL, [timeZone]);
  if (!row) throw new Error('the statistics query returned nothing');
  const active = (type: string) => row.active?.find((a) => a.type === type);
  return {
    at: new Date(row.now).toISOString(),
    timeZone,
    todayStartedAt: new Date(row.today).toISOString(),
    longestSocialConversationSeconds: seconds(active('conversation')?.oldest_seconds ?? 0),
    longestSocialDirectMessageSeconds: seconds(active('directMessage')?.oldest_seconds ?? 0),
    activeSocialConversations: active('conversation')?.n ?? 0,
    activeSocialDirectMessages: active('directMessage')?.n ?? 0,
    workgroups: (row.workgroups ?? []).map((w) => {
      const answered = w.answered ?? 0;
      return {
        id: w.id,
        name: w.name,
        waiting: w.waiting ?? 0,
        longestWaitingSeconds: seconds(w.oldest_seconds ?? 0),
        agentsAvailable: w.available ?? 0,
        agentsBusy: w.busy ?? 0,
        answeredToday: answered,
        abandonedToday: w.abandoned ?? 0,
        averageSpeedOfAnswerSeconds: averageOrNull(w.answer_seconds_sum ?? 0, answered),
        serviceLevelSeconds: w.service_level_seconds,
        serviceLevelPercent: percentOrNull(w.within ?? 0, answered),
      };
    }),
  };
}
