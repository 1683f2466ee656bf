import type { Issued } from '../actor';
import type { AgencyCode } from '../agencies/agencies';
import type { LocalDate } from '../calendar';
import type { PromiseFacts } from '../citizen-promise/commitment-credits';
import type { Finding } from './safety-walks.events';

export interface PlanSafetyWalk extends Issued {
  readonly type: 'PlanSafetyWalk';
  readonly walkId: string;
  readonly areaId: string;
  readonly route: readonly string[];
  readonly plannedOn: LocalDate;
  readonly invitedParties: readonly AgencyCode[];
}

export interface ConductSafetyWalk extends Issued {
  readonly type: 'ConductSafetyWalk';
  readonly conductedOn: LocalDate;
  readonly participants: readonly AgencyCode[];
  readonly residentsTakingPart: number;
  readonly findings: readonly Finding[];
}

export interface ReassignFinding extends Issued {
  readonly type: 'ReassignFinding';
  readonly findingId: string;
  readonly responsibleParty: AgencyCode;
  readonly reason: string;
}

export interface AddressFinding extends Issued {
  readonly type: 'AddressFinding';
  readonly findingId: string;
  readonly addressedOn: LocalDate;
  readonly action: string;
}

export type SafetyWalkCommand =
  | PlanSafetyWalk
  | ConductSafetyWalk
  | ReassignFinding
  | AddressFinding
  | CreditWalk
  | WithdrawWalkCredit;

/** Credits the conducted walk to a commitment of a promise (the promise as its stream stands). */
export interface CreditWalk extends Issued {
  readonly type: 'CreditWalk';
  readonly promiseId: string;
  readonly commitmentId: string;
  readonly promise: PromiseFacts;
}

export interface WithdrawWalkCredit extends Issued {
  readonly type: 'WithdrawWalkCredit';
  readonly promiseId: string;
  readonly commitmentId: string;
  readonly promise: PromiseFacts;
  readonly reason: string;
}

export interface ReportFinding extends Issued, Finding {
  readonly type: 'ReportFinding';
  readonly reportedOn: LocalDate;
}

export type FindingCommand = ReportFinding | ReassignFinding | AddressFinding;
