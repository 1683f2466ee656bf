import type { AgencyCode } from '../agencies/agencies';
import type { LocalDate, Period } from '../calendar';
import type {
  SituationPictureEvent,
  SituationReportDetails,
  SituationReportEvent,
} from './situation-picture.events';

/** One report as it stands: the latest restatement of it, and whether it was retracted. */
export interface SituationReportView extends SituationReportDetails {
  readonly reportId: string;
  readonly reportingAgency: AgencyCode;
  readonly status: 'reported' | 'retracted';
  /** When it was first recorded, and when it last changed (a correction or retraction). */
  readonly reportedAt: Date;
  readonly changedAt: Date;
}

export interface ConfirmedSituationPicture {
  readonly confirmationId: string;
  readonly meetingOn: LocalDate;
  readonly period: Period;
  readonly reportIds: readonly string[];
  readonly summary: string;
}

/**
 * The shared situation picture as the whole partnership's data: every report and every picture
 * confirmed at a meeting, in a fixed order (reports by id, pictures by meeting day). The read
 * model holds the same; folding the log up to a position gives it as it stood then.
 */
export interface SituationPictureState {
  readonly reports: readonly SituationReportView[];
  readonly confirmations: readonly ConfirmedSituationPicture[];
}

export interface SituationPictureRecord {
  readonly streamId: string;
  readonly recordedAt: Date;
  readonly event: SituationReportEvent | SituationPictureEvent;
}

const REPORT_STREAM = 'situation-report-';

export function foldSituationPicture(
  records: Iterable<SituationPictureRecord>,
): SituationPictureState {
  const reports = new Map<string, SituationReportView>();
  const confirmations = new Map<string, ConfirmedSituationPicture>();
  for (const { streamId, recordedAt, event } of records) {
    const reportId = streamId.startsWith(REPORT_STREAM) ? streamId.slice(REPORT_STREAM.length) : '';
    const before = reports.get(reportId);
    switch (event.type) {
      case 'SituationReported': {
        const { reportId: id, reportingAgency, ...details } = event.data;
        reports.set(id, {
          reportId: id,
          reportingAgency,
          ...details,
          status: 'reported',
          reportedAt: recordedAt,
          changedAt: recordedAt,
        });
        break;
      }
      case 'SituationReportCorrected': {
        if (!before) break;
        const { reason: _reason, ...details } = event.data;
        // A correction restates the report: a place left unresolved before is no longer.
        const { unresolvedPlace: _unresolved, ...kept } = before;
        reports.set(reportId, { ...kept, ...details, changedAt: recordedAt });
        break;
      }
      case 'SituationReportRetracted':
        if (before)
          reports.set(reportId, { ...before, status: 'retracted', changedAt: recordedAt });
        break;
      case 'SituationPictureConfirmed':
        confirmations.set(event.data.confirmationId, { ...event.data });
        break;
      case 'CommitmentCredited':
      case 'CommitmentCreditWithdrawn':
        break;
    }
  }
  return orderedSituationPicture(reports.values(), confirmations.values());
}

/** The state's fixed order, whoever builds it. */
export function orderedSituationPicture(
  reports: Iterable<SituationReportView>,
  confirmations: Iterable<ConfirmedSituationPicture>,
): SituationPictureState {
  const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    reports: [...reports].sort((a, b) => byCode(a.reportId, b.reportId)),
    confirmations: [...confirmations].sort(
      (a, b) => byCode(a.meetingOn, b.meetingOn) || byCode(a.confirmationId, b.confirmationId),
    ),
  };
}
