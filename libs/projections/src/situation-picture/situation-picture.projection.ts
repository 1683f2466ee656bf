import type { AgencyCode } from '@samverkan/domain/agencies/agencies';
import {
  SITUATION_PICTURE_EVENT_TYPES,
  SITUATION_REPORT_EVENT_TYPES,
  type SituationPictureConfirmed,
  type SituationReportDetails,
  type SituationReported,
} from '@samverkan/domain/situation-picture/situation-picture.events';
import {
  orderedSituationPicture,
  type SituationPictureState,
  type SituationReportView,
} from '@samverkan/domain/situation-picture/situation-picture.view';
import type { RecordedEvent } from '@samverkan/event-store/event-store.port';
import type { EntityManager } from 'typeorm';
import type { Projection } from '../projection';
import { deleteRowsOfStreams, isPastRetention, retentionCutoffsFor } from '../retention';

const REPORT_STREAM = 'situation-report-';

/** What a batch does to one report: a whole restatement, or only a retraction. */
interface ReportChange {
  details?: SituationReportDetails;
  /** Known when the batch holds the report's first event. */
  reportingAgency?: string;
  reportedAt?: Date;
  status: 'reported' | 'retracted';
  changedAt: Date;
  position: number;
}

/**
 * The shared situation picture: each report as it stands now (a correction restates it, a
 * retraction marks it) and the pictures confirmed at partnership meetings. A batch is folded in
 * memory first, then written with one statement per kind of change. Each row keeps the position
 * of the last event applied, so a batch applied again changes nothing.
 */
export const situationPictureProjection: Projection = {
  name: 'situation-picture',
  version: 3,
  tables: ['situation_reports', 'situation_picture_confirmations'],
  eventTypes: [...SITUATION_REPORT_EVENT_TYPES, ...SITUATION_PICTURE_EVENT_TYPES],
  createTables: (schema) => [
    `create table ${schema}.situation_reports (
       report_id text primary key,
       place_ids text[] not null,
       -- A free-text place from before the places register that matched no place.
       unresolved_place text,
       problem_area text not null,
       period_from date not null,
       period_to date not null,
       trend text not null,
       severity text not null,
       description text not null,
       source text not null,
       sensitivity text not null,
       shared_with text[] not null,
       reporting_agency text not null,
       status text not null,
       reported_at timestamptz not null,
       changed_at timestamptz not null,
       -- The position of the last event applied: an older event never overwrites a newer one.
       last_position bigint not null
     )`,
    `create index on ${schema}.situation_reports (problem_area)`,
    `create table ${schema}.situation_picture_confirmations (
       confirmation_id text primary key,
       meeting_on date not null,
       period_from date not null,
       period_to date not null,
       report_ids text[] not null,
       summary text not null
     )`,
  ],
  async apply(events: readonly RecordedEvent[], tx: EntityManager, schema: string): Promise<void> {
    const changes = new Map<string, ReportChange>();
    const confirmed: SituationPictureConfirmed['data'][] = [];
    const cutoffs = await retentionCutoffsFor(tx, events);
    const gallrad = new Set<string>();
    for (const event of events) {
      const reportId = event.streamId.startsWith(REPORT_STREAM)
        ? event.streamId.slice(REPORT_STREAM.length)
        : '';
      if (isPastRetention(event, cutoffs)) {
        // A restricted statement past its retention period: the report's row goes as the
        // retention job clears it, and what comes later does not make it again (a correction
        // of a report without a row is none).
        changes.delete(reportId);
        gallrad.add(reportId);
        continue;
      }
      const before = changes.get(reportId);
      const at = { changedAt: event.recordedAt, position: event.globalPosition };
      switch (event.type) {
        case 'SituationReported': {
          const {
            reportId: _id,
            reportingAgency,
            ...details
          } = event.data as unknown as SituationReported['data'];
          changes.set(reportId, {
            details,
            reportingAgency,
            reportedAt: event.recordedAt,
            status: 'reported',
            ...at,
          });
          break;
        }
        case 'SituationReportCorrected': {
          const { reason: _reason, ...details } =
            event.data as unknown as SituationReportDetails & {
              reason: string;
            };
          changes.set(reportId, {
            ...before,
            details,
            status: before?.status ?? 'reported',
            ...at,
          });
          break;
        }
        case 'SituationReportRetracted':
          changes.set(reportId, { ...before, status: 'retracted', ...at });
          break;
        case 'SituationPictureConfirmed':
          confirmed.push(event.data as unknown as SituationPictureConfirmed['data']);
          break;
        default:
          break;
      }
    }
    // Before the writes below, which then find no row to correct or retract.
    await deleteRowsOfStreams(
      tx,
      `${schema}.situation_reports`,
      'report_id',
      REPORT_STREAM,
      [...gallrad].map((id) => REPORT_STREAM + id),
    );
    const restated = [...changes].filter(([, c]) => c.details);
    const retractedOnly = [...changes].filter(([, c]) => !c.details);
    if (restated.length > 0) {
      const col = <T>(pick: (c: ReportChange, id: string) => T) =>
        restated.map(([id, c]) => pick(c, id));
      // Arrays of arrays do not unnest row by row: shared_with travels as JSON.
      await tx.query(
        `insert into ${schema}.situation_reports as r (report_id, place_ids, unresolved_place,
           problem_area,
           period_from, period_to, trend, severity, description, source, sensitivity,
           shared_with, reporting_agency, status, reported_at, changed_at, last_position)
         select u.id, array(select jsonb_array_elements_text(u.place_ids)), u.unresolved,
                u.problem_area, u.pf, u.pt, u.trend, u.severity,
                u.description, u.source, u.sensitivity,
                array(select jsonb_array_elements_text(u.shared)),
                coalesce(u.agency, o.reporting_agency), u.status,
                coalesce(u.reported_at, o.reported_at), u.changed_at, u.pos
           from unnest($1::text[], $2::jsonb[], $3::text[], $4::text[], $5::date[], $6::date[],
                $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::jsonb[],
                $13::text[], $14::text[], $15::timestamptz[], $16::timestamptz[], $17::bigint[])
             as u(id, place_ids, unresolved, problem_area, pf, pt, trend, severity, description, source,
                  sensitivity, shared, agency, status, reported_at, changed_at, pos)
           -- NOT NULL is checked before the conflict: a correction alone carries the old values.
           left join ${schema}.situation_reports o on o.report_id = u.id
          -- A correction of a report never reported is no report (as in the domain's fold).
          where u.agency is not null or o.report_id is not null
         on conflict (report_id) do update set
           place_ids = excluded.place_ids, unresolved_place = excluded.unresolved_place,
           problem_area = excluded.problem_area,
           period_from = excluded.period_from, period_to = excluded.period_to,
           trend = excluded.trend, severity = excluded.severity,
           description = excluded.description, source = excluded.source,
           sensitivity = excluded.sensitivity, shared_with = excluded.shared_with,
           -- Retracted is for good: a correction in a later batch does not bring it back.
           status = case when r.status = 'retracted' then r.status else excluded.status end,
           changed_at = excluded.changed_at,
           last_position = excluded.last_position
         where r.last_position < excluded.last_position`,
        [
          col((_c, id) => id),
          col((c) => JSON.stringify(c.details!.placeIds)),
          col((c) => c.details!.unresolvedPlace ?? null),
          col((c) => c.details!.problemArea),
          col((c) => c.details!.period.from),
          col((c) => c.details!.period.to),
          col((c) => c.details!.trend),
          col((c) => c.details!.severity),
          col((c) => c.details!.description),
          col((c) => c.details!.source),
          col((c) => c.details!.sensitivity),
          col((c) => JSON.stringify(c.details!.sharedWith)),
          // A correction alone leaves who reported it and when as they are.
          col((c) => c.reportingAgency ?? null),
          col((c) => c.status),
          col((c) => c.reportedAt?.toISOString() ?? null),
          col((c) => c.changedAt.toISOString()),
          col((c) => c.position),
        ],
      );
    }
    if (retractedOnly.length > 0) {
      await tx.query(
        `update ${schema}.situation_reports r
            set status = 'retracted', changed_at = u.changed_at, last_position = u.pos
           from unnest($1::text[], $2::timestamptz[], $3::bigint[]) as u(id, changed_at, pos)
          where r.report_id = u.id and r.last_position < u.pos`,
        [
          retractedOnly.map(([id]) => id),
          retractedOnly.map(([, c]) => c.changedAt.toISOString()),
          retractedOnly.map(([, c]) => c.position),
        ],
      );
    }
    for (const d of confirmed) {
      await tx.query(
        `insert into ${schema}.situation_picture_confirmations
           (confirmation_id, meeting_on, period_from, period_to, report_ids, summary)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (confirmation_id) do update set meeting_on = excluded.meeting_on,
           period_from = excluded.period_from, period_to = excluded.period_to,
           report_ids = excluded.report_ids, summary = excluded.summary`,
        [d.confirmationId, d.meetingOn, d.period.from, d.period.to, d.reportIds, d.summary],
      );
    }
  },
  // A restricted report's row goes with the first of its statements whose period ends.
  retention: {
    retention: 'restricted-reports',
    streams: { streamPrefix: REPORT_STREAM, eventTypes: SITUATION_REPORT_EVENT_TYPES },
    clearExpired: (tx, schema, expired) =>
      deleteRowsOfStreams(
        tx,
        `${schema}.situation_reports`,
        'report_id',
        REPORT_STREAM,
        expired.streamIds,
      ),
  },
};

interface ReportRow {
  report_id: string;
  place_ids: string[];
  unresolved_place: string | null;
  problem_area: string;
  period_from: string;
  period_to: string;
  trend: SituationReportView['trend'];
  severity: SituationReportView['severity'];
  description: string;
  source: SituationReportView['source'];
  sensitivity: SituationReportView['sensitivity'];
  shared_with: AgencyCode[];
  reporting_agency: AgencyCode;
  status: SituationReportView['status'];
  reported_at: Date;
  changed_at: Date;
}

/** Anything that runs SQL: a data source, an entity manager. */
export interface Queryable {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

/** The situation picture from the read model (`schema` names a table set; readers use views). */
export async function readSituationPicture(
  db: Queryable,
  schema = 'projections',
): Promise<SituationPictureState> {
  const reports = await db.query<ReportRow[]>(
    `select report_id, place_ids, unresolved_place, problem_area, period_from::text, period_to::text, trend,
            severity, description, source, sensitivity, shared_with, reporting_agency, status,
            reported_at, changed_at
       from ${schema}.situation_reports`,
  );
  const confirmations = await db.query<
    {
      confirmation_id: string;
      meeting_on: string;
      period_from: string;
      period_to: string;
      report_ids: string[];
      summary: string;
    }[]
  >(
    `select confirmation_id, meeting_on::text, period_from::text, period_to::text, report_ids,
            summary
       from ${schema}.situation_picture_confirmations`,
  );
  return orderedSituationPicture(
    reports.map((r) => ({
      reportId: r.report_id,
      reportingAgency: r.reporting_agency,
      placeIds: r.place_ids,
      ...(r.unresolved_place === null ? {} : { unresolvedPlace: r.unresolved_place }),
      problemArea: r.problem_area,
      period: { from: r.period_from, to: r.period_to },
      trend: r.trend,
      severity: r.severity,
      description: r.description,
      source: r.source,
      sensitivity: r.sensitivity,
      sharedWith: r.shared_with,
      status: r.status,
      reportedAt: r.reported_at,
      changedAt: r.changed_at,
    })),
    confirmations.map((c) => ({
      confirmationId: c.confirmation_id,
      meetingOn: c.meeting_on,
      period: { from: c.period_from, to: c.period_to },
      reportIds: c.report_ids,
      summary: c.summary,
    })),
  );
}
