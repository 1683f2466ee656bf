import type { AgencyCode, Role } from '../agencies/agencies';
import type { LocalDate } from '../calendar';
import type { CreditEvent } from '../citizen-promise/citizen-promise.events';
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

/**
 * The legal ground a talk rests on, stated when it is planned. Without consent or a legal
 * ground the partners may not discuss the individual (OSL), so every talk names one:
 * - `consent` (samtycke, 12 kap. 2 § OSL): the guardians consent, and from 15 the young person
 *   too; nothing is recorded about the talk without a consent in force.
 * - `osl-10-18a` (10 kap. 18 a § OSL): social services and the police may share what can help
 *   prevent a person under 21 from committing crime; only those two take part, and no consent
 *   is needed.
 */
export type LegalGround =
  | { readonly basis: 'consent' }
  | {
      readonly basis: 'osl-10-18a';
      /**
       * Always true in the log (a plan stating otherwise is refused). Kept all the same: the log
       * is the audit trail, and it should show that the planner affirmed each condition of the
       * provision, not leave a reviewer to infer it from the code of the day.
       */
      readonly subjectUnder21: true;
      /** Why sharing can help prevent the young person from committing crime. */
      readonly preventivePurpose: string;
    };

export type LegalBasis = LegalGround['basis'];

/**
 * The ground as the read-access log and the read view name it: the statute, so that a data
 * protection officer sees on what ground each read rested without knowing the codes.
 */
export const LEGAL_GROUND_TEXT: Readonly<Record<LegalBasis, string>> = {
  consent: 'samtycke (OSL 12 kap. 2 §)',
  'osl-10-18a': 'OSL 10 kap. 18 a §',
};

/**
 * A joint talk about one young person is planned: who takes part, why, and on what legal
 * ground. Schema version 2; version 1 had no `legalGround` (every talk then rested on consent,
 * and is read so: see prevention-talks.upcasts.ts).
 */
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
    readonly legalGround: LegalGround;
  }
>;

/**
 * Who takes part, changed before the talk is held (someone falls ill, the school turns out to
 * be needed): the whole new list, with the reason. From then on the new list decides who acts
 * on and reads the talk.
 */
export type PreventionTalkParticipantsChanged = DomainEvent<
  'PreventionTalkParticipantsChanged',
  { readonly participants: readonly Participant[]; readonly reason: string }
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
  | PreventionTalkParticipantsChanged
  | ConsentRecorded
  | ConsentWithdrawn
  | PreventionTalkHeld
  | PreventionTalkFollowedUp
  /** A held talk credited to a commitment of a promise (joint prevention talks). */
  | CreditEvent;

export const PREVENTION_TALK_EVENT_TYPES: readonly PreventionTalkEvent['type'][] = [
  'PreventionTalkPlanned',
  'PreventionTalkParticipantsChanged',
  'ConsentRecorded',
  'ConsentWithdrawn',
  'PreventionTalkHeld',
  'PreventionTalkFollowedUp',
  'CommitmentCredited',
  'CommitmentCreditWithdrawn',
];

/** The stream of one talk about one young person: its consent, the talk and its follow-up. */
export const preventionTalkStream = (talkId: string): string => `prevention-talk-${talkId}`;
