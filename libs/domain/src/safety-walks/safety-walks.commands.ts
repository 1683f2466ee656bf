import type { Issued } from '../actor';
import type { AgencyCode } from '../agencies/agencies';
import type { LocalDate } from '../calendar';
import type { Finding } from './safety-walks.events';

export interface PlanSafetyWalk extends Issued {
  readonly type: 'PlanSafetyWalk';
  readonly walkId: string;
  readonly area: string;
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
  PlanSafetyWalk | ConductSafetyWalk | ReassignFinding | AddressFinding;
