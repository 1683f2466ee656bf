import type { Issued } from '../actor';
import type { LocalDate, Period } from '../calendar';
import type {
  ActivityDetails,
  Commitment,
  FollowUpScheduled,
  ProblemArea,
  Signatory,
} from './citizen-promise.events';

export interface DraftPromise extends Issued {
  readonly type: 'DraftPromise';
  readonly promiseId: string;
  readonly title: string;
  readonly municipality: string;
  readonly policeArea: string;
  readonly period: Period;
  readonly origin: string;
  readonly problemAreas: readonly ProblemArea[];
  readonly focus: string;
  readonly commitments: readonly Commitment[];
  readonly signatories: readonly Signatory[];
}

export interface SignPromise extends Issued {
  readonly type: 'SignPromise';
  readonly signatoryId: string;
  readonly signedOn: LocalDate;
}

export interface RevisePromise extends Issued {
  readonly type: 'RevisePromise';
  readonly revisedOn: LocalDate;
  readonly reason: string;
  readonly addedCommitments: readonly Commitment[];
  readonly withdrawnCommitmentIds: readonly string[];
  readonly focus?: string;
}

export interface ScheduleFollowUp extends Issued {
  readonly type: 'ScheduleFollowUp';
  readonly followUpId: string;
  readonly recipient: FollowUpScheduled['data']['recipient'];
  readonly due: Period;
}

export interface ReportFollowUp extends Issued {
  readonly type: 'ReportFollowUp';
  readonly followUpId: string;
  readonly reportedOn: LocalDate;
  readonly summary: string;
  readonly proposals: string;
}

export interface RecordActivity extends Issued, ActivityDetails {
  readonly type: 'RecordActivity';
  readonly activityId: string;
  readonly commitmentId: string;
}

export interface CorrectActivity extends Issued, ActivityDetails {
  readonly type: 'CorrectActivity';
  readonly activityId: string;
  readonly reason: string;
}

export interface WithdrawActivity extends Issued {
  readonly type: 'WithdrawActivity';
  readonly activityId: string;
  readonly reason: string;
}

/** Credits an activity to a second commitment of the same promise that it also fulfils. */
export interface CreditActivity extends Issued {
  readonly type: 'CreditActivity';
  readonly activityId: string;
  readonly commitmentId: string;
}

export interface WithdrawActivityCredit extends Issued {
  readonly type: 'WithdrawActivityCredit';
  readonly activityId: string;
  readonly commitmentId: string;
  readonly reason: string;
}

export type CitizenPromiseCommand =
  | DraftPromise
  | SignPromise
  | RevisePromise
  | ScheduleFollowUp
  | ReportFollowUp
  | RecordActivity
  | CorrectActivity
  | WithdrawActivity
  | CreditActivity
  | WithdrawActivityCredit;
