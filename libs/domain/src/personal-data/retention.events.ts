import type { LocalDate } from '../calendar';
import type { DomainEvent } from '../decider';

/**
 * The retention classes as the event names them: personal-fields' `RetentionClass`, spelled out
 * here because the inventory there lists this file's event (importing it back would be a cycle).
 * retention.ts fails to compile if the two differ.
 */
export type RetainedClass = 'prevention-talks' | 'restricted-reports' | 'read-access-log';

export interface RetentionCutoff {
  readonly retention: RetainedClass;
  readonly retentionYears: number;
  /** The first year still kept: every year before it has expired. */
  readonly keptFromYear: number;
}

/** What one run of the gallring did to one class: counts and years, never what was destroyed. */
export interface RetentionClassApplied extends RetentionCutoff {
  /** The years whose keys were destroyed now (a year gallrad before is not listed again). */
  readonly yearsDestroyed: readonly number[];
  readonly keysDestroyed: number;
  /** Rows of read models built from the class's expired events (talks, reports, reads). */
  readonly readModelRowsCleared: number;
  /** Entries of the Kafka relay's stream audiences for streams whose retention ended. */
  readonly relayEntriesCleared: number;
}

/**
 * The platform applied the retention periods: keys destroyed, read-model rows and relay entries
 * cleared. Counts and years only: no stream, no id, nothing of what was gallrad. Appended by
 * the system, not by a person; one per run that did anything.
 */
export type RetentionApplied = DomainEvent<
  'RetentionApplied',
  {
    /** The day in Sweden the periods were measured from. */
    readonly appliedOn: LocalDate;
    /** The classes something was done to. */
    readonly classes: readonly RetentionClassApplied[];
  }
>;

export const retentionStream = (appliedOn: LocalDate): string => `retention-${appliedOn}`;
