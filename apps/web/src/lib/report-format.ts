/** Ids are for machines: the table shows names (the CSV keeps every column). */
export const shownColumn = (key: string) => key !== 'id' && !key.endsWith('Id');

/** `averageSpeedOfAnswerSeconds` → `Average speed of answer (s)`. */
export function columnLabel(key: string): string {
  const unit = key.endsWith('Seconds') ? ' (s)' : key.endsWith('Percent') ? ' (%)' : '';
  const words = key
    .replace(/(Seconds|Percent)$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}${unit}`;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
export const isInstant = (value: unknown): value is string => typeof value === 'string' && INSTANT.test(value);

export interface CellOptions {
  /** The zone the report counts days in (REPORT_TIME_ZONE); the browser's own when unknown. */
  timeZone?: string;
  /** Daily intervals: the date says it all. */
  dateOnly?: boolean;
}

/** Instants in the report's zone and to the minute, fractions to one decimal; nothing is a dash. */
export function cellText(value: unknown, options: CellOptions = {}): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(1);
  if (isInstant(value)) {
    return new Date(value).toLocaleString(undefined, {
      dateStyle: 'medium',
      ...(options.dateOnly ? {} : { timeStyle: 'short' }),
      ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    });
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The calendar date `offsetDays` from now in `timeZone` (the browser's when unknown), as a date input holds it. */
export function dateIn(timeZone: string | undefined, offsetDays = 0, now = Date.now()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  }).formatToParts(new Date(now));
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  // Calendar arithmetic on the zone's date, at noon UTC so no offset can move it to another day.
  const day = new Date(Date.UTC(part('year'), part('month') - 1, part('day') + offsetDays, 12));
  return day.toISOString().slice(0, 10);
}
