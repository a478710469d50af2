/** Readers for platform JSON, which is untrusted: every field may be missing or of another type. */

export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A non-empty string, else null. Numbers are never turned into ids here: X's 64-bit numbers lose digits. */
export const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

export const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export const objects = (value: unknown): Json[] => arr(value).filter(isObject);

export const field = (value: unknown, key: string): unknown => (isObject(value) ? value[key] : undefined);

/** A count or an epoch timestamp, given as a number or a string of digits. */
export const num = (value: unknown): number | null =>
  typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : null;
