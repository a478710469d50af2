import { clock, listToText, secondsUntil, skillsToText, textToList, textToSkills } from './format';

describe('format', () => {
  it('reads durations as a clock', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(65.9)).toBe('1:05');
    expect(clock(3723)).toBe('1:02:03');
    expect(clock(-4)).toBe('0:00');
  });

  it('counts down to an instant, never below zero', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(secondsUntil('2026-12-01T10:00:30Z', now)).toBe(30);
    expect(secondsUntil('2026-12-01T09:59:00Z', now)).toBe(0);
  });

  it('edits skills and keyword lists as text, both ways', () => {
    expect(textToSkills('billing=3, vip = 1, french')).toEqual({ billing: 3, vip: 1, french: 1 });
    expect(skillsToText({ billing: 3, vip: 1 })).toBe('billing=3, vip=1');
    expect(textToList(' order,refund , ,help')).toEqual(['order', 'refund', 'help']);
    expect(listToText(['order', 'refund'])).toBe('order, refund');
  });
});
