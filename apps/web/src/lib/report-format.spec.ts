import { cellText, columnLabel, dateIn, shownColumn } from './report-format';

describe('the reports table', () => {
  it('labels columns in words, with their units, and leaves ids to the CSV', () => {
    expect(columnLabel('averageSpeedOfAnswerSeconds')).toBe('Average speed of answer (s)');
    expect(columnLabel('serviceLevelPercent')).toBe('Service level (%)');
    expect(columnLabel('intervalStart')).toBe('Interval start');
    expect(columnLabel('offered')).toBe('Offered');
    expect(['id', 'workgroupId', 'workgroupName', 'offered'].filter(shownColumn)).toEqual(['workgroupName', 'offered']);
  });

  it("shows instants in the report's zone, fractions to one decimal, nothing as a dash", () => {
    expect(cellText(null)).toBe('—');
    expect(cellText('')).toBe('—');
    expect(cellText(3)).toBe('3');
    expect(cellText(2.345)).toBe('2.3');
    expect(cellText('Social Care')).toBe('Social Care');
    const instant = '2026-12-01T23:30:00.000Z';
    const tokyo = cellText(instant, { timeZone: 'Asia/Tokyo' });
    expect(tokyo).toContain('8:30');
    expect(tokyo).toContain('Dec 2');
    expect(cellText(instant, { timeZone: 'UTC', dateOnly: true })).toBe(
      new Date(instant).toLocaleString(undefined, { dateStyle: 'medium', timeZone: 'UTC' }),
    );
    expect(cellText(instant, { timeZone: 'UTC', dateOnly: true })).not.toContain('11:30');
  });

  it("counts calendar days in the report's zone", () => {
    const now = Date.parse('2026-12-01T23:30:00Z');
    expect(dateIn('UTC', 0, now)).toBe('2026-12-01');
    expect(dateIn('Asia/Tokyo', 0, now)).toBe('2026-12-02');
    expect(dateIn('America/New_York', -7, now)).toBe('2026-11-24');
    expect(dateIn('UTC', 1, Date.parse('2026-12-31T12:00:00Z'))).toBe('2027-01-01');
  });
});
