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
  readonly place: string;
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

export type CitizenPromiseEvent =
  | PromiseDrafted
  | PromiseSigned
  | PromiseRevised
  | FollowUpScheduled
  | FollowUpReported
  | CommitmentActivityRecorded
  | CommitmentActivityCorrected
  | CommitmentActivityWithdrawn;

export const CITIZEN_PROMISE_EVENT_TYPES: readonly CitizenPromiseEvent['type'][] = [
  'PromiseDrafted',
  'PromiseSigned',
  'PromiseRevised',
  'FollowUpScheduled',
  'FollowUpReported',
  'CommitmentActivityRecorded',
  'CommitmentActivityCorrected',
  'CommitmentActivityWithdrawn',
];

/** The stream of one promise, with its commitments and every activity under them. */
export const citizenPromiseStream = (promiseId: string): string => `citizen-promise-${promiseId}`;
