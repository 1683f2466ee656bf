import fc from 'fast-check';
import { addDays, swedishDate } from '../calendar';
import { retentionYear } from '../personal-fields';
import {
  expiresOn,
  recordRetention,
  retentionCutoffs,
  startOfRetentionYear,
  type RetentionPeriods,
} from './retention';
import { retentionStream, type RetentionClassApplied } from './retention.events';

const periods: RetentionPeriods = {
  'prevention-talks': 3,
  'restricted-reports': 2,
  'read-access-log': 2,
};

const keptFrom = (today: string) =>
  Object.fromEntries(retentionCutoffs(today, periods).map((c) => [c.retention, c.keptFromYear]));

/** Whether year `year` of a class kept `years` years has expired on `today`. */
const expired = (today: string, year: number, years: number) =>
  year < retentionCutoffs(today, { ...periods, 'prevention-talks': years })[0]!.keptFromYear;

describe('retention periods: which years have expired', () => {
  it('given talks kept 3 years, when it is the last day of the third year after, then 2021 is kept', () => {
    expect(expired('2024-12-31', 2021, 3)).toBe(false);
  });

  it('given talks kept 3 years, when it is 1 January of the fourth year after, then 2021 is gallrad', () => {
    expect(expired('2025-01-01', 2021, 3)).toBe(true);
    expect(expired('2025-01-01', 2022, 3)).toBe(false);
  });

  it('measures each class by its own period', () => {
    expect(keptFrom('2027-01-01')).toEqual({
      'prevention-talks': 2024,
      'restricted-reports': 2025,
      'read-access-log': 2025,
    });
  });

  it('rule: a year expires exactly on the day expiresOn names, for any year and period', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2200 }),
        fc.integer({ min: 1, max: 50 }),
        (year, years) => {
          const day = expiresOn(year, years);
          expect(expired(addDays(day, -1), year, years)).toBe(false);
          expect(expired(day, year, years)).toBe(true);
          // Kept its whole year and then `years` full years more.
          expect(Number(day.slice(0, 4)) - year - 1).toBe(years);
        },
      ),
    );
  });

  it('rule: a year begins where the key of its year begins, at midnight in Sweden', () => {
    for (const year of [1990, 2021, 2024, 2025, 2030, 2100]) {
      const start = startOfRetentionYear(year);
      expect(retentionYear(start)).toBe(year);
      expect(retentionYear(new Date(start.getTime() - 1))).toBe(year - 1);
      expect(swedishDate(start)).toBe(`${year}-01-01`);
    }
  });
});

describe('retention: the record of a run', () => {
  const talks: RetentionClassApplied = {
    retention: 'prevention-talks',
    retentionYears: 3,
    keptFromYear: 2022,
    yearsDestroyed: [2020, 2021],
    keysDestroyed: 2,
    readModelRowsCleared: 7,
    relayEntriesCleared: 7,
  };
  const nothing = (retention: RetentionClassApplied['retention']): RetentionClassApplied => ({
    retention,
    retentionYears: 2,
    keptFromYear: 2023,
    yearsDestroyed: [],
    keysDestroyed: 0,
    readModelRowsCleared: 0,
    relayEntriesCleared: 0,
  });

  it('given keys destroyed, when recorded, then RetentionApplied lists that class only', () => {
    expect(
      recordRetention('2025-01-01', [
        talks,
        nothing('restricted-reports'),
        nothing('read-access-log'),
      ]),
    ).toEqual([{ type: 'RetentionApplied', data: { appliedOn: '2025-01-01', classes: [talks] } }]);
  });

  it('given rows cleared but no key left to destroy (a run after a crash), then it is recorded', () => {
    const rowsOnly = { ...nothing('read-access-log'), readModelRowsCleared: 3 };
    expect(recordRetention('2025-01-02', [rowsOnly])[0]?.data.classes).toEqual([rowsOnly]);
  });

  it('given nothing expired, when recorded, then nothing is appended', () => {
    expect(
      recordRetention('2025-01-02', [nothing('prevention-talks'), nothing('read-access-log')]),
    ).toEqual([]);
  });

  it('names no person: only classes, years and counts', () => {
    const [event] = recordRetention('2025-01-01', [talks]);
    expect(JSON.stringify(event)).toMatch(/^[\w{}[\]":,-]+$/);
    expect(retentionStream('2025-01-01')).toBe('retention-2025-01-01');
  });
});
