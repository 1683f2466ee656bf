import type { RetentionPeriods } from '@samverkan/domain/personal-data/retention';
import type { RetentionClass } from '@samverkan/domain/personal-fields';
import { samverkanEnvironment } from '../auth/environment';

export const RETENTION_CONFIG = Symbol('RetentionConfig');

export interface RetentionConfig {
  /** Whether this instance runs the job (once at start, then every interval). */
  readonly scheduled: boolean;
  readonly periods: RetentionPeriods;
  readonly intervalHours: number;
}

/**
 * Years each class is kept after the end of its year, by default. No period is laid down for
 * the partnership as a whole: each agency's records management plan (dokumenthanteringsplan)
 * decides, so these are starting points to confirm with the data protection officers.
 * - Prevention talks, 3: a citizen promise runs about three years (Hammarö's 2023–2025), and the
 *   partnership follows a young person's talks and their follow-ups over that span.
 * - Restricted reports, 2: the situation picture is about now; a restricted report older than
 *   the last two years' pictures informs no decision, and it is the most sensitive kind.
 * - Read-access log, 2: long enough for a data subject's complaint and the DPO's review of who
 *   read what, short enough that the log of reads is not itself a register of people.
 */
const DEFAULT_YEARS: RetentionPeriods = {
  'prevention-talks': 3,
  'restricted-reports': 2,
  'read-access-log': 2,
};

const YEARS_VARIABLE: Readonly<Record<RetentionClass, string>> = {
  'prevention-talks': 'SAMVERKAN_RETENTION_PREVENTION_TALKS_YEARS',
  'restricted-reports': 'SAMVERKAN_RETENTION_RESTRICTED_REPORTS_YEARS',
  'read-access-log': 'SAMVERKAN_RETENTION_READ_ACCESS_LOG_YEARS',
};

/** Whole years from 1 to 50: 0 would gallra last year's data on New Year's Day. */
const MAX_YEARS = 50;
/** At most a week between runs: a year's data is gallrad within days of its period's end. */
const MAX_INTERVAL_HOURS = 168;

function wholeNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
  unit: string,
): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number of ${unit} from ${min} to ${max}`);
  }
  return value;
}

/**
 * Gallring's configuration from the environment:
 * - `SAMVERKAN_RETENTION`: `on` or `off`. On by default in production, where gallring is a
 *   duty; off by default in development, whose demo data has fixed dates (the 2023–2025
 *   promise) and would be gallrad as the calendar moves on, under the developers and the tests.
 * - `SAMVERKAN_RETENTION_<CLASS>_YEARS`: the period per class (see DEFAULT_YEARS).
 * - `SAMVERKAN_RETENTION_INTERVAL_HOURS`: how often it runs, 24 by default; also once at start.
 */
export function retentionConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RetentionConfig {
  const switched = env['SAMVERKAN_RETENTION']?.trim();
  if (switched && switched !== 'on' && switched !== 'off') {
    throw new Error("SAMVERKAN_RETENTION must be 'on' or 'off'");
  }
  const periods = Object.fromEntries(
    (Object.keys(YEARS_VARIABLE) as RetentionClass[]).map((retention) => [
      retention,
      wholeNumber(env, YEARS_VARIABLE[retention], DEFAULT_YEARS[retention], 1, MAX_YEARS, 'years'),
    ]),
  ) as Record<RetentionClass, number>;
  return {
    scheduled: switched ? switched === 'on' : samverkanEnvironment(env) === 'production',
    periods,
    intervalHours: wholeNumber(
      env,
      'SAMVERKAN_RETENTION_INTERVAL_HOURS',
      24,
      1,
      MAX_INTERVAL_HOURS,
      'hours',
    ),
  };
}
