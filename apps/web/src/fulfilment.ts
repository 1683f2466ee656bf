/** How often a commitment is to be done: `times` per week, month, quarter or year. */
export type CadencePeriod = 'week' | 'month' | 'quarter' | 'year';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const iso = (date: Date) => date.toISOString().slice(0, 10);

/** The first day of the period (week from Monday, calendar month, quarter, year) holding `date`. */
export function periodStart(date: string, per: CadencePeriod): string {
  const d = day(date);
  switch (per) {
    case 'week':
      d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
      return iso(d);
    case 'month':
      return `${date.slice(0, 7)}-01`;
    case 'quarter': {
      const month = Math.floor((Number(date.slice(5, 7)) - 1) / 3) * 3 + 1;
      return `${date.slice(0, 4)}-${String(month).padStart(2, '0')}-01`;
    }
    case 'year':
      return `${date.slice(0, 4)}-01-01`;
  }
}

function next(start: string, per: CadencePeriod): string {
  const d = day(start);
  if (per === 'week') d.setUTCDate(d.getUTCDate() + 7);
  else d.setUTCMonth(d.getUTCMonth() + (per === 'month' ? 1 : per === 'quarter' ? 3 : 12));
  return iso(d);
}

function addOneDay(date: string): string {
  const d = day(date);
  d.setUTCDate(d.getUTCDate() + 1);
  return iso(d);
}

export interface PeriodOutcome {
  readonly start: string;
  readonly met: boolean;
}

/**
 * Each period of the range with whether the cadence was met, from the periods the API lists as
 * missed: the periods a fulfilment chart draws. Only periods wholly inside the range, as the
 * API's `periodsDue` counts them: a week cut by the range's edge is not due.
 */
export function periodsOf(
  range: { readonly from: string; readonly to: string },
  per: CadencePeriod,
  missed: readonly string[],
): PeriodOutcome[] {
  const missing = new Set(missed);
  const periods: PeriodOutcome[] = [];
  let start = periodStart(range.from, per);
  if (start < range.from) start = next(start, per);
  for (; next(start, per) <= addOneDay(range.to); start = next(start, per)) {
    periods.push({ start, met: !missing.has(start) });
  }
  return periods;
}
