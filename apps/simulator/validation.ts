/** Bad input to the control API or to the programmatic API; the control API answers it with a 400. */
export class SimulatorInputError extends Error {
  constructor(
    message: string,
    readonly details: InputIssue[] = [],
  ) {
    super(message);
    this.name = 'SimulatorInputError';
  }
}

export interface InputIssue {
  field: string;
  message: string;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads fields of an untrusted object, collecting every problem so that one 400 names them all. Getters return
 * undefined for a bad value; call {@link FieldReader.done} to throw if anything was wrong.
 */
export class FieldReader {
  private readonly issues: InputIssue[];

  constructor(
    private readonly source: Record<string, unknown>,
    private readonly prefix = '',
    issues?: InputIssue[],
  ) {
    this.issues = issues ?? [];
  }

  static of(value: unknown, what = 'body'): FieldReader {
    if (value === undefined || value === null) return new FieldReader({});
    if (!isPlainObject(value)) {
      throw new SimulatorInputError(`${what} must be a JSON object`, [{ field: what, message: 'must be an object' }]);
    }
    return new FieldReader(value);
  }

  field(key: string): string {
    return this.prefix ? `${this.prefix}.${key}` : key;
  }

  has(key: string): boolean {
    return this.source[key] !== undefined && this.source[key] !== null;
  }

  raw(key: string): unknown {
    return this.source[key];
  }

  fail(key: string, message: string): undefined {
    this.issues.push({ field: this.field(key), message });
    return undefined;
  }

  optString(key: string, options: { nonEmpty?: boolean; pattern?: RegExp; patternHint?: string } = {}) {
    const value = this.source[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') return this.fail(key, 'must be a string');
    if (options.nonEmpty && value.trim() === '') return this.fail(key, 'must not be empty');
    if (options.pattern && !options.pattern.test(value)) {
      return this.fail(key, options.patternHint ?? `must match ${String(options.pattern)}`);
    }
    return value;
  }

  string(key: string, options: { nonEmpty?: boolean; pattern?: RegExp; patternHint?: string } = {}) {
    if (!this.has(key)) return this.fail(key, 'is required');
    return this.optString(key, options);
  }

  optEnum<T extends string>(key: string, values: readonly T[]): T | undefined {
    const value = this.source[key];
    if (value === undefined || value === null) return undefined;
    const found = values.find((candidate) => candidate === value);
    if (found === undefined) return this.fail(key, `must be one of ${values.join(', ')}`);
    return found;
  }

  optBoolean(key: string): boolean | undefined {
    const value = this.source[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') return this.fail(key, 'must be a boolean');
    return value;
  }

  optNumber(key: string, options: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
    const value = this.source[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.fail(key, 'must be a number');
    if (options.integer && !Number.isInteger(value)) return this.fail(key, 'must be an integer');
    if (options.min !== undefined && value < options.min) return this.fail(key, `must be at least ${options.min}`);
    if (options.max !== undefined && value > options.max) return this.fail(key, `must be at most ${options.max}`);
    return value;
  }

  optObject(key: string): FieldReader | undefined {
    const value = this.source[key];
    if (value === undefined || value === null) return undefined;
    if (!isPlainObject(value)) return this.fail(key, 'must be an object');
    return new FieldReader(value, this.field(key), this.issues);
  }

  optArray(key: string): unknown[] | undefined {
    const value = this.source[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) return this.fail(key, 'must be an array');
    return value as unknown[];
  }

  /** Reader for an element of an array field, sharing this reader's issue list. */
  element(key: string, index: number, value: unknown): FieldReader | undefined {
    if (!isPlainObject(value)) {
      this.issues.push({ field: `${this.field(key)}[${index}]`, message: 'must be an object' });
      return undefined;
    }
    return new FieldReader(value, `${this.field(key)}[${index}]`, this.issues);
  }

  issuesCount(): number {
    return this.issues.length;
  }

  done(message = 'invalid input'): void {
    if (this.issues.length > 0) throw new SimulatorInputError(message, [...this.issues]);
  }
}

/** Follows a path of keys and indices into untrusted JSON; returns the string found there. */
export function firstString(value: unknown, path: Array<string | number>): string | undefined {
  let current: unknown = value;
  for (const step of path) {
    if (typeof step === 'number') current = Array.isArray(current) ? current[step] : undefined;
    else current = isPlainObject(current) ? current[step] : undefined;
  }
  return typeof current === 'string' ? current : undefined;
}
