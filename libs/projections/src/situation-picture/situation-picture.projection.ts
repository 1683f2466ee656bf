import type { RecordedEvent } from '@samverkan/event-store/event-store.port';
import type { EntityManager } from 'typeorm';
import type { Projection } from '../projection';

interface ReportData {
  reportId?: string;
  area: string;
  place?: string;
  problemArea: string;
  period: { from: string; to: string };
  trend: string;
  severity: string;
  description: string;
  source: string;
  sensitivity: string;
  sharedWith: string[];
  reportingAgency?: string;
}

const REPORT_STREAM = 'situation-report-';

/**
 * The shared situation picture: each report as it stands now (a correction restates it, a
 * retraction marks it) and the pictures confirmed at partnership meetings. Each row keeps the
 * position of the last event applied, so replaying older events never overwrites newer state.
 */
export const situationPictureProjection: Projection = {
  name: 'situation-picture',
  async apply(events: readonly RecordedEvent[], tx: EntityManager): Promise<void> {
    for (const event of events) {
      const reportId = event.streamId.startsWith(REPORT_STREAM)
        ? event.streamId.slice(REPORT_STREAM.length)
        : undefined;
      switch (event.type) {
        case 'SituationReported':
        case 'SituationReportCorrected': {
          const d = event.data as unknown as ReportData;
          await tx.query(
            `insert into projections.situation_reports as r (report_id, area, place, problem_area,
               period_from, period_to, trend, severity, description, source, sensitivity,
               shared_with, reporting_agency, status, reported_at, last_position)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'reported', $14, $15)
             on conflict (report_id) do update set
               area = excluded.area, place = excluded.place, problem_area = excluded.problem_area,
               period_from = excluded.period_from, period_to = excluded.period_to,
               trend = excluded.trend, severity = excluded.severity,
               description = excluded.description, source = excluded.source,
               sensitivity = excluded.sensitivity, shared_with = excluded.shared_with,
               last_position = excluded.last_position
             where r.last_position < excluded.last_position`,
            [
              reportId,
              d.area,
              d.place ?? null,
              d.problemArea,
              d.period.from,
              d.period.to,
              d.trend,
              d.severity,
              d.description,
              d.source,
              d.sensitivity,
              d.sharedWith,
              d.reportingAgency ?? event.actor.agency,
              event.recordedAt.toISOString(),
              event.globalPosition,
            ],
          );
          break;
        }
        case 'SituationReportRetracted':
          await tx.query(
            `update projections.situation_reports set status = 'retracted', last_position = $2
              where report_id = $1 and last_position < $2`,
            [reportId, event.globalPosition],
          );
          break;
        case 'SituationPictureConfirmed': {
          const d = event.data as unknown as {
            confirmationId: string;
            meetingOn: string;
            period: { from: string; to: string };
            reportIds: string[];
            summary: string;
          };
          await tx.query(
            `insert into projections.situation_picture_confirmations
               (confirmation_id, meeting_on, period_from, period_to, report_ids, summary)
             values ($1, $2, $3, $4, $5, $6) on conflict (confirmation_id) do nothing`,
            [d.confirmationId, d.meetingOn, d.period.from, d.period.to, d.reportIds, d.summary],
          );
          break;
        }
        default:
          break;
      }
    }
  },
};
