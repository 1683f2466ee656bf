import type { Issued } from '../actor';
import type { LocalDate, Period } from '../calendar';
import type { PromiseFacts } from '../citizen-promise/commitment-credits';
import type { SituationReportDetails } from './situation-picture.events';

/** The reporting agency is the issuer's: an agency reports only for itself. */
export interface ReportSituation extends Issued, SituationReportDetails {
  readonly type: 'ReportSituation';
  readonly reportId: string;
}

export interface CorrectSituationReport extends Issued, SituationReportDetails {
  readonly type: 'CorrectSituationReport';
  readonly reason: string;
  /** The earlier text held personal data: redact it (its keys are destroyed). */
  readonly redactsEarlierText?: boolean;
}

export interface RetractSituationReport extends Issued {
  readonly type: 'RetractSituationReport';
  readonly reason: string;
}

export type SituationReportCommand =
  ReportSituation | CorrectSituationReport | RetractSituationReport;

/** What the command handler read from a report's stream when the picture was confirmed. */
export interface ReportStatus {
  readonly reportId: string;
  readonly status: 'reported' | 'retracted' | 'none';
}

export interface ConfirmSituationPicture extends Issued {
  readonly type: 'ConfirmSituationPicture';
  readonly confirmationId: string;
  readonly meetingOn: LocalDate;
  readonly period: Period;
  readonly reportIds: readonly string[];
  readonly summary: string;
  /**
   * The status of each named report, filled in by the command handler from the report streams
   * so that the decider stays pure; it is not part of the event.
   */
  readonly reports: readonly ReportStatus[];
}

/** Credits a confirmed picture to a commitment of a promise (the promise as its stream stands). */
export interface CreditConfirmation extends Issued {
  readonly type: 'CreditConfirmation';
  readonly confirmationId: string;
  readonly promiseId: string;
  readonly commitmentId: string;
  readonly promise: PromiseFacts;
}

export interface WithdrawConfirmationCredit extends Issued {
  readonly type: 'WithdrawConfirmationCredit';
  readonly confirmationId: string;
  readonly promiseId: string;
  readonly commitmentId: string;
  readonly promise: PromiseFacts;
  readonly reason: string;
}

export type SituationPictureCommand =
  ConfirmSituationPicture | CreditConfirmation | WithdrawConfirmationCredit;
