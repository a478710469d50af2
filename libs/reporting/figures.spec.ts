import { averageOrNull, percentOrNull, seconds } from './figures';

describe('figures', () => {
  it('rounds durations to the millisecond', () => {
    expect(seconds(1.23456)).toBe(1.235);
    expect(seconds(0)).toBe(0);
    expect(seconds(59.9994)).toBe(59.999);
  });

  it('averages, or says there is nothing to average', () => {
    expect(averageOrNull(10, 4)).toBe(2.5);
    expect(averageOrNull(1, 3)).toBe(0.333);
    expect(averageOrNull(0, 0)).toBeNull();
  });

  it('gives a percentage with two decimals, or null over nothing', () => {
    expect(percentOrNull(1, 2)).toBe(50);
    expect(percentOrNull(1, 3)).toBe(33.33);
    expect(percentOrNull(2, 3)).toBe(66.67);
    expect(percentOrNull(3, 3)).toBe(100);
    expect(percentOrNull(0, 5)).toBe(0);
    expect(percentOrNull(0, 0)).toBeNull();
  });
});
