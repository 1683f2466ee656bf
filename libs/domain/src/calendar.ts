/**
 * Calendar dates (YYYY-MM-DD) as the partnership speaks of them: an activity happens on a day
 * in Swedish local time. Dates compare as text because the format is fixed-width.
 * @format date
 */
export type LocalDate = string;

export interface Period {
  /** First day, inclusive. */
  readonly from: LocalDate;
  /** Last day, inclusive. */
  readonly to: LocalDate;
}

const SWEDISH_DAY = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The day an instant falls on in Sweden (so 23:30 UTC on 31 December is already 1 January). */
export function swedishDate(instant: Date): LocalDate {
  return SWEDISH_DAY.format(instant);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date in the fixed format (no 2024-02-30). */
export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

export function isWithin(date: LocalDate, period: Period): boolean {
  return date >= period.from && date <= period.to;
}

/** Both ends real dates in the fixed format (text comparison relies on it), in order. */
export function isValidPeriod(period: Period): boolean {
  return isLocalDate(period.from) && isLocalDate(period.to) && period.from <= period.to;
}

/** The Monday that starts the ISO week of a date, as a date: weeks are counted by it. */
export function weekStart(date: LocalDate): LocalDate {
  const d = new Date(`${date}T00:00:00Z`);
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day);
  return d.toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * An ISO 8601 week, `2024-W40`: EST counts are reported per week. Week 1 is the week with the
 * year's first Thursday, so 30 December 2024 is in 2025-W01.
 * @pattern ^\d{4}-W\d{2}$
 */
export type IsoWeek = string;

const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

/** The ISO week a date falls in. */
export function isoWeekOf(date: LocalDate): IsoWeek {
  const d = new Date(`${date}T00:00:00Z`);
  // The Thursday of the date's week decides the week's year.
  d.setUTCDate(d.getUTCDate() + 3 - ((d.getUTCDay() + 6) % 7));
  const year = d.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  firstThursday.setUTCDate(firstThursday.getUTCDate() + 3 - ((firstThursday.getUTCDay() + 6) % 7));
  const week = 1 + Math.round((d.getTime() - firstThursday.getTime()) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The Monday that starts an ISO week; undefined when the text is no real week. */
export function isoWeekStart(week: string): LocalDate | undefined {
  const m = ISO_WEEK.exec(week);
  if (!m) return undefined;
  const jan4 = `${m[1]}-01-04`;
  const start = addDays(weekStart(jan4), (Number(m[2]) - 1) * 7);
  return isoWeekOf(start) === week ? start : undefined;
}

export function isIsoWeek(value: unknown): value is IsoWeek {
  return typeof value === 'string' && isoWeekStart(value) !== undefined;
}

/** The week `n` weeks after (or before, when negative) the given one. */
export function addWeeks(week: IsoWeek, n: number): IsoWeek {
  return isoWeekOf(addDays(isoWeekStart(week)!, 7 * n));
}
