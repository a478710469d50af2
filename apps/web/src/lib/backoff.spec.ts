import { reconnectDelay } from './backoff';

describe('reconnectDelay', () => {
  it('doubles from half a second to thirty seconds', () => {
    const top = () => 1;
    expect([0, 1, 2, 3, 4, 5, 6, 7, 10].map((n) => reconnectDelay(n, top))).toEqual([
      500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });

  it('spreads each wait over its last quarter', () => {
    expect(reconnectDelay(2, () => 0)).toBe(1500);
    expect(reconnectDelay(2, () => 0.5)).toBe(1750);
  });
});
