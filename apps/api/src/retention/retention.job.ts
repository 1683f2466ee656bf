import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Actor } from '@samverkan/domain/actor';
import { swedishDate, type LocalDate } from '@samverkan/domain/calendar';
import { recordRetention, retentionCutoffs } from '@samverkan/domain/personal-data/retention';
import {
  retentionStream,
  type RetentionClassApplied,
} from '@samverkan/domain/personal-data/retention.events';
import type { RetentionClass } from '@samverkan/domain/personal-fields';
import {
  EVENT_STORE,
  type EventStore,
  type JsonObject,
} from '@samverkan/event-store/event-store.port';
import { ALL_PROJECTIONS } from '@samverkan/projections/all-projections';
import type { Projection } from '@samverkan/projections/projection';
import { ProjectionRunner } from '@samverkan/projections/projection-runner';
import {
  isPastRetention,
  raiseRetentionCutoffs,
  readRetentionCutoffs,
  type RetentionCutoffs,
} from '@samverkan/projections/retention';
import type { DataSource } from 'typeorm';
import { LOG_ACCESS, type LogAccess } from '@samverkan/event-store/log-access.port';
import { requireLogAccess } from '../personal-data/require-log-access';
import { READ_MODELS } from '../projections/read-models.token';
import { RelayAudiences } from './relay-audiences';
import { RETENTION_CONFIG, type RetentionConfig } from './retention-config';
import {
  CITIZEN_DIALOGUE_SUBMISSIONS,
  type CitizenDialogueSubmissions,
} from '@samverkan/event-store/citizen-dialogue.port';
import { submissionsKeptFrom } from '@samverkan/domain/citizen-dialogue/unsafe-places';
import { citizenDialogueConfig } from '../citizen-dialogue/citizen-dialogue-config';

/**
 * The envelope of what the platform itself does when a period ends: no person decides a
 * gallring, the configured periods do. The municipality hosts the partnership's coordinating
 * function (as for the bootstrap's actor); `operator` is the role that runs the platform.
 */
export const RETENTION_ACTOR: Actor = {
  userId: 'gallring',
  agency: 'municipality',
  role: 'operator',
};

export interface RetentionRun {
  readonly appliedOn: LocalDate;
  /** Every class, with what was done to it now (zeros when nothing). */
  readonly classes: readonly RetentionClassApplied[];
  /** Whether `RetentionApplied` was appended (only when something was done). */
  readonly appended: boolean;
  /** Table sets not cleared now because a rebuild held them: the next run clears them. */
  readonly busy: readonly string[];
  /** Residents' submissions past their days, deleted (citizen dialogue: never events). */
  readonly submissionsDeleted: number;
}

/**
 * Gallring: on each run, for every retention class whose years have expired (see the domain's
 * retention.ts), in this order:
 * 1. raise the cutoffs the projections read, so from now on they skip what is past;
 * 2. destroy the period keys of the expired years (their texts read "[gallrad]");
 * 3. clear read-model rows past retention (talks, restricted reports, reads), in every table set,
 *    under each projection's lease, and the Kafka relay's stream audiences of those streams;
 * 4. record what was done in `RetentionApplied` (counts only), if anything was;
 * 5. delete residents' submissions (citizen dialogue) that waited longer than their days.
 * Each step is idempotent, and each run does all of them again: a run that died half-way is
 * finished by the next. One instance of several does it: a transaction-scoped advisory lock is
 * the lease, as for sealing (a holder that dies lets go with its connection).
 */
@Injectable()
export class RetentionJob {
  private readonly logger = new Logger('Gallring');
  private queue: Promise<unknown> = Promise.resolve();
  private readonly submissionDays = citizenDialogueConfig().retentionDays;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOG_ACCESS) private readonly logAccess: LogAccess | null,
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly runner: ProjectionRunner,
    @Inject(RETENTION_CONFIG) private readonly config: RetentionConfig,
    @Inject(CITIZEN_DIALOGUE_SUBMISSIONS) private readonly submissions: CitizenDialogueSubmissions,
  ) {}

  /**
   * One run with the periods measured from `now`. Runs in this process one at a time; returns
   * undefined when another instance holds the lease (it does the work).
   */
  run(now: Date): Promise<RetentionRun | undefined> {
    const run = this.queue.then(() => this.underLease(() => this.apply(now)));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private underLease<T>(work: () => Promise<T>): Promise<T | undefined> {
    // Embedded: one process per data folder; the queue above is the lease there.
    return requireLogAccess(this.logAccess).underLease('retention', work);
  }

  private async apply(now: Date): Promise<RetentionRun> {
    const { keys, sql } = requireLogAccess(this.logAccess);
    const appliedOn = swedishDate(now);
    const correlationId = randomUUID();
    const due = retentionCutoffs(appliedOn, this.config.periods);

    // 1. First, so that no batch applied from here on brings back a row cleared below.
    await raiseRetentionCutoffs(
      this.readModels,
      Object.fromEntries(due.map((c) => [c.retention, c.keptFromYear])),
    );
    // What holds: a cutoff never moves back (a longer period set later cannot undo a gallring).
    const cutoffs = await readRetentionCutoffs(this.readModels);
    const keptFrom = (retention: RetentionClass): number => cutoffs[retention]!;

    // 2. Keys. A year already gallrad has none left, unless a late event made one anew.
    const destroyed = new Map<RetentionClass, number[]>();
    for (const { retention } of due) {
      const gone = await keys.destroyPeriodsBefore(retention, keptFrom(retention), correlationId);
      destroyed.set(
        retention,
        gone.map((k) => k.year),
      );
    }

    // 3. Read models and the relay's audiences.
    const rows = new Map<RetentionClass, number>();
    const relay = new Map<RetentionClass, number>();
    const add = (to: Map<RetentionClass, number>, retention: RetentionClass, n: number) =>
      to.set(retention, (to.get(retention) ?? 0) + n);
    const audiences = new RelayAudiences(sql);
    const busy: string[] = [];
    for (const projection of ALL_PROJECTIONS) {
      const retention = projection.retention;
      if (!retention) continue;
      const streamIds = await this.streamsPastRetention(projection, cutoffs);
      const cleared = await this.runner.clearExpired(projection, { cutoffs, streamIds });
      busy.push(...cleared.busy);
      add(rows, retention.retention, cleared.cleared);
      add(relay, retention.retention, await audiences.deleteStreams(streamIds));
    }
    const readDays = await audiences.deleteReadAccessBefore(keptFrom('read-access-log'));
    add(relay, 'read-access-log', readDays);

    // 4. The record: counts and years, under the system's actor.
    const classes: RetentionClassApplied[] = due.map((c) => {
      const years = destroyed.get(c.retention) ?? [];
      return {
        retention: c.retention,
        retentionYears: c.retentionYears,
        keptFromYear: keptFrom(c.retention),
        yearsDestroyed: [...new Set(years)],
        keysDestroyed: years.length,
        readModelRowsCleared: rows.get(c.retention) ?? 0,
        relayEntriesCleared: relay.get(c.retention) ?? 0,
      };
    });
    const events = recordRetention(appliedOn, classes);
    if (events.length > 0) {
      await this.store.append(
        retentionStream(appliedOn),
        events.map((e) => ({
          type: e.type,
          data: e.data as unknown as JsonObject,
          occurredAt: now,
        })),
        { expectedRevision: 'any', actor: RETENTION_ACTOR, correlationId },
      );
      for (const c of events[0]!.data.classes) {
        this.logger.log(
          `${c.retention}: years before ${c.keptFromYear} gallrad; ${c.keysDestroyed} key(s) destroyed${c.yearsDestroyed.length > 0 ? ` (${c.yearsDestroyed.join(', ')})` : ''}, ${c.readModelRowsCleared} read-model row(s) and ${c.relayEntriesCleared} relay entr${c.relayEntriesCleared === 1 ? 'y' : 'ies'} cleared [${correlationId}]`,
        );
      }
    }
    if (busy.length > 0) {
      this.logger.warn(`Not cleared now, a rebuild holds them: ${busy.join(', ')}`);
    }
    // 5. Residents' submissions that waited past their days: a table, so deleted, not recorded.
    const submissionsDeleted = await this.submissions.deleteReceivedBefore(
      submissionsKeptFrom(appliedOn, this.submissionDays),
    );
    if (submissionsDeleted > 0) {
      this.logger.log(
        `${submissionsDeleted} resident submission(s) older than ${this.submissionDays} days deleted [${correlationId}]`,
      );
    }
    return { appliedOn, classes, appended: events.length > 0, busy, submissionsDeleted };
  }

  /**
   * The streams whose rows the projection builds per stream and that hold an event past its
   * retention period: read from the log sealed (nothing is decrypted), by the same rule the
   * projection applies as it folds, so the job clears exactly what a rebuild would not make.
   */
  private async streamsPastRetention(
    projection: Projection,
    cutoffs: RetentionCutoffs,
  ): Promise<string[]> {
    const streams = projection.retention?.streams;
    if (!streams) return [];
    const found = new Set<string>();
    for await (const event of this.store.readAll({
      filter: { streamPrefix: streams.streamPrefix, types: streams.eventTypes },
      personalData: 'sealed',
    })) {
      if (!found.has(event.streamId) && isPastRetention(event, cutoffs)) found.add(event.streamId);
    }
    return [...found];
  }
}
