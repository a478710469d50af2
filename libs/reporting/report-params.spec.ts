import { bucketCount, instantForm, MAX_BUCKETS } from './report-params';

describe('report parameters', () => {
  it.each([
    ['2026-12-01', 'date'],
    ['2026-12-01T08:00', 'local'],
    ['2026-12-01 08:00:30', 'local'],
    ['2026-12-01T08:00:30.123', 'local'],
    ['2026-12-01T07:00:00Z', 'absolute'],
    ['2026-12-01T08:00:00+01:00', 'absolute'],
    ['2026-12-01T08:00:00.5-0330', 'absolute'],
  ])('reads %s as a %s', (value, form) => expect(instantForm(value)).toBe(form));

  it.each([
    '',
    'yesterday',
    '2026-13-01',
    '2026-02-30',
    '2026-12-01T24:00',
    '2026-12-01T08:61',
    '1764576000',
    '2026-12',
  ])('refuses %j', (value) => expect(instantForm(value)).toBeNull());

  it('counts the intervals of a range', () => {
    const day = (d: number) => new Date(Date.UTC(2026, 11, d));
    expect(bucketCount(day(1), day(2), null)).toBe(1);
    expect(bucketCount(day(1), day(2), 'day')).toBe(2);
    expect(bucketCount(day(1), day(2), 'hour')).toBe(25);
    expect(bucketCount(day(1), day(2), '15m')).toBe(97);
    expect(bucketCount(new Date(Date.UTC(2020, 0, 1)), day(1), '15m')).toBeGreaterThan(MAX_BUCKETS);
  });
});
