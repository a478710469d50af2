/** Nearest-rank percentile of a sample. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export function percentileSummary(values: number[]) {
  return {
    n: values.length,
    p50: +percentile(values, 50).toFixed(1),
    p95: +percentile(values, 95).toFixed(1),
    p99: +percentile(values, 99).toFixed(1),
    max: +Math.max(...values).toFixed(1),
  };
}
