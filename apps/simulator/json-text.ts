/**
 * JSON text the way the platforms write it. JSON.stringify is not enough: X puts 64-bit ids in bare JSON numbers
 * (values here typed `bigint`, written with all their digits), and Meta escapes every non-ASCII character as a
 * lowercase `\uXXXX` and `/` as `\/` before signing, so receivers must HMAC the raw bytes.
 */

export type JsonValue = null | boolean | number | string | bigint | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

export interface JsonTextOptions {
  /** Meta style: non-ASCII as lowercase `\uXXXX`, `/` as `\/`. */
  metaEscaping?: boolean;
}

export function toJsonText(value: unknown, options: JsonTextOptions = {}): string {
  const text = write(value) ?? 'null';
  return options.metaEscaping ? metaEscape(text) : text;
}

/** Serialises like Meta does (see {@link JsonTextOptions.metaEscaping}). */
export function toMetaJson(value: unknown): string {
  return toJsonText(value, { metaEscaping: true });
}

/**
 * Works on already-serialised JSON: `/` and non-ASCII characters can only occur inside string literals there, so
 * escaping them across the whole text is exact.
 */
export function metaEscape(jsonText: string): string {
  return jsonText
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function write(value: unknown): string | undefined {
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      return writeObject(value);
  }
}

function writeObject(value: object | null): string | undefined {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map((item) => write(item) ?? 'null').join(',')}]`;
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return write(withToJson.toJSON());
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const text = write(item);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}
