import type { Issued } from '../actor';
import type { LocalDate } from '../calendar';
import type { AgreedFollowUp, ConsentGiver, Participant } from './prevention-talks.events';

export interface PlanPreventionTalk extends Issued {
  readonly type: 'PlanPreventionTalk';
  readonly talkId: string;
  readonly subjectRef: string;
  readonly plannedFor: LocalDate;
  readonly participants: readonly Participant[];
  readonly purpose: string;
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

export type PreventionTalkCommand =
  PlanPreventionTalk | RecordConsent | WithdrawConsent | RecordTalkHeld | FollowUpTalk;
