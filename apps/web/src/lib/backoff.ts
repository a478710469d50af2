/**
 * How long to wait before reconnecting, after `attempt` failures in a row: 0.5 s doubling to 30 s, each with up to a
 * quarter of random spread so that a restarted gateway is not reconnected to by every desktop in the same instant.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 500 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.75 + random() * 0.25));
}
