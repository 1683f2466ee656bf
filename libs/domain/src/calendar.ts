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
