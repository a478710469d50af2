import { compareNumericIds, FacebookIdGenerator, snowflakeTime, SnowflakeGenerator } from './ids';

describe('SnowflakeGenerator', () => {
  it('makes 19-digit ids above 2^53 that encode the time', () => {
    const ids = new SnowflakeGenerator();
    const at = Date.UTC(2026, 7, 1, 12, 0, 0);
    const id = ids.next(at);
    expect(id).toMatch(/^\d{19}$/);
    expect(BigInt(id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(snowflakeTime(id)).toBe(at);
  });

  it('keeps increasing within a millisecond and when the clock goes back', () => {
    const ids = new SnowflakeGenerator();
    const at = Date.UTC(2026, 7, 1);
    const sequence = [ids.next(at), ids.next(at), ids.next(at - 60_000), ids.next(at + 1)];
    for (let i = 1; i < sequence.length; i++) {
      expect(compareNumericIds(sequence[i] ?? '0', sequence[i - 1] ?? '0')).toBe(1);
    }
  });

  it('orders by time across milliseconds', () => {
    const ids = new SnowflakeGenerator();
    const early = ids.next(Date.UTC(2026, 0, 1));
    const late = ids.next(Date.UTC(2026, 0, 2));
    expect(compareNumericIds(early, late)).toBe(-1);
  });
});

describe('FacebookIdGenerator', () => {
  it('makes unique 16-digit ids', () => {
    const ids = new FacebookIdGenerator();
    const made = new Set<string>();
    for (let i = 0; i < 2000; i++) made.add(ids.next(Date.UTC(2026, 0, 1)));
    expect(made.size).toBe(2000);
    for (const id of made) expect(id).toMatch(/^\d{16}$/);
  });
});
