/** The historical reports (`GET /api/reports/:kind`). */
export const REPORT_KINDS = ['interactions', 'workgroups', 'agents', 'wrapup-codes'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const REPORT_INTERVALS = ['15m', 'hour', 'day'] as const;
export type ReportInterval = (typeof REPORT_INTERVALS)[number];

/** How an instant in a query string reads: a calendar date, a wall-clock time in the zone, or an absolute instant. */
export type InstantForm = 'date' | 'local' | 'absolute';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/;

function validDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * `2026-12-01` (that day's midnight in REPORT_TIME_ZONE), `2026-12-01T08:00[:00[.000]]` (wall-clock time there), or
 * with `Z` / `+01:00` (that very instant). Anything else is null: the caller answers 400 naming the parameter.
 */
export function instantForm(value: string): InstantForm | null {
  const date = DATE.exec(value);
  if (date) return validDate(Number(date[1]), Number(date[2]), Number(date[3])) ? 'date' : null;
  const time = DATE_TIME.exec(value);
  if (!time) return null;
  if (!validDate(Number(time[1]), Number(time[2]), Number(time[3]))) return null;
  if (Number(time[4]) > 23 || Number(time[5]) > 59 || Number(time[6] ?? 0) > 59) return null;
  return time[7] ? 'absolute' : 'local';
}

/** Buckets of at most this many per report, so that a year by quarter-hour is refused rather than ground out. */
export const MAX_BUCKETS = 50_000;

const BUCKET_SECONDS: Record<ReportInterval, number> = { '15m': 900, hour: 3600, day: 86_400 };

/** How many intervals the range holds (DST moves it by one at most either way). */
export function bucketCount(from: Date, to: Date, interval: ReportInterval | null): number {
  if (!interval) return 1;
  return Math.ceil((to.getTime() - from.getTime()) / 1000 / BUCKET_SECONDS[interval]) + 1;
}
