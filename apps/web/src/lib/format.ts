/** `1:05`, `12:00`, `1:02:03`: a duration as a clock reads (seconds rounded down). */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Seconds left until an instant (never negative). */
export function secondsUntil(iso: string, now: number = Date.now()): number {
  return Math.max(0, (Date.parse(iso) - now) / 1000);
}

/** Seconds since an instant (never negative). */
export function secondsSince(iso: string, now: number = Date.now()): number {
  return Math.max(0, (now - Date.parse(iso)) / 1000);
}

/** A time of day, or the date too when not today, in the browser's zone. */
export function when(iso: string | null, now: Date = new Date()): string {
  if (!iso) return '';
  const date = new Date(iso);
  const sameDay = date.toDateString() === now.toDateString();
  return sameDay
    ? date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function percent(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(value % 1 === 0 ? 0 : 1)} %`;
}

/** `billing=3, vip=1` ↔ `{billing: 3, vip: 1}`: how the admin pages edit skill maps. */
export function skillsToText(skills: Record<string, number>): string {
  return Object.entries(skills)
    .map(([name, level]) => `${name}=${level}`)
    .join(', ');
}

export function textToSkills(text: string): Record<string, number> {
  const skills: Record<string, number> = {};
  for (const part of text.split(',')) {
    const [name, level] = part.split('=').map((s) => s.trim());
    if (name) skills[name] = Number(level ?? 1);
  }
  return skills;
}

/** `order, refund` ↔ `['order', 'refund']`: keyword lists typed as text. */
export function listToText(list: readonly string[]): string {
  return list.join(', ');
}

export function textToList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
