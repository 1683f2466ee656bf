import fc from 'fast-check';
import { addDays, addWeeks, isIsoWeek, isoWeekOf, isoWeekStart, weekStart } from './calendar';

/** Any calendar day from 1901 to 2099, as the fixed-format text the domain uses. */
const dayArb = fc
  .integer({ min: Date.UTC(1901, 0, 1) / 86_400_000, max: Date.UTC(2099, 11, 31) / 86_400_000 })
  .map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10));
const dayOfWeek = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();
const daysBetween = (from: string, to: string): number =>
  (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

describe('calendar: ISO weeks (EST counts are reported per week)', () => {
  it.each([
    // Week 1 is the week with the year's first Thursday: these Mondays to Wednesdays belong to it.
    ['2024-12-30', '2025-W01'],
    ['2024-12-29', '2024-W52'],
    ['2026-01-01', '2026-W01'],
    ['2025-12-29', '2026-W01'],
    // 2021 began on a Friday: its first days are the last week of 2020, which had 53 weeks.
    ['2021-01-03', '2020-W53'],
    ['2021-01-04', '2021-W01'],
    ['2020-12-31', '2020-W53'],
    ['2024-10-01', '2024-W40'],
    ['2027-01-01', '2026-W53'],
  ])('given %s, then it lies in week %s', (date, week) => {
    expect(isoWeekOf(date)).toBe(week);
  });

  it('given a real week, then its start is its Monday; given no such week, then undefined', () => {
    expect(isoWeekStart('2025-W01')).toBe('2024-12-30');
    expect(isoWeekStart('2026-W01')).toBe('2025-12-29');
    expect(isoWeekStart('2020-W53')).toBe('2020-12-28');
    expect(isoWeekStart('2024-W40')).toBe('2024-09-30');
    // 2021 has 52 weeks: a 53rd would be 2022-W01.
    expect(isoWeekStart('2021-W53')).toBeUndefined();
    expect(isoWeekStart('2024-W00')).toBeUndefined();
    expect(isoWeekStart('2024-W54')).toBeUndefined();
    expect(isoWeekStart('2024-W1')).toBeUndefined();
    expect(isoWeekStart('2024-40')).toBeUndefined();
  });

  it('given text, then it is an ISO week only when such a week exists', () => {
    expect(isIsoWeek('2020-W53')).toBe(true);
    expect(isIsoWeek('2026-W53')).toBe(true);
    expect(isIsoWeek('2021-W53')).toBe(false);
    expect(isIsoWeek('2024-W00')).toBe(false);
    expect(isIsoWeek(' 2024-W40')).toBe(false);
    expect(isIsoWeek(202440)).toBe(false);
    expect(isIsoWeek(undefined)).toBe(false);
  });

  it('given a week, then adding weeks crosses years, with and without a 53rd week', () => {
    expect(addWeeks('2020-W52', 1)).toBe('2020-W53');
    expect(addWeeks('2020-W53', 1)).toBe('2021-W01');
    expect(addWeeks('2021-W52', 1)).toBe('2022-W01');
    expect(addWeeks('2025-W01', -1)).toBe('2024-W52');
    expect(addWeeks('2024-W40', 0)).toBe('2024-W40');
    expect(addWeeks('2024-W40', -7)).toBe('2024-W33');
  });

  it('for any date, the start of its ISO week is the Monday on or before it, within 6 days', () => {
    fc.assert(
      fc.property(dayArb, (date) => {
        const week = isoWeekOf(date);
        const start = isoWeekStart(week);
        expect(start).toBeDefined();
        expect(dayOfWeek(start!)).toBe(1);
        const back = daysBetween(start!, date);
        expect(back).toBeGreaterThanOrEqual(0);
        expect(back).toBeLessThanOrEqual(6);
        // The same Monday the cadence's weeks are counted by.
        expect(start).toBe(weekStart(date));
        expect(isIsoWeek(week)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('for any week and any number of weeks, adding and taking them away again gives the week back', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: -300, max: 300 }), (date, n) => {
        const week = isoWeekOf(date);
        const later = addWeeks(week, n);
        expect(addWeeks(later, -n)).toBe(week);
        expect(daysBetween(isoWeekStart(week)!, isoWeekStart(later)!)).toBe(7 * n);
        expect(isoWeekOf(addDays(isoWeekStart(week)!, 7 * n))).toBe(later);
      }),
      { numRuns: 1000 },
    );
  });
});
