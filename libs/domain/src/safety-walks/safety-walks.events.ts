import type { AgencyCode } from '../agencies/agencies';
import type { LocalDate } from '../calendar';
import type { DomainEvent } from '../decider';

export type FindingKind =
  | 'poor-lighting'
  | 'overgrown-vegetation'
  | 'vandalism'
  | 'littering'
  | 'unsafe-crossing'
  | 'other';

/** Something on the route that made it feel unsafe, and who is to put it right. */
export interface Finding {
  readonly findingId: string;
  readonly place: string;
  readonly kind: FindingKind;
  readonly description: string;
  /** The agency that is to address it, e.g. the housing company for its courtyards. */
  readonly responsibleParty: AgencyCode;
}

export type SafetyWalkPlanned = DomainEvent<
  'SafetyWalkPlanned',
  {
    readonly walkId: string;
    readonly area: string;
    /** The places walked, in order, e.g. Skoghall centrum → Lillängshamnen. */
    readonly route: readonly string[];
    readonly plannedOn: LocalDate;
    readonly invitedParties: readonly AgencyCode[];
  }
>;

export type SafetyWalkConducted = DomainEvent<
  'SafetyWalkConducted',
  {
    readonly conductedOn: LocalDate;
    readonly participants: readonly AgencyCode[];
    /** Residents are counted, never named. */
    readonly residentsTakingPart: number;
    readonly findings: readonly Finding[];
  }
>;

export type FindingReassigned = DomainEvent<
  'FindingReassigned',
  { readonly findingId: string; readonly responsibleParty: AgencyCode; readonly reason: string }
>;

/** Closes the loop: the finding is put right, and those who walked can see what was done. */
export type FindingAddressed = DomainEvent<
  'FindingAddressed',
  { readonly findingId: string; readonly addressedOn: LocalDate; readonly action: string }
>;

export type SafetyWalkEvent =
  SafetyWalkPlanned | SafetyWalkConducted | FindingReassigned | FindingAddressed;

export const SAFETY_WALK_EVENT_TYPES: readonly SafetyWalkEvent['type'][] = [
  'SafetyWalkPlanned',
  'SafetyWalkConducted',
  'FindingReassigned',
  'FindingAddressed',
];

/** The stream of one walk, with its findings followed until each is addressed. */
export const safetyWalkStream = (walkId: string): string => `safety-walk-${walkId}`;
