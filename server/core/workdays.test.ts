import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NATIONAL_CALENDAR as cal, WorkCalendar, dateOf, dayNumber, chinaDate, light } from './workdays.js';

const add = (from: string, n: number, c = cal) => dateOf(c.addWorkingDays(dayNumber(from), n));

describe('working days across the holidays of 2025 and 2026', () => {
  it.each([
    // 2025 春节: 1-28 … 2-04 off; Sunday 1-26 and Saturday 2-08 are make-up working days
    ['2025-01-24', 1, '2025-01-26'], // Friday + 1 → the make-up Sunday
    ['2025-01-26', 1, '2025-01-27'],
    ['2025-01-27', 1, '2025-02-05'], // the whole festival skipped
    ['2025-02-05', 3, '2025-02-08'], // the make-up Saturday counts
    // 2025 国庆+中秋: 10-01 … 10-08 off; Sunday 9-28 and Saturday 10-11 working
    ['2025-09-26', 1, '2025-09-28'],
    ['2025-09-30', 1, '2025-10-09'],
    ['2025-10-10', 1, '2025-10-11'],
    // 2026 春节: 2-15 … 2-23 off; Saturday 2-14 and Saturday 2-28 working
    ['2026-02-13', 1, '2026-02-14'],
    ['2026-02-14', 1, '2026-02-24'],
    ['2026-02-27', 1, '2026-02-28'],
    // 2026 国庆: 10-01 … 10-07 off; Sunday 9-20 and Saturday 10-10 working
    ['2026-09-18', 1, '2026-09-20'],
    ['2026-09-30', 1, '2026-10-08'],
    ['2026-10-09', 1, '2026-10-10'],
    // an ordinary fortnight: 20 working days from Monday 2026-11-02 (start day not counted)
    ['2026-11-02', 20, '2026-11-30'],
  ])('%s + %i working days = %s', (from, n, expected) => {
    expect(add(from, n)).toBe(expected);
  });

  it('does not count the start day, and a period starting on a rest day starts counting on the next working day', () => {
    expect(add('2026-11-27', 1)).toBe('2026-11-30'); // Friday → Monday
    expect(add('2026-11-28', 1)).toBe('2026-11-30'); // Saturday → Monday
    expect(add('2026-11-28', 0)).toBe('2026-11-30');
  });

  it('applies a local override (a regional holiday)', () => {
    const local = new WorkCalendar([{ date: '2026-11-30', kind: 'holiday' }]);
    expect(add('2026-11-27', 1, local)).toBe('2026-12-01');
  });

  it('lands on a working day and moves forward monotonically (property)', () => {
    const start = dayNumber('2025-01-01');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 700 }), fc.integer({ min: 1, max: 60 }), (offset, n) => {
        const from = start + offset;
        const d = cal.addWorkingDays(from, n);
        return cal.isWorkday(d) && d > from && cal.workingDaysBetween(from, d) === n && cal.addWorkingDays(from, n + 1) > d;
      }),
    );
  });

  it('dates instants in China time and colours deadlines', () => {
    expect(chinaDate(new Date('2026-11-26T17:00:00Z'))).toBe('2026-11-27');
    expect([light(3), light(1), light(0), light(-1)]).toEqual(['green', 'yellow', 'yellow', 'red']);
  });
});
