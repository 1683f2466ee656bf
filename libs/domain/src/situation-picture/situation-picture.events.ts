import type { AgencyCode } from '../agencies/agencies';
import type { LocalDate, Period } from '../calendar';
import type { CreditEvent } from '../citizen-promise/citizen-promise.events';
import type { DomainEvent } from '../decider';

export type Trend = 'rising' | 'stable' | 'falling';
export type Severity = 'low' | 'medium' | 'high';

/** How the reporter knows: the EST checklist's incident reports, statistics, dialogues... */
export type ReportSource =
  'own-observation' | 'citizen-dialogue' | 'statistics' | 'incident-reports';

/**
 * Who may read a report: `open` is shared with the whole partnership, `restricted` only with the
 * reporting agency and the agencies it names in `sharedWith` (the access policy reads both).
 */
export type Sensitivity = 'open' | 'restricted';

/** What a report says; a correction restates all of it, so the latest event is the report. */
export interface SituationReportDetails {
  /**
   * Places of the partnership's register the observation is about (one or more): an area such
   * as Skoghall centrum, or a place in one such as Lillängshamnen. The picture groups reports by
   * the area each place lies in.
   */
  readonly placeIds: readonly string[];
  /** Only on reports recorded before the register: a free-text place that matched nothing. */
  readonly unresolvedPlace?: string;
  /** A code from the shared list of problem areas, e.g. `vandalism-burglary`. */
  readonly problemArea: string;
  /** The days the observation covers. */
  readonly period: Period;
  readonly trend: Trend;
  readonly severity: Severity;
  readonly description: string;
  readonly source: ReportSource;
  readonly sensitivity: Sensitivity;
  /** Agencies besides the reporter that may read a restricted report; empty for an open one. */
  readonly sharedWith: readonly AgencyCode[];
}

export type SituationReported = DomainEvent<
  'SituationReported',
  {
    readonly reportId: string;
    readonly reportingAgency: AgencyCode;
  } & SituationReportDetails
>;

/**
 * A correction replaces the report's fields; the earlier ones stay in the log. When the earlier
 * text held personal data (`redactsEarlierText`), the keys of the earlier versions' text are
 * destroyed as well: every view of the past, `asOf` too, then shows it as redacted.
 */
export type SituationReportCorrected = DomainEvent<
  'SituationReportCorrected',
  { readonly reason: string; readonly redactsEarlierText?: true } & SituationReportDetails
>;

/** A retracted report is no longer part of the picture and never changes again. */
export type SituationReportRetracted = DomainEvent<
  'SituationReportRetracted',
  { readonly reason: string }
>;

export type SituationReportEvent =
  SituationReported | SituationReportCorrected | SituationReportRetracted;

export const SITUATION_REPORT_EVENT_TYPES: readonly SituationReportEvent['type'][] = [
  'SituationReported',
  'SituationReportCorrected',
  'SituationReportRetracted',
];

/** The stream of one agency's report about one area and problem area over a period. */
export const situationReportStream = (reportId: string): string => `situation-report-${reportId}`;

/**
 * The partnership meeting's consolidated picture for a period: what "we knew at the meeting".
 * It names the reports it rests on, so later corrections do not rewrite what was known then.
 */
export type SituationPictureConfirmed = DomainEvent<
  'SituationPictureConfirmed',
  {
    readonly confirmationId: string;
    readonly meetingOn: LocalDate;
    readonly period: Period;
    readonly reportIds: readonly string[];
    readonly summary: string;
  }
>;

/** A confirmed picture credited to the commitments of a promise it fulfils (lägesbild). */
export type SituationPictureEvent = SituationPictureConfirmed | CreditEvent;

export const SITUATION_PICTURE_EVENT_TYPES: readonly SituationPictureEvent['type'][] = [
  'SituationPictureConfirmed',
  'CommitmentCredited',
  'CommitmentCreditWithdrawn',
];

/** One stream per partnership holds every confirmed picture, so periods are checked together. */
export const situationPictureStream = (partnershipId: string): string =>
  `situation-picture-${partnershipId}`;
