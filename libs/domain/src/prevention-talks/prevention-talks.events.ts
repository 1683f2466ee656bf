import type { AgencyCode, Role } from '../agencies/agencies';
import type { LocalDate } from '../calendar';
import type { DomainEvent } from '../decider';

/** Who takes part in a talk: an agency and the role its person has there (OSL: by role). */
export interface Participant {
  readonly agency: AgencyCode;
  readonly role: Role;
}

/** Who signed a consent: the guardians always, the young person too from 15. */
export type ConsentGiver = 'guardian' | 'young-person';

/** What the talk agreed: who does what, by when. */
export interface AgreedFollowUp {
  readonly action: string;
  readonly responsibleAgency: AgencyCode;
  readonly dueOn: LocalDate;
}

export type PreventionTalkPlanned = DomainEvent<
  'PreventionTalkPlanned',
  {
    readonly talkId: string;
    /**
     * The pseudonymous reference social services created for the young person; the name and
     * personal identity number stay in social services' own record system.
     */
    readonly subjectRef: string;
    readonly plannedFor: LocalDate;
    readonly participants: readonly Participant[];
    readonly purpose: string;
  }
>;

/** Written consent to discuss the young person (12 kap. 2 § OSL), as the agency received it. */
export type ConsentRecorded = DomainEvent<
  'ConsentRecorded',
  {
    readonly consentId: string;
    readonly recordedOn: LocalDate;
    readonly givenBy: readonly ConsentGiver[];
    readonly subjectAged15OrOver: boolean;
    /** What the consent covers, e.g. which agencies may exchange what. */
    readonly scope: string;
  }
>;

/** Withdraws the consent in force; from then on the partners may not discuss the individual. */
export type ConsentWithdrawn = DomainEvent<
  'ConsentWithdrawn',
  { readonly withdrawnOn: LocalDate; readonly reason: string }
>;

export type PreventionTalkHeld = DomainEvent<
  'PreventionTalkHeld',
  {
    readonly heldOn: LocalDate;
    readonly participants: readonly Participant[];
    readonly guardiansPresent: boolean;
    readonly outcome: string;
    readonly agreedFollowUp: readonly AgreedFollowUp[];
  }
>;

export type PreventionTalkFollowedUp = DomainEvent<
  'PreventionTalkFollowedUp',
  {
    readonly followedUpOn: LocalDate;
    readonly notes: string;
    /** The last follow-up: the talk is closed and nothing more is recorded under it. */
    readonly closed: boolean;
  }
>;

export type PreventionTalkEvent =
  | PreventionTalkPlanned
  | ConsentRecorded
  | ConsentWithdrawn
  | PreventionTalkHeld
  | PreventionTalkFollowedUp;

export const PREVENTION_TALK_EVENT_TYPES: readonly PreventionTalkEvent['type'][] = [
  'PreventionTalkPlanned',
  'ConsentRecorded',
  'ConsentWithdrawn',
  'PreventionTalkHeld',
  'PreventionTalkFollowedUp',
];

/** The stream of one talk about one young person: its consent, the talk and its follow-up. */
export const preventionTalkStream = (talkId: string): string => `prevention-talk-${talkId}`;
