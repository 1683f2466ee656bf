import { periodsOf, periodStart } from './fulfilment';

describe('the periods of a fulfilment chart', () => {
  it('starts weeks on Monday, and months, quarters and years on their first day', () => {
    expect(periodStart('2024-08-22', 'week')).toBe('2024-08-19'); // a Thursday
    expect(periodStart('2024-08-19', 'week')).toBe('2024-08-19');
    expect(periodStart('2024-09-01', 'week')).toBe('2024-08-26'); // a Sunday
    expect(periodStart('2024-08-22', 'month')).toBe('2024-08-01');
    expect(periodStart('2024-08-22', 'quarter')).toBe('2024-07-01');
    expect(periodStart('2024-12-31', 'quarter')).toBe('2024-10-01');
    expect(periodStart('2024-08-22', 'year')).toBe('2024-01-01');
  });

  it('given the missed weeks, marks those and only those as not met, every week drawn', () => {
    // Autumn 2024 as the board's report counts it: 17 weeks, 2 missed.
    const weeks = periodsOf({ from: '2024-08-19', to: '2024-12-15' }, 'week', [
      '2024-09-02',
      '2024-11-11',
    ]);
    expect(weeks).toHaveLength(17);
    expect(weeks.filter((w) => !w.met).map((w) => w.start)).toEqual(['2024-09-02', '2024-11-11']);
    expect(weeks[0]!.start).toBe('2024-08-19');
    expect(weeks.at(-1)!.start).toBe('2024-12-09');
  });

  it('counts only periods wholly inside the range, as the API does, across a year end', () => {
    const months = periodsOf({ from: '2024-11-15', to: '2025-02-01' }, 'month', []);
    expect(months.map((m) => m.start)).toEqual(['2024-12-01', '2025-01-01']);
    expect(periodsOf({ from: '2024-08-20', to: '2024-09-01' }, 'week', [])).toEqual([
      { start: '2024-08-26', met: true },
    ]);
    expect(periodsOf({ from: '2024-01-01', to: '2025-12-31' }, 'quarter', [])).toHaveLength(8);
  });
});
