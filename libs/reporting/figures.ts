/**
 * How every figure is rounded, in one place: durations in seconds to the millisecond, percentages to two decimals.
 * A ratio over nothing (no answered interaction yet) is `null`, not 0: "no data" is not "0 %".
 */
export function seconds(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export function averageOrNull(sum: number, count: number): number | null {
  return count > 0 ? seconds(sum / count) : null;
}

export function percentOrNull(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 100 : null;
}
