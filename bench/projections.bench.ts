import { Logger } from '@nestjs/common';
import { Client, Pool, type PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { hammaroActivities, type SeedActivity } from '../apps/api/src/seed/hammaro-activities';
import { HAMMARO_PROMISE_ID, hammaroPromise } from '../apps/api/src/seed/hammaro-promise';
import { seedActors } from '../apps/api/src/seed/seed-step';
import type { AgencyCode } from '../libs/domain/src/agencies/agencies';
import { addDays } from '../libs/domain/src/calendar';
import type {
  ActivityDetails,
  CitizenPromiseEvent,
  CommitmentActivityCorrected,
  CommitmentActivityRecorded,
  CommitmentActivityWithdrawn,
  FollowUpReported,
  FollowUpScheduled,
  PromiseDrafted,
  PromiseSigned,
} from '../libs/domain/src/citizen-promise/citizen-promise.events';
import {
  evolvePromiseDocument,
  type PromiseDocument,
} from '../libs/domain/src/citizen-promise/citizen-promise.view';
import type {
  SafetyWalkConducted,
  SafetyWalkPlanned,
} from '../libs/domain/src/safety-walks/safety-walks.events';
import type {
  SituationPictureConfirmed,
  SituationReportCorrected,
  SituationReportDetails,
  SituationReported,
  SituationReportRetracted,
} from '../libs/domain/src/situation-picture/situation-picture.events';
import {
  createEventStore,
  type EventStoreConfig,
} from '../libs/event-store/src/event-store.config';
import type {
  Actor,
  EventStore,
  JsonObject,
  NewEvent,
} from '../libs/event-store/src/event-store.port';
import { ALL_PROJECTIONS } from '../libs/projections/src/all-projections';
import type { Projection } from '../libs/projections/src/projection';
import { ProjectionRunner } from '../libs/projections/src/projection-runner';
import { createReadModelDataSource } from '../libs/projections/src/read-model-data-source';
import { readModelMigrations } from '../libs/projections/src/read-model-migrations';
import { benchDatabaseUrl, formatRate, type Sink } from './bench-support';

/**
 * Rebuilding every read model from a seed-like log against a raw baseline, side by side in one
 * run. The project: `ProjectionRunner.rebuild` per projection (store `readAll`, TypeORM
 * transactions, checkpoint compare-and-set, switch-over). The baseline: what one would write by
 * hand with `pg` alone: pages of the same size read straight from `event_store.events` (only the
 * columns the read model needs, `data` only for the events it folds), folded in memory, and
 * written into fresh copies of the same tables with a few multi-row statements, in one
 * transaction per page that also moves a checkpoint row. Both read the whole log once per read
 * model; their rows are compared at the end, and any difference fails the run.
 *
 * The benchmark drops and recreates its database (samverkan_bench_projections, or
 * BENCH_DATABASE_URL when its name starts with samverkan_bench). Knobs: BENCH_PROJECTION_EVENTS
 * (200000), BENCH_PROJECTION_BATCH (500), BENCH_PROJECTION_ROUNDS (3). With
 * NODE_OPTIONS=--expose-gc it collects garbage before each measurement.
 */

const DATABASE = 'samverkan_bench_projections';
const EVENTS = positiveInteger('BENCH_PROJECTION_EVENTS', 200_000);
const BATCH_SIZE = positiveInteger('BENCH_PROJECTION_BATCH', 500);
const ROUNDS = positiveInteger('BENCH_PROJECTION_ROUNDS', 3);
/** One writer per promise: each owns its streams, so corrections follow what they correct. */
const WRITERS = 5;
const ACTIVITIES_PER_APPEND = 50;
const RSS_SAMPLE_MS = 50;
const RAW_SCHEMA_PREFIX = 'bench_raw_';
const PROGRESS_EVERY_MS = 2_000;
const COLUMN = 21;
const VARIANTS = ['raw', 'project'] as const;
type Variant = (typeof VARIANTS)[number];

function positiveInteger(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

const count = (n: number): string => n.toLocaleString('en-US');
const megabytes = (bytes: number): string => `${Math.round(bytes / 2 ** 20)} MB`;
/** Domain event data is typed by readonly interfaces; the store takes it as JSON. */
const json = (data: object): JsonObject => data as JsonObject;

// ---------------------------------------------------------------------------------------------
// The log: five promises with their activities, situation reports, safety walks
// ---------------------------------------------------------------------------------------------

/** A small deterministic PRNG (mulberry32), so every run appends the same log. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface PlannedAppend {
  readonly streamId: string;
  readonly events: NewEvent[];
  readonly actor: Actor;
}

/** Areas of the seed's places register and places in them (undefined: the area itself). */
const AREAS = [
  { area: 'skoghall-centrum', places: ['kommunhuset', 'lillangshamnen', undefined] },
  { area: 'skoghall', places: ['hammarlundens-skola', 'mormoskolan', 'hammaro-arena'] },
  { area: 'hammaro', places: ['sorvikshamnen', 'morudden', undefined] },
] as const;
const REPORTERS = [
  seedActors.policeOfficer,
  seedActors.municipalPoliceOfficer,
  seedActors.securityGuard,
  seedActors.socialWorker,
  seedActors.youthWorker,
  seedActors.principal,
] as const;
const TRENDS = ['rising', 'stable', 'falling'] as const;
const SEVERITIES = ['low', 'medium', 'high'] as const;
const SOURCES = ['own-observation', 'citizen-dialogue', 'statistics', 'incident-reports'] as const;
const MAX_REMEMBERED = 5_000;

/**
 * What one writer appends: the draft and signatures of its promise, then a mix that is mostly
 * activities (about 5 % of them corrections and 2 % withdrawals of earlier ones, in the same
 * stream), some situation reports (reported, corrected, retracted), an occasional confirmed
 * situation picture and follow-up, and safety walks, which only the audit trail reads.
 */
class SeedWriter {
  private readonly next: () => number;
  private readonly promiseId: string;
  private readonly promiseStream: string;
  private activities = 0;
  private activityAppends = 0;
  /** Activities neither withdrawn nor forgotten (the most recent few thousand). */
  private readonly live: number[] = [];
  private reports = 0;
  private reportAppends = 0;
  private readonly openReports: number[] = [];
  private walks = 0;
  private followUps = 0;
  private followUpDue: string | undefined;
  private readonly templates: readonly SeedActivity[];

  constructor(
    private readonly writer: number,
    private remaining: number,
  ) {
    this.next = random(writer + 1);
    this.promiseId = `${HAMMARO_PROMISE_ID}-bench-${writer + 1}`;
    this.promiseStream = `citizen-promise-${this.promiseId}`;
    this.templates = hammaroActivities();
  }

  *appends(): Generator<PlannedAppend> {
    yield this.take(this.promiseStream, seedActors.safetyCoordinator, this.draft());
    while (this.remaining > 0) {
      const roll = this.next();
      // Per append: about 27 % activities (50 events), 44 % situation reports (1), 29 % walks
      // (2), which makes about 93 % of the events activities, 3 % reports and 4 % walks.
      if (roll < 0.27 || this.remaining < 2) yield this.activityAppend();
      else if (roll < 0.71) yield this.reportAppend();
      else yield this.walkAppend();
    }
  }

  private take(streamId: string, actor: Actor, events: NewEvent[]): PlannedAppend {
    const kept = events.slice(0, this.remaining);
    this.remaining -= kept.length;
    return { streamId, events: kept, actor };
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  private draft(): NewEvent[] {
    const drafted: PromiseDrafted['data'] = {
      ...hammaroPromise,
      promiseId: this.promiseId,
      draftedOn: '2022-12-12',
    };
    return [
      { type: 'PromiseDrafted', data: json(drafted) },
      ...hammaroPromise.signatories.map((s): NewEvent => ({
        type: 'PromiseSigned',
        data: json({
          signatoryId: s.signatoryId,
          signedOn: '2023-01-10',
        } satisfies PromiseSigned['data']),
      })),
    ];
  }

  private activityId(n: number): string {
    return `${this.templates[n % this.templates.length]!.activityId}-w${this.writer}-${n}`;
  }

  /** Activity n of this writer: a seed activity moved to another week, its figures varied. */
  private activity(n: number): { template: SeedActivity; details: ActivityDetails } {
    const template = this.templates[n % this.templates.length]!;
    const figures = Object.fromEntries(
      Object.entries(template.figures).map(([k, v]) => [k, v + (n % 5)]),
    );
    return {
      template,
      details: {
        kind: template.kind,
        date: addDays(template.date, 7 * ((Math.floor(n / this.templates.length) % 100) - 50)),
        placeIds: template.placeIds,
        agenciesPresent: template.agenciesPresent,
        outcome: template.outcome,
        figures,
      },
    };
  }

  private remember(list: number[], n: number): void {
    if (list.length < MAX_REMEMBERED) list.push(n);
    else list[Math.floor(this.next() * list.length)] = n;
  }

  private forget(list: number[], index: number): number {
    const n = list[index]!;
    list[index] = list[list.length - 1]!;
    list.pop();
    return n;
  }

  private activityAppend(): PlannedAppend {
    const events: NewEvent[] = [];
    this.activityAppends++;
    if (this.activityAppends % 40 === 0) events.push(this.followUpEvent());
    let actor: Actor = seedActors.policeOfficer;
    while (events.length < ACTIVITIES_PER_APPEND) {
      const roll = this.next();
      if (roll < 0.05 && this.live.length > 0) {
        const n = this.live[Math.floor(this.next() * this.live.length)]!;
        const { details } = this.activity(n);
        const data: CommitmentActivityCorrected['data'] = {
          ...details,
          activityId: this.activityId(n),
          reason: 'Fel siffror i första rapporten; rättat efter kontroll mot protokollet.',
          figures: Object.fromEntries(Object.entries(details.figures).map(([k, v]) => [k, v + 1])),
          outcome: `${details.outcome} (Rättad.)`,
        };
        events.push({ type: 'CommitmentActivityCorrected', data: json(data) });
      } else if (roll < 0.07 && this.live.length > 0) {
        const n = this.forget(this.live, Math.floor(this.next() * this.live.length));
        const data: CommitmentActivityWithdrawn['data'] = {
          activityId: this.activityId(n),
          reason: 'Registrerad två gånger.',
        };
        events.push({ type: 'CommitmentActivityWithdrawn', data: json(data) });
      } else {
        const n = this.activities++;
        const { template, details } = this.activity(n);
        const data: CommitmentActivityRecorded['data'] = {
          activityId: this.activityId(n),
          commitmentId: template.commitmentId,
          ...details,
        };
        events.push({ type: 'CommitmentActivityRecorded', data: json(data) });
        this.remember(this.live, n);
        actor = template.by;
      }
    }
    return this.take(this.promiseStream, actor, events);
  }

  /** Every so often a follow-up is scheduled, and the next time it is reported. */
  private followUpEvent(): NewEvent {
    if (this.followUpDue === undefined) {
      this.followUpDue = `follow-up-${++this.followUps}`;
      const data: FollowUpScheduled['data'] = {
        followUpId: this.followUpDue,
        recipient: this.followUps % 2 === 0 ? 'municipal-board' : 'police-area-management',
        due: { from: '2024-11-01', to: '2024-11-30' },
      };
      return { type: 'FollowUpScheduled', data: json(data) };
    }
    const data: FollowUpReported['data'] = {
      followUpId: this.followUpDue,
      reportedOn: '2024-11-20',
      summary: 'Åtagandena genomförda enligt plan, med undantag för två veckor utan mobilt kontor.',
      proposals: 'Fler fotpatruller helgkvällar; väktarronder vid skolorna under loven.',
    };
    this.followUpDue = undefined;
    return { type: 'FollowUpReported', data: json(data) };
  }

  private reportId(n: number): string {
    return `bench-w${this.writer}-r${n}`;
  }

  private reportDetails(n: number, corrected: boolean): SituationReportDetails {
    const { area, places } = AREAS[n % AREAS.length]!;
    const place = places[n % places.length];
    const restricted = n % 4 === 0;
    const month = String(1 + (n % 12)).padStart(2, '0');
    return {
      placeIds: [place ?? area],
      problemArea: hammaroPromise.problemAreas[n % hammaroPromise.problemAreas.length]!.code,
      period: { from: `2024-${month}-01`, to: `2024-${month}-28` },
      trend: TRENDS[(n + (corrected ? 1 : 0)) % TRENDS.length]!,
      severity: SEVERITIES[n % SEVERITIES.length]!,
      description: corrected
        ? 'Fler iakttagelser än först rapporterat av ungdomar påverkade av narkotika helgkvällar.'
        : 'Iakttagelser av ungdomar påverkade av narkotika och klotter kring skolor helgkvällar.',
      source: SOURCES[n % SOURCES.length]!,
      sensitivity: restricted ? 'restricted' : 'open',
      sharedWith: restricted ? (['police', 'social-services'] satisfies AgencyCode[]) : [],
    };
  }

  private reportAppend(): PlannedAppend {
    this.reportAppends++;
    if (this.reportAppends % 200 === 0 && this.openReports.length > 0) {
      const data: SituationPictureConfirmed['data'] = {
        confirmationId: `bench-w${this.writer}-meeting-${this.reportAppends}`,
        meetingOn: '2024-10-15',
        period: { from: '2024-09-01', to: '2024-09-30' },
        reportIds: this.openReports.slice(-4).map((n) => this.reportId(n)),
        summary: 'Narkotika bland unga kring Skoghall centrum ökar; skadegörelse vid skolor ökar.',
      };
      return this.take(`situation-picture-bench-w${this.writer}`, seedActors.safetyCoordinator, [
        { type: 'SituationPictureConfirmed', data: json(data) },
      ]);
    }
    const actor = this.pick(REPORTERS);
    const roll = this.next();
    if (this.openReports.length === 0 || roll < 0.6) {
      const n = this.reports++;
      this.remember(this.openReports, n);
      const data: SituationReported['data'] = {
        reportId: this.reportId(n),
        reportingAgency: actor.agency,
        ...this.reportDetails(n, false),
      };
      return this.take(`situation-report-${this.reportId(n)}`, actor, [
        { type: 'SituationReported', data: json(data) },
      ]);
    }
    const index = Math.floor(this.next() * this.openReports.length);
    if (roll < 0.9) {
      const n = this.openReports[index]!;
      const data: SituationReportCorrected['data'] = {
        reason: 'Fler händelser inrapporterade efter första rapporten.',
        ...this.reportDetails(n, true),
      };
      return this.take(`situation-report-${this.reportId(n)}`, actor, [
        { type: 'SituationReportCorrected', data: json(data) },
      ]);
    }
    // A retracted report never changes again.
    const n = this.forget(this.openReports, index);
    const data: SituationReportRetracted['data'] = { reason: 'Rapporterad av misstag.' };
    return this.take(`situation-report-${this.reportId(n)}`, actor, [
      { type: 'SituationReportRetracted', data: json(data) },
    ]);
  }

  private walkAppend(): PlannedAppend {
    const n = this.walks++;
    const walkId = `bench-w${this.writer}-walk-${n}`;
    const { area, places } = AREAS[n % AREAS.length]!;
    const route = places.filter((p): p is NonNullable<typeof p> => p !== undefined);
    const planned: SafetyWalkPlanned['data'] = {
      walkId,
      areaId: area,
      route,
      plannedOn: addDays('2024-04-01', n % 200),
      invitedParties: ['police', 'municipality', 'housing-company', 'rescue-service'],
    };
    const conducted: SafetyWalkConducted['data'] = {
      conductedOn: addDays('2024-04-15', n % 200),
      participants: ['police', 'municipality', 'housing-company'],
      residentsTakingPart: 8 + (n % 13),
      findings: [
        {
          findingId: `${walkId}-f1`,
          placeIds: [route[0] ?? area],
          kind: 'poor-lighting',
          description: 'Trasig belysning på gångvägen mellan busshållplatsen och skolan.',
          responsibleParty: 'municipality',
        },
      ],
    };
    return this.take(`safety-walk-${walkId}`, seedActors.safetyCoordinator, [
      { type: 'SafetyWalkPlanned', data: json(planned) },
      { type: 'SafetyWalkConducted', data: json(conducted) },
    ]);
  }
}

async function appendLog(
  store: EventStore,
  total: number,
): Promise<{ appends: number; seconds: number; lastPosition: number }> {
  const started = performance.now();
  let appends = 0;
  let lastPosition = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      const share = Math.floor(total / WRITERS) + (w < total % WRITERS ? 1 : 0);
      for (const append of new SeedWriter(w, share).appends()) {
        if (append.events.length === 0) continue;
        const result = await store.append(append.streamId, append.events, {
          expectedRevision: 'any',
          actor: append.actor,
        });
        lastPosition = Math.max(lastPosition, result.globalPosition);
        appends++;
      }
    }),
  );
  return { appends, seconds: (performance.now() - started) / 1000, lastPosition };
}

/**
 * Waits until the store counts the whole log as final. Its watermark rests on the server's
 * oldest running transaction, in any database: a long one elsewhere (a test suite on the same
 * server) holds it back, and a rebuild started then would see only part of the log.
 */
async function waitForFinal(store: EventStore, position: number, out: Sink): Promise<void> {
  const deadline = performance.now() + 120_000;
  let told = false;
  while ((await store.status()).headPosition < position) {
    if (performance.now() > deadline) {
      throw new Error(`The log was not final up to ${position} within 120 s`);
    }
    if (!told) {
      out.line('(waiting for the log to be final: a transaction elsewhere on the server is open)');
      told = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// ---------------------------------------------------------------------------------------------
// The project: ProjectionRunner.rebuild
// ---------------------------------------------------------------------------------------------

/** The highest resident set size seen while `work` runs, sampled every 50 ms. */
async function peakRss(work: () => Promise<void>): Promise<number> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, RSS_SAMPLE_MS);
  try {
    await work();
    return Math.max(peak, process.memoryUsage().rss);
  } finally {
    clearInterval(timer);
  }
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** One read model rebuilt by the runner, with a progress line every few seconds. */
async function projectRebuild(
  runner: ProjectionRunner,
  projection: Projection,
  out: Sink,
): Promise<void> {
  let lastLine = performance.now();
  const outcome = await runner.rebuild(projection, {
    onProgress: (p) => {
      if (performance.now() - lastLine < PROGRESS_EVERY_MS) return;
      lastLine = performance.now();
      // From the position: `applied` counts finished passes only, so it is 0 until the end.
      out.line(
        `    ${projection.name}: ${count(p.position)}/${count(p.head)} events, ${formatRate((p.position * 1000) / Math.max(1, p.elapsedMs))} events/s`,
      );
    },
  });
  if (!outcome.switchedOver) throw new Error(`The rebuild of ${projection.name} did not finish`);
}

// ---------------------------------------------------------------------------------------------
// The raw baseline: pg, hand-written batched SQL, same tables
// ---------------------------------------------------------------------------------------------

/** A row of `event_store.events` as `pg` returns it (bigint as text). */
interface LogRow {
  global_position: string;
  event_id: string;
  stream_id: string;
  revision: string;
  type: string;
  data: JsonObject | null;
  occurred_at: Date;
  recorded_at: Date;
  actor_user_id: string;
  actor_agency: string;
  actor_role: string;
  correlation_id: string;
  causation_id: string | null;
}

interface RawProjection {
  readonly name: string;
  /** The columns of the log it needs: `data` only for the events it folds. */
  readonly columns: string;
  write(tx: PoolClient, rows: readonly LogRow[], schema: string): Promise<void>;
}

const rawSchema = (projection: Projection): string =>
  RAW_SCHEMA_PREFIX + projection.name.replace(/[^a-z0-9]+/g, '_');

const auditTrailRaw: RawProjection = {
  name: 'audit-trail',
  columns: `global_position, event_id, stream_id, revision, type, occurred_at, recorded_at,
    actor_user_id, actor_agency, actor_role, correlation_id, causation_id`,
  async write(tx, rows, schema) {
    const col = <T>(pick: (r: LogRow) => T): T[] => rows.map(pick);
    await tx.query(
      `insert into ${schema}.audit_trail (global_position, event_id, stream_id, revision,
         event_type, actor_user_id, actor_agency, actor_role, occurred_at, recorded_at,
         correlation_id, causation_id)
       select * from unnest($1::bigint[], $2::uuid[], $3::text[], $4::bigint[], $5::text[],
         $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::timestamptz[], $11::text[],
         $12::text[])`,
      [
        col((r) => r.global_position),
        col((r) => r.event_id),
        col((r) => r.stream_id),
        col((r) => r.revision),
        col((r) => r.type),
        col((r) => r.actor_user_id),
        col((r) => r.actor_agency),
        col((r) => r.actor_role),
        col((r) => r.occurred_at),
        col((r) => r.recorded_at),
        col((r) => r.correlation_id),
        col((r) => r.causation_id),
      ],
    );
  },
};

interface RawReport {
  id: string;
  /** Reported in this batch: inserted; otherwise an update of the stored row. */
  isNew: boolean;
  details?: SituationReportDetails;
  agency?: string;
  reportedAt?: Date;
  status: 'reported' | 'retracted';
  changedAt: Date;
  position: string;
}

const situationPictureRaw: RawProjection = {
  name: 'situation-picture',
  columns: `global_position, stream_id, type, recorded_at,
    case when type in ('SituationReported', 'SituationReportCorrected',
      'SituationPictureConfirmed') then data end as data`,
  async write(tx, rows, schema) {
    const reports = new Map<string, RawReport>();
    const confirmed: SituationPictureConfirmed['data'][] = [];
    for (const row of rows) {
      if (row.type === 'SituationPictureConfirmed') {
        confirmed.push(row.data as unknown as SituationPictureConfirmed['data']);
        continue;
      }
      if (!row.stream_id.startsWith('situation-report-')) continue;
      const id = row.stream_id.slice('situation-report-'.length);
      const before = reports.get(id);
      const at = { changedAt: row.recorded_at, position: row.global_position };
      if (row.type === 'SituationReported') {
        const {
          reportId: _,
          reportingAgency,
          ...details
        } = row.data as unknown as SituationReported['data'];
        reports.set(id, {
          id,
          isNew: true,
          details,
          agency: reportingAgency,
          reportedAt: row.recorded_at,
          status: 'reported',
          ...at,
        });
      } else if (row.type === 'SituationReportCorrected') {
        const { reason: _, ...details } = row.data as unknown as SituationReportCorrected['data'];
        reports.set(id, {
          ...(before ?? { id, isNew: false }),
          details,
          status: before?.status ?? 'reported',
          ...at,
        });
      } else if (row.type === 'SituationReportRetracted') {
        reports.set(id, { ...(before ?? { id, isNew: false }), status: 'retracted', ...at });
      }
    }
    const added = [...reports.values()].filter((r) => r.isNew);
    const changed = [...reports.values()].filter((r) => !r.isNew);
    const detail = <T>(list: RawReport[], pick: (d: SituationReportDetails) => T): (T | null)[] =>
      list.map((r) => (r.details ? pick(r.details) : null));
    if (added.length > 0) {
      await tx.query(
        `insert into ${schema}.situation_reports (report_id, place_ids, problem_area,
           period_from, period_to, trend, severity, description, source, sensitivity,
           shared_with, reporting_agency, status, reported_at, changed_at, last_position)
         select id, array(select jsonb_array_elements_text(place_ids)), problem_area, pf, pt,
                trend, severity, description, source,
                sensitivity, array(select jsonb_array_elements_text(shared)), agency, status,
                reported_at, changed_at, pos
           from unnest($1::text[], $2::jsonb[], $3::text[], $4::date[], $5::date[],
                $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::jsonb[],
                $12::text[], $13::text[], $14::timestamptz[], $15::timestamptz[], $16::bigint[])
             as u(id, place_ids, problem_area, pf, pt, trend, severity, description, source,
                  sensitivity, shared, agency, status, reported_at, changed_at, pos)`,
        [
          added.map((r) => r.id),
          detail(added, (d) => JSON.stringify(d.placeIds)),
          detail(added, (d) => d.problemArea),
          detail(added, (d) => d.period.from),
          detail(added, (d) => d.period.to),
          detail(added, (d) => d.trend),
          detail(added, (d) => d.severity),
          detail(added, (d) => d.description),
          detail(added, (d) => d.source),
          detail(added, (d) => d.sensitivity),
          detail(added, (d) => JSON.stringify(d.sharedWith)),
          added.map((r) => r.agency),
          added.map((r) => r.status),
          added.map((r) => r.reportedAt),
          added.map((r) => r.changedAt),
          added.map((r) => r.position),
        ],
      );
    }
    if (changed.length > 0) {
      // Corrections restate every field; a retraction alone changes only the status.
      await tx.query(
        `update ${schema}.situation_reports r set
           place_ids = case when u.restated
             then array(select jsonb_array_elements_text(u.place_ids)) else r.place_ids end,
           problem_area = case when u.restated then u.problem_area else r.problem_area end,
           period_from = case when u.restated then u.pf else r.period_from end,
           period_to = case when u.restated then u.pt else r.period_to end,
           trend = case when u.restated then u.trend else r.trend end,
           severity = case when u.restated then u.severity else r.severity end,
           description = case when u.restated then u.description else r.description end,
           source = case when u.restated then u.source else r.source end,
           sensitivity = case when u.restated then u.sensitivity else r.sensitivity end,
           shared_with = case when u.restated
             then array(select jsonb_array_elements_text(u.shared)) else r.shared_with end,
           status = u.status, changed_at = u.changed_at, last_position = u.pos
           from unnest($1::text[], $2::boolean[], $3::jsonb[], $4::text[],
                $5::date[], $6::date[], $7::text[], $8::text[], $9::text[], $10::text[],
                $11::text[], $12::jsonb[], $13::text[], $14::timestamptz[], $15::bigint[])
             as u(id, restated, place_ids, problem_area, pf, pt, trend, severity,
                  description, source, sensitivity, shared, status, changed_at, pos)
          where r.report_id = u.id`,
        [
          changed.map((r) => r.id),
          changed.map((r) => r.details !== undefined),
          detail(changed, (d) => JSON.stringify(d.placeIds)),
          detail(changed, (d) => d.problemArea),
          detail(changed, (d) => d.period.from),
          detail(changed, (d) => d.period.to),
          detail(changed, (d) => d.trend),
          detail(changed, (d) => d.severity),
          detail(changed, (d) => d.description),
          detail(changed, (d) => d.source),
          detail(changed, (d) => d.sensitivity),
          detail(changed, (d) => JSON.stringify(d.sharedWith)),
          changed.map((r) => r.status),
          changed.map((r) => r.changedAt),
          changed.map((r) => r.position),
        ],
      );
    }
    if (confirmed.length > 0) {
      await tx.query(
        `insert into ${schema}.situation_picture_confirmations
           (confirmation_id, meeting_on, period_from, period_to, report_ids, summary)
         select id, meeting_on, pf, pt, array(select jsonb_array_elements_text(ids)), summary
           from unnest($1::text[], $2::date[], $3::date[], $4::date[], $5::jsonb[], $6::text[])
             as u(id, meeting_on, pf, pt, ids, summary)`,
        [
          confirmed.map((c) => c.confirmationId),
          confirmed.map((c) => c.meetingOn),
          confirmed.map((c) => c.period.from),
          confirmed.map((c) => c.period.to),
          confirmed.map((c) => JSON.stringify(c.reportIds)),
          confirmed.map((c) => c.summary),
        ],
      );
    }
  },
};

interface RawActivity {
  promiseId: string;
  activityId: string;
  /** Recorded in this batch: inserted; otherwise an update of the stored row. */
  recordedPosition?: string;
  commitmentId?: string;
  details?: ActivityDetails;
  status: 'recorded' | 'corrected' | 'withdrawn';
  corrections: string[];
  withdrawalReason?: string;
  position: string;
}

const ACTIVITY_TYPES = new Set([
  'CommitmentActivityRecorded',
  'CommitmentActivityCorrected',
  'CommitmentActivityWithdrawn',
]);

const commitmentTimelineRaw: RawProjection = {
  name: 'commitment-timeline',
  columns: `global_position, stream_id, type,
    case when starts_with(stream_id, 'citizen-promise-') then data end as data`,
  async write(tx, rows, schema) {
    const documents = new Map<string, LogRow[]>();
    const activities = new Map<string, RawActivity>();
    for (const row of rows) {
      if (!row.stream_id.startsWith('citizen-promise-')) continue;
      const promiseId = row.stream_id.slice('citizen-promise-'.length);
      if (!ACTIVITY_TYPES.has(row.type)) {
        const list = documents.get(promiseId) ?? [];
        list.push(row);
        documents.set(promiseId, list);
        continue;
      }
      const { activityId } = row.data as { activityId: string };
      const key = `${promiseId}\u0000${activityId}`;
      const before = activities.get(key) ?? { promiseId, activityId, corrections: [] };
      if (row.type === 'CommitmentActivityRecorded') {
        const {
          activityId: _,
          commitmentId,
          ...details
        } = row.data as unknown as CommitmentActivityRecorded['data'];
        activities.set(key, {
          promiseId,
          activityId,
          recordedPosition: row.global_position,
          commitmentId,
          details,
          status: 'recorded',
          corrections: [],
          position: row.global_position,
        });
      } else if (row.type === 'CommitmentActivityCorrected') {
        const {
          activityId: _,
          reason,
          ...details
        } = row.data as unknown as CommitmentActivityCorrected['data'];
        activities.set(key, {
          ...before,
          details,
          status: 'corrected',
          corrections: [...before.corrections, reason],
          position: row.global_position,
        });
      } else {
        const { reason } = row.data as unknown as CommitmentActivityWithdrawn['data'];
        activities.set(key, {
          ...before,
          status: 'withdrawn',
          withdrawalReason: reason,
          position: row.global_position,
        });
      }
    }
    if (documents.size > 0) await writeDocuments(tx, schema, documents);
    const all = [...activities.values()];
    const added = all.filter((a) => a.recordedPosition !== undefined);
    const changed = all.filter((a) => a.recordedPosition === undefined);
    if (added.length > 0) {
      await tx.query(
        `insert into ${schema}.commitment_activities (promise_id, activity_id, commitment_id,
           kind, activity_date, place_ids, agencies_present, outcome, figures, status, corrections,
           withdrawal_reason, recorded_position, last_position)
         select pid, aid, cid, kind, day, array(select jsonb_array_elements_text(place_ids)),
                array(select jsonb_array_elements_text(agencies)), outcome, figures, status,
                array(select jsonb_array_elements_text(corrections)), wr, recorded, pos
           from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::jsonb[],
                $7::jsonb[], $8::text[], $9::jsonb[], $10::text[], $11::jsonb[], $12::text[],
                $13::bigint[], $14::bigint[])
             as u(pid, aid, cid, kind, day, place_ids, agencies, outcome, figures, status,
                  corrections, wr, recorded, pos)`,
        [
          added.map((a) => a.promiseId),
          added.map((a) => a.activityId),
          added.map((a) => a.commitmentId),
          added.map((a) => a.details!.kind),
          added.map((a) => a.details!.date),
          added.map((a) => JSON.stringify(a.details!.placeIds)),
          added.map((a) => JSON.stringify(a.details!.agenciesPresent)),
          added.map((a) => a.details!.outcome),
          added.map((a) => JSON.stringify(a.details!.figures)),
          added.map((a) => a.status),
          added.map((a) => JSON.stringify(a.corrections)),
          added.map((a) => a.withdrawalReason ?? null),
          added.map((a) => a.recordedPosition),
          added.map((a) => a.position),
        ],
      );
    }
    if (changed.length > 0) {
      await tx.query(
        `update ${schema}.commitment_activities a set
           kind = coalesce(u.kind, a.kind), activity_date = coalesce(u.day, a.activity_date),
           place_ids = case when u.place_ids is null then a.place_ids
             else array(select jsonb_array_elements_text(u.place_ids)) end,
           agencies_present = case when u.agencies is null then a.agencies_present
             else array(select jsonb_array_elements_text(u.agencies)) end,
           outcome = coalesce(u.outcome, a.outcome), figures = coalesce(u.figures, a.figures),
           status = u.status,
           corrections = a.corrections || array(select jsonb_array_elements_text(u.corrections)),
           withdrawal_reason = coalesce(u.wr, a.withdrawal_reason), last_position = u.pos
           from unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::jsonb[], $6::jsonb[],
                $7::text[], $8::jsonb[], $9::text[], $10::jsonb[], $11::text[], $12::bigint[])
             as u(pid, aid, kind, day, place_ids, agencies, outcome, figures, status, corrections,
                  wr, pos)
          where a.promise_id = u.pid and a.activity_id = u.aid`,
        [
          changed.map((a) => a.promiseId),
          changed.map((a) => a.activityId),
          changed.map((a) => a.details?.kind ?? null),
          changed.map((a) => a.details?.date ?? null),
          changed.map((a) => (a.details ? JSON.stringify(a.details.placeIds) : null)),
          changed.map((a) => (a.details ? JSON.stringify(a.details.agenciesPresent) : null)),
          changed.map((a) => a.details?.outcome ?? null),
          changed.map((a) => (a.details ? JSON.stringify(a.details.figures) : null)),
          changed.map((a) => a.status),
          changed.map((a) => JSON.stringify(a.corrections)),
          changed.map((a) => a.withdrawalReason ?? null),
          changed.map((a) => a.position),
        ],
      );
    }
  },
};

/** Promise documents: read the few touched, evolve them with the domain's function, upsert. */
async function writeDocuments(
  tx: PoolClient,
  schema: string,
  byPromise: Map<string, LogRow[]>,
): Promise<void> {
  const { rows } = await tx.query<{ promise_id: string; document: PromiseDocument }>(
    `select promise_id, document from ${schema}.promises where promise_id = any($1::text[])`,
    [[...byPromise.keys()]],
  );
  const stored = new Map(rows.map((r) => [r.promise_id, r.document]));
  const out: { id: string; document: PromiseDocument; position: string }[] = [];
  for (const [id, events] of byPromise) {
    let document = stored.get(id);
    for (const e of events) {
      document = evolvePromiseDocument(document, {
        type: e.type,
        data: e.data,
      } as unknown as CitizenPromiseEvent);
    }
    if (document) out.push({ id, document, position: events[events.length - 1]!.global_position });
  }
  if (out.length === 0) return;
  await tx.query(
    `insert into ${schema}.promises (promise_id, document, last_position)
     select * from unnest($1::text[], $2::jsonb[], $3::bigint[])
     on conflict (promise_id) do update
       set document = excluded.document, last_position = excluded.last_position`,
    [out.map((o) => o.id), out.map((o) => JSON.stringify(o.document)), out.map((o) => o.position)],
  );
}

const RAW_PROJECTIONS = new Map<string, RawProjection>(
  [auditTrailRaw, situationPictureRaw, commitmentTimelineRaw].map((r) => [r.name, r]),
);

function rawOf(projection: Projection): RawProjection {
  const raw = RAW_PROJECTIONS.get(projection.name);
  if (!raw) throw new Error(`The raw baseline has no counterpart of '${projection.name}'`);
  return raw;
}

/** One read model by hand: a fresh schema, then page by page, one transaction per page. */
async function rawRebuildOne(pool: Pool, projection: Projection): Promise<void> {
  const raw = rawOf(projection);
  const schema = rawSchema(projection);
  await pool.query(`drop schema if exists ${schema} cascade`);
  await pool.query(`create schema ${schema}`);
  for (const ddl of projection.createTables(schema)) await pool.query(ddl);
  await pool.query(
    `insert into ${RAW_SCHEMA_PREFIX}checkpoints (name, position) values ($1, 0)
     on conflict (name) do update set position = 0`,
    [raw.name],
  );
  let position = '0';
  for (;;) {
    const { rows } = await pool.query<LogRow>({
      name: `bench_raw_read_${schema}`,
      // A hand-written projection reads only the event types it folds, as the project's do.
      text: `select ${raw.columns} from event_store.events
              where global_position > $1 and ($3::text[] is null or type = any($3::text[]))
              order by global_position limit $2`,
      values: [position, BATCH_SIZE, projection.eventTypes ? [...projection.eventTypes] : null],
    });
    if (rows.length === 0) return;
    const to = rows[rows.length - 1]!.global_position;
    const tx = await pool.connect();
    try {
      await tx.query('begin');
      await raw.write(tx, rows, schema);
      await tx.query(`update ${RAW_SCHEMA_PREFIX}checkpoints set position = $2 where name = $1`, [
        raw.name,
        to,
      ]);
      await tx.query('commit');
    } catch (error) {
      await tx.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      tx.release();
    }
    position = to;
  }
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

/** Drops and recreates the benchmark's own database (never one of another name). */
async function freshDatabase(): Promise<string> {
  const url = await benchDatabaseUrl(DATABASE);
  const name = new URL(url).pathname.replace(/^\//, '');
  if (!name.startsWith('samverkan_bench')) {
    throw new Error(
      `This benchmark drops and recreates its database; '${name}' does not look like a benchmark database (samverkan_bench*). Set BENCH_DATABASE_URL.`,
    );
  }
  const server = new URL(url);
  server.pathname = '/postgres';
  const admin = new Client({ connectionString: server.toString() });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  return url;
}

/** Rows per table of the project's active table sets and of the raw ones; equal or it throws. */
async function compareTables(pool: Pool, out: Sink): Promise<void> {
  const problems: string[] = [];
  let tables = 0;
  let rows = 0;
  for (const projection of ALL_PROJECTIONS) {
    const { rows: live } = await pool.query<{ table_set: string }>(
      'select table_set from projections.checkpoints where name = $1',
      [projection.name],
    );
    const projectSet = live[0]?.table_set;
    if (!projectSet) throw new Error(`No active table set for ${projection.name}`);
    const rawSet = rawSchema(projection);
    for (const table of projection.tables) {
      const a = `"${projectSet}"."${table}"`;
      const b = `${rawSet}."${table}"`;
      const { rows: found } = await pool.query<{
        project: string;
        raw: string;
        only_project: string;
        only_raw: string;
      }>(
        `select (select count(*) from ${a}) as project, (select count(*) from ${b}) as raw,
                (select count(*) from (select * from ${a} except all select * from ${b}) x)
                  as only_project,
                (select count(*) from (select * from ${b} except all select * from ${a}) x)
                  as only_raw`,
      );
      const c = found[0]!;
      tables++;
      rows += Number(c.project);
      if (c.project !== c.raw) {
        problems.push(`${table}: ${c.project} rows in ${projectSet}, ${c.raw} in ${rawSet}`);
      } else if (c.only_project !== '0' || c.only_raw !== '0') {
        problems.push(
          `${table}: ${c.only_project} rows only in ${projectSet}, ${c.only_raw} only in ${rawSet}`,
        );
      }
    }
  }
  if (problems.length > 0) {
    throw new Error(`The project and the raw baseline disagree:\n  ${problems.join('\n  ')}`);
  }
  out.line(`rows: ${tables} tables, ${count(rows)} rows, equal between the project and raw`);
}

export async function projectionsBench(out: Sink): Promise<void> {
  const url = await freshDatabase();
  const config: EventStoreConfig = { adapter: 'postgres', connectionString: url, poolSize: 10 };
  // The runner logs each switch-over; the bench prints its own lines.
  Logger.overrideLogger(['error', 'warn']);
  const store = await createEventStore(config);
  await store.start();
  const dataSource: DataSource = createReadModelDataSource(config, store, [], readModelMigrations);
  await dataSource.initialize();
  await dataSource.runMigrations();
  const runner = new ProjectionRunner(store, dataSource, 'postgres', BATCH_SIZE);
  const pool = new Pool({ connectionString: url, max: 4, application_name: 'bench-raw' });
  try {
    await pool.query(
      `create table ${RAW_SCHEMA_PREFIX}checkpoints (name text primary key, position bigint not null)`,
    );
    const appended = await appendLog(store, EVENTS);
    await waitForFinal(store, appended.lastPosition, out);
    // A settled log, as a real one is: autovacuum's first pass would otherwise land in a round.
    await pool.query('vacuum analyze event_store.events');
    out.line(
      `log: ${count(EVENTS)} events in ${count(appended.appends)} appends by ${WRITERS} writers in ${appended.seconds.toFixed(1)} s (${formatRate(EVENTS / appended.seconds)} events/s)`,
    );
    out.line(
      `read models: ${ALL_PROJECTIONS.map((p) => p.name).join(', ')}; batch ${BATCH_SIZE}; each reads the whole log`,
    );
    out.line(
      `events/s: log events / seconds per read model, and log events x read models / seconds for all; best of ${ROUNDS} rounds, raw and project side by side`,
    );
    if (!(globalThis as { gc?: unknown }).gc) {
      out.line('(no global.gc: run with NODE_OPTIONS=--expose-gc to collect before measuring)');
    }

    // Memory first, back to back and after a collection each: the rebuild of every read model
    // over a quarter of the log, then over all of it. One that held what it read would show it.
    const part = Math.max(1, Math.round(EVENTS / 4));
    collectGarbage();
    const partPeak = await peakRss(async () => {
      for (const projection of ALL_PROJECTIONS) {
        await runner.rebuild(projection, { until: part });
        await runner.discardRebuild(projection);
      }
    });
    collectGarbage();
    out.line('  memory: rebuilding every read model over the whole log');
    const fullPeak = await peakRss(async () => {
      for (const projection of ALL_PROJECTIONS) await projectRebuild(runner, projection, out);
    });

    // Raw and project side by side per read model, their order alternating, so that drift in
    // the machine's load hits both alike; the best of the rounds counts for each.
    const seconds: Record<Variant, number[][]> = {
      raw: ALL_PROJECTIONS.map(() => []),
      project: ALL_PROJECTIONS.map(() => []),
    };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, projection] of ALL_PROJECTIONS.entries()) {
        const order = (round + i) % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
        for (const variant of order) {
          collectGarbage();
          const t0 = performance.now();
          if (variant === 'raw') await rawRebuildOne(pool, projection);
          else await projectRebuild(runner, projection, out);
          seconds[variant][i]!.push((performance.now() - t0) / 1000);
        }
        out.line(
          `  round ${round + 1} ${projection.name.padEnd(20)} ${VARIANTS.map((v) => `${v} ${seconds[v][i]!.at(-1)!.toFixed(2)} s`).join(', ')}`,
        );
      }
    }
    await compareTables(pool, out);

    const bestOf = (variant: Variant) => seconds[variant].map((runs) => Math.min(...runs));
    const rate = (events: number, s: number) => formatRate(events / s).padStart(COLUMN);
    const total = (variant: Variant) => bestOf(variant).reduce((a, b) => a + b, 0);
    out.line('');
    out.line(
      `events/s     ${ALL_PROJECTIONS.map((p) => p.name.padStart(COLUMN)).join('')}${'all'.padStart(COLUMN)}`,
    );
    for (const variant of VARIANTS) {
      out.line(
        `${variant.padEnd(13)}${bestOf(variant)
          .map((s) => rate(EVENTS, s))
          .join('')}${rate(EVENTS * ALL_PROJECTIONS.length, total(variant))}`,
      );
    }
    const rawBest = bestOf('raw');
    out.line(
      `${'project/raw'.padEnd(13)}${bestOf('project')
        .map((s, i) => (rawBest[i]! / s).toFixed(2).padStart(COLUMN))
        .join('')}${(total('raw') / total('project')).toFixed(2).padStart(COLUMN)}`,
    );
    out.line(
      `peak RSS during rebuild: ${count(part)} events ${megabytes(partPeak)}, ${count(EVENTS)} events ${megabytes(fullPeak)}`,
    );
    out.line(`projection ratio (project/raw): ${(total('raw') / total('project')).toFixed(2)}`);
  } finally {
    await runner.close();
    await pool.end();
    await dataSource.destroy();
    await store.close();
  }
}
