import type { LocalDate } from '../calendar';
import type { RetentionClass } from '../personal-fields';
import type {
  RetainedClass,
  RetentionApplied,
  RetentionClassApplied,
  RetentionCutoff,
} from './retention.events';

/**
 * Gallring: personal data of a retention class is kept for a period of whole calendar years
 * after the year it happened in (Swedish time, the year its period key is made for), then its
 * year's key is destroyed and what it encrypted reads "[gallrad]". Whole years because a key
 * covers a class and a year: a year can only go at once, so it goes when its last day has had
 * its full period, never earlier.
 *
 * Year Y of a class kept N years expires on 1 January of Y + N + 1: a talk held on
 * 31 December 2021 under a 3-year period is kept through 2024 and gallrad on 1 January 2025.
 */

/** The event's spelling of the classes is the inventory's: this fails to compile otherwise. */
const sameClasses: [RetentionClass, RetainedClass] extends [RetainedClass, RetentionClass]
  ? true
  : never = true;
void sameClasses;

/** Whole years each class is kept after the end of its year (configured at the edge). */
export type RetentionPeriods = Readonly<Record<RetentionClass, number>>;

const yearOf = (day: LocalDate): number => Number(day.slice(0, 4));

/** The day year `year` of a class kept `retentionYears` years expires, in Sweden. */
export function expiresOn(year: number, retentionYears: number): LocalDate {
  return `${String(year + retentionYears + 1).padStart(4, '0')}-01-01`;
}

/** Which years of each class have expired on `today` (a day in Sweden): those before the cutoff. */
export function retentionCutoffs(today: LocalDate, periods: RetentionPeriods): RetentionCutoff[] {
  return (Object.keys(periods) as RetentionClass[]).map((retention) => ({
    retention,
    retentionYears: periods[retention],
    keptFromYear: yearOf(today) - periods[retention],
  }));
}

/**
 * The instant a year begins in Sweden, for comparing with stored times: 1 January is always
 * winter time (UTC+1), so it is 23:00 UTC on the last day of the year before.
 */
export function startOfRetentionYear(year: number): Date {
  return new Date(Date.UTC(year - 1, 11, 31, 23));
}

/**
 * The record of a run: one `RetentionApplied` listing the classes something was done to, or
 * nothing when nothing was (the job runs daily; a day with nothing to gallra leaves no trace).
 */
export function recordRetention(
  appliedOn: LocalDate,
  outcomes: readonly RetentionClassApplied[],
): RetentionApplied[] {
  const classes = outcomes.filter(
    (o) => o.keysDestroyed > 0 || o.readModelRowsCleared > 0 || o.relayEntriesCleared > 0,
  );
  if (classes.length === 0) return [];
  return [{ type: 'RetentionApplied', data: { appliedOn, classes } }];
}
