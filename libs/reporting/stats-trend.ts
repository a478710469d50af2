import type { DataSource } from 'typeorm';
import { queryRows } from '@switchboard/persistence';
import { percentOrNull } from './figures';

/** One workgroup's waiting count and today's service level as they stood at `at`. */
export interface TrendSample {
  at: string;
  waiting: number;
  serviceLevelPercent: number | null;
}

export interface StatsTrend {
  /** When the trend was read (the database's clock); the last sample is this instant. */
  at: string;
  timeZone: string;
  stepSeconds: number;
  workgroups: { id: string; name: string; samples: TrendSample[] }[];
}

/**
 * The dashboard's charts, for a page that opens now: per workgroup, one sample every `stepSeconds` (from a whole
 * minute) over the last `minutes`, and one at this instant, each with the figures the live statistics would have shown then — `waiting` (queue segments
 * open at that moment) and `serviceLevelPercent` (of the segments answered that day, in the zone, up to that moment;
 * against the workgroup's current threshold). Reads the segments that were open during the span and those that ended
 * since the start of the span's first day: nothing that grows with history.
 */
const TREND_SQL = `
  WITH t AS (SELECT date_trunc('milliseconds', now()) AS now),
  grid AS (
    SELECT g.at, date_trunc('day', g.at, $1) AS day
      FROM (SELECT generate_series(date_trunc('minute', t.now) - make_interval(mins => $2),
                                   t.now - interval '1 millisecond', make_interval(secs => $3)) AS at FROM t
            UNION ALL SELECT now FROM t) g),
  span AS (SELECT min(at) AS first, min(day) AS first_day FROM grid),
  segments AS (
    SELECT s.workgroup_id, s.entered_at, s.ended_at, s.outcome FROM queue_segments s
     WHERE s.ended_at >= (SELECT least(first, first_day) FROM span)
    UNION ALL
    SELECT s.workgroup_id, s.entered_at, s.ended_at, s.outcome FROM queue_segments s
     WHERE s.ended_at IS NULL AND s.workgroup_id IS NOT NULL),
  figures AS (
    SELECT w.id, grid.at,
           count(s.*) FILTER (WHERE s.entered_at <= grid.at AND (s.ended_at IS NULL OR s.ended_at > grid.at))::int
             AS waiting,
           count(s.*) FILTER (WHERE s.outcome = 'answered' AND s.ended_at >= grid.day AND s.ended_at <= grid.at)::int
             AS answered,
           count(s.*) FILTER (WHERE s.outcome = 'answered' AND s.ended_at >= grid.day AND s.ended_at <= grid.at
                                AND s.ended_at - s.entered_at <= make_interval(secs => w.service_level_seconds))::int
             AS within
      FROM workgroups w CROSS JOIN grid
      LEFT JOIN segments s ON s.workgroup_id = w.id AND s.entered_at <= grid.at
     GROUP BY w.id, grid.at)
  SELECT w.id, w.name, (SELECT now FROM t) AS now,
         json_agg(json_build_object('at', f.at, 'waiting', f.waiting, 'answered', f.answered, 'within', f.within)
                  ORDER BY f.at) AS samples
    FROM workgroups w JOIN figures f ON f.id = w.id
   GROUP BY w.id, w.name
   ORDER BY w.name`;

interface Row {
  id: string;
  name: string;
  now: Date;
  samples: { at: string; waiting: number; answered: number; within: number }[];
}

export const TREND_MAX_MINUTES = 180;
export const TREND_MAX_SAMPLES = 3600;

export async function statsTrend(
  dataSource: DataSource,
  timeZone: string,
  minutes: number,
  stepSeconds: number,
): Promise<StatsTrend> {
  const rows = await queryRows<Row>(dataSource, TREND_SQL, [timeZone, minutes, stepSeconds]);
  const now = rows[0]?.now ?? new Date();
  return {
    at: new Date(now).toISOString(),
    timeZone,
    stepSeconds,
    workgroups: rows.map((row) => ({
      id: row.id,
      name: row.name,
      samples: row.samples.map((s) => ({
        at: new Date(s.at).toISOString(),
        waiting: s.waiting,
        serviceLevelPercent: percentOrNull(s.within, s.answered),
      })),
    })),
  };
}
