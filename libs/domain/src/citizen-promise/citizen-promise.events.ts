import type { AgencyCode } from '../agencies/agencies';
import type { LocalDate, Period } from '../calendar';
import type { DomainEvent } from '../decider';

/** Who carries a commitment: the police, the municipality (with its administrations), or both. */
export type CommitmentOwner = 'police' | 'municipality' | 'joint';

/** How often a commitment is to be done, e.g. once a week: fulfilment is measured against it. */
export interface Cadence {
  readonly times: number;
  readonly per: 'week' | 'month' | 'quarter' | 'year';
}

export interface ProblemArea {
  /** 1 is the most pressing. */
  readonly rank: number;
  /** A code from the shared list, e.g. `alcohol-drug-crime`. */
  readonly code: string;
  readonly name: string;
}

export interface Commitment {
  readonly commitmentId: string;
  readonly owner: CommitmentOwner;
  readonly description: string;
  /** Ranks of the problem areas the commitment works on. */
  readonly problemAreaRanks: readonly number[];
  readonly cadence?: Cadence;
}

export interface Signatory {
  readonly signatoryId: string;
  readonly name: string;
  readonly title: string;
  readonly agency: AgencyCode;
}

/** Figures that fit the kind of activity: vehicles checked, breath tests, people reached... */
export type ActivityFigures = Readonly<Record<string, number>>;

export interface ActivityDetails {
  /** A code from the shared list of activity kinds, e.g. `traffic-control`. */
  readonly kind: string;
  readonly date: LocalDate;
  /** Places of the partnership's register where it was done (one or more). */
  readonly placeIds: readonly string[];
  /**
   * Only on activities recorded before the places register (schema version 1): their free-text
   * place when it matched no registered place. Shown as an unknown place, never dropped.
   */
  readonly unresolvedPlace?: string;
  readonly agenciesPresent: readonly AgencyCode[];
  readonly outcome: string;
  readonly figures: ActivityFigures;
}

export type PromiseDrafted = DomainEvent<
  'PromiseDrafted',
  {
    readonly promiseId: string;
    readonly title: string;
    readonly municipality: string;
    readonly policeArea: string;
    readonly period: Period;
    /** How the problem areas were found, e.g. citizen dialogues. */
    readonly origin: string;
    readonly problemAreas: readonly ProblemArea[];
    readonly focus: string;
    readonly commitments: readonly Commitment[];
    readonly signatories: readonly Signatory[];
    readonly draftedOn: LocalDate;
  }
>;

export type PromiseSigned = DomainEvent<
  'PromiseSigned',
  { readonly signatoryId: string; readonly signedOn: LocalDate }
>;

export type PromiseRevised = DomainEvent<
  'PromiseRevised',
  {
    readonly revisedOn: LocalDate;
    readonly reason: string;
    readonly addedCommitments: readonly Commitment[];
    readonly withdrawnCommitmentIds: readonly string[];
    /** The new focus, when the revision changes it. */
    readonly focus?: string;
  }
>;

export type FollowUpScheduled = DomainEvent<
  'FollowUpScheduled',
  {
    readonly followUpId: string;
    /** Who receives the follow-up report. */
    readonly recipient: 'municipal-board' | 'police-area-management';
    readonly due: Period;
  }
>;

export type FollowUpReported = DomainEvent<
  'FollowUpReported',
  {
    readonly followUpId: string;
    readonly reportedOn: LocalDate;
    readonly summary: string;
    readonly proposals: string;
  }
>;

export type CommitmentActivityRecorded = DomainEvent<
  'CommitmentActivityRecorded',
  { readonly activityId: string; readonly commitmentId: string } & ActivityDetails
>;

/** A correction replaces the activity's details; the earlier ones stay in the log. */
export type CommitmentActivityCorrected = DomainEvent<
  'CommitmentActivityCorrected',
  { readonly activityId: string; readonly reason: string } & ActivityDetails
>;

export type CommitmentActivityWithdrawn = DomainEvent<
  'CommitmentActivityWithdrawn',
  { readonly activityId: string; readonly reason: string }
>;

/**
 * Work done elsewhere that fulfils a commitment of a promise: a conducted safety walk, a held
 * prevention talk, a situation picture confirmed at a meeting, an activity recorded under
 * another commitment. A credit is an event of the work's own stream, so it travels and is read
 * with the work (a talk's credit only where the talk may go), and it counts on the day the work
 * was done. Partnerships enter work once; the promise's follow-up counts it where it belongs.
 */
export const WORK_KINDS = [
  'safety-walk',
  'prevention-talk',
  'situation-picture-confirmation',
  'activity',
] as const;
export type WorkKind = (typeof WORK_KINDS)[number];

/** Work whose content only its participants may read: shared views show it only as a count. */
export function isRestrictedWork(kind: WorkKind): boolean {
  return kind === 'prevention-talk';
}

/** What the promise's views need of the work, taken from the work's stream when credited. */
export interface CreditedWork {
  readonly kind: WorkKind;
  /** The walk, talk, confirmation or activity id, unique within its kind. */
  readonly workId: string;
  /** The day the work was done: the credit counts on it. */
  readonly doneOn: LocalDate;
  readonly placeIds: readonly string[];
}

export type CommitmentCredited = DomainEvent<
  'CommitmentCredited',
  { readonly promiseId: string; readonly commitmentId: string; readonly work: CreditedWork }
>;

export type CommitmentCreditWithdrawn = DomainEvent<
  'CommitmentCreditWithdrawn',
  {
    readonly promiseId: string;
    readonly commitmentId: string;
    readonly workId: string;
    readonly reason: string;
  }
>;

export type CreditEvent = CommitmentCredited | CommitmentCreditWithdrawn;

export const CREDIT_EVENT_TYPES: readonly CreditEvent['type'][] = [
  'CommitmentCredited',
  'CommitmentCreditWithdrawn',
];

export type CitizenPromiseEvent =
  | PromiseDrafted
  | PromiseSigned
  | PromiseRevised
  | FollowUpScheduled
  | FollowUpReported
  | CommitmentActivityRecorded
  | CommitmentActivityCorrected
  | CommitmentActivityWithdrawn
  /** An activity credited to a second commitment it also fulfils. */
  | CreditEvent;

export const CITIZEN_PROMISE_EVENT_TYPES: readonly CitizenPromiseEvent['type'][] = [
  'PromiseDrafted',
  'PromiseSigned',
  'PromiseRevised',
  'FollowUpScheduled',
  'FollowUpReported',
  'CommitmentActivityRecorded',
  'CommitmentActivityCorrected',
  'CommitmentActivityWithdrawn',
  'CommitmentCredited',
  'CommitmentCreditWithdrawn',
];

/** The stream of one promise, with its commitments and every activity under them. */
export const citizenPromiseStream = (promiseId: string): string => `citizen-promise-${promiseId}`;
