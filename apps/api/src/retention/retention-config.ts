import type { RetentionPeriods } from '@samverkan/domain/personal-data/retention';
import type { RetentionClass } from '@samverkan/domain/personal-fields';
import { samverkanEnvironment } from '../auth/environment';
import { choiceSetting, integerSetting } from '@samverkan/shared/configuration/read-setting';
import type { IntegerSettingName } from '@samverkan/shared/configuration/settings';

export const RETENTION_CONFIG = Symbol('RetentionConfig');

export interface RetentionConfig {
  /** Whether this instance runs the job (once at start, then every interval). */
  readonly scheduled: boolean;
  readonly periods: RetentionPeriods;
  readonly intervalHours: number;
}

/**
 * Years each class is kept after the end of its year, by default (the defaults and the range,
 * 1 to 50 years, are in the configuration's settings). No period is laid down for
 * the partnership as a whole: each agency's records management plan (dokumenthanteringsplan)
 * decides, so these are starting points to confirm with the data protection officers.
 * - Prevention talks, 3: a citizen promise runs about three years (Hammarö's 2023–2025), and the
 *   partnership follows a young person's talks and their follow-ups over that span.
 * - Restricted reports, 2: the situation picture is about now; a restricted report older than
 *   the last two years' pictures informs no decision, and it is the most sensitive kind.
 * - Read-access log, 2: long enough for a data subject's complaint and the DPO's review of who
 *   read what, short enough that the log of reads is not itself a register of people.
 */
const YEARS_VARIABLE = {
  'prevention-talks': 'SAMVERKAN_RETENTION_PREVENTION_TALKS_YEARS',
  'restricted-reports': 'SAMVERKAN_RETENTION_RESTRICTED_REPORTS_YEARS',
  'read-access-log': 'SAMVERKAN_RETENTION_READ_ACCESS_LOG_YEARS',
} as const satisfies Readonly<Record<RetentionClass, IntegerSettingName>>;

/**
 * Gallring's configuration from the environment:
 * - `SAMVERKAN_RETENTION`: `on` or `off`. On by default in production, where gallring is a
 *   duty; off by default in development, whose demo data has fixed dates (the 2023–2025
 *   promise) and would be gallrad as the calendar moves on, under the developers and the tests.
 * - `SAMVERKAN_RETENTION_<CLASS>_YEARS`: the period per class (see the defaults above).
 * - `SAMVERKAN_RETENTION_INTERVAL_HOURS`: how often it runs, 24 by default; also once at start.
 */
export function retentionConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RetentionConfig {
  const switched = choiceSetting(env, 'SAMVERKAN_RETENTION');
  const periods = Object.fromEntries(
    (Object.keys(YEARS_VARIABLE) as RetentionClass[]).map((retention) => [
      retention,
      integerSetting(env, YEARS_VARIABLE[retention]),
    ]),
  ) as Record<RetentionClass, number>;
  return {
    scheduled: switched ? switched === 'on' : samverkanEnvironment(env) === 'production',
    periods,
    intervalHours: integerSetting(env, 'SAMVERKAN_RETENTION_INTERVAL_HOURS'),
  };
}
