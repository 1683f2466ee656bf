import type { PromiseFacts } from '../citizen-promise/commitment-credits';
import type { Issued } from '../actor';
import type { LocalDate } from '../calendar';
import type { AgreedFollowUp, ConsentGiver, Participant } from './prevention-talks.events';

/**
 * The ground as the planner states it. Under 10 kap. 18 a § OSL the planner states each
 * condition of the provision; the decider refuses a plan where one does not hold.
 */
export type StatedLegalGround =
  | { readonly basis: 'consent' }
  | {
      readonly basis: 'osl-10-18a';
      readonly subjectUnder21: boolean;
      readonly preventivePurpose: string;
    };

export interface PlanPreventionTalk extends Issued {
  readonly type: 'PlanPreventionTalk';
  readonly talkId: string;
  readonly subjectRef: string;
  readonly plannedFor: LocalDate;
  readonly participants: readonly Participant[];
  readonly purpose: string;
  readonly legalGround: StatedLegalGround;
}

/** Changes who takes part before the talk is held; the new list replaces the old one. */
export interface ChangeTalkParticipants extends Issued {
  readonly type: 'ChangeTalkParticipants';
  readonly participants: readonly Participant[];
  readonly reason: string;
}

export interface RecordConsent extends Issued {
  readonly type: 'RecordConsent';
  readonly consentId: string;
  readonly recordedOn: LocalDate;
  readonly givenBy: readonly ConsentGiver[];
  readonly subjectAged15OrOver: boolean;
  readonly scope: string;
}

export interface WithdrawConsent extends Issued {
  readonly type: 'WithdrawConsent';
  readonly withdrawnOn: LocalDate;
  readonly reason: string;
}

export interface RecordTalkHeld extends Issued {
  readonly type: 'RecordTalkHeld';
  readonly heldOn: LocalDate;
  readonly participants: readonly Participant[];
  readonly guardiansPresent: boolean;
  readonly outcome: string;
  readonly agreedFollowUp: readonly AgreedFollowUp[];
}

export interface FollowUpTalk extends Issued {
  readonly type: 'FollowUpTalk';
  readonly followedUpOn: LocalDate;
  readonly notes: string;
  readonly closed: boolean;
}

/**
 * Credits the held talk to a commitment of a promise. The credit stays in the talk's stream, so
 * only the talk's participants read it; the promise's views count it without date or place.
 */
export interface CreditTalk extends Issued {
  readonly type: 'CreditTalk';
  readonly promiseId: string;
  readonly commitmentId: string;
  readonly promise: PromiseFacts;
}

export interface WithdrawTalkCredit extends Issued {
  readonly type: 'WithdrawTalkCredit';
  readonly promiseId: string;
  readonly commitmentId: string;
  readonly promise: PromiseFacts;
  readonly reason: string;
}

export type PreventionTalkCommand =
  | PlanPreventionTalk
  | ChangeTalkParticipants
  | RecordConsent
  | WithdrawConsent
  | RecordTalkHeld
  | FollowUpTalk
  | CreditTalk
  | WithdrawTalkCredit;
