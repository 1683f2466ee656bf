import type { AgencyCode } from '../agencies/agencies';
import type { LocalDate } from '../calendar';
import type { CreditEvent } from '../citizen-promise/citizen-promise.events';
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
  /** Places of the partnership's register (one or more). */
  readonly placeIds: readonly string[];
  /** Only on walks recorded before the register: the free text that matched no place. */
  readonly unresolvedPlace?: string;
  readonly kind: FindingKind;
  readonly description: string;
  /** The agency that is to address it, e.g. the housing company for its courtyards. */
  readonly responsibleParty: AgencyCode;
}

export type SafetyWalkPlanned = DomainEvent<
  'SafetyWalkPlanned',
  {
    readonly walkId: string;
    /** The area walked (a place of kind `area`); null only on walks from before the register. */
    readonly areaId: string | null;
    /** The places walked, in order (ids of the register), e.g. Skoghall centrum → Lillängshamnen. */
    readonly route: readonly string[];
    /** Only on walks recorded before the register: texts that matched no place. */
    readonly unresolvedPlaces?: readonly string[];
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
  | SafetyWalkPlanned
  | SafetyWalkConducted
  | FindingReassigned
  | FindingAddressed
  /** A conducted walk credited to the commitments of a promise it fulfils. */
  | CreditEvent;

export const SAFETY_WALK_EVENT_TYPES: readonly SafetyWalkEvent['type'][] = [
  'SafetyWalkPlanned',
  'SafetyWalkConducted',
  'FindingReassigned',
  'FindingAddressed',
  'CommitmentCredited',
  'CommitmentCreditWithdrawn',
];

/**
 * A finding reported outside a walk: a partner (a housing company too) saw something at a place
 * that makes it feel unsafe. It is followed like a walk's finding, until addressed.
 */
export type FindingReported = DomainEvent<
  'FindingReported',
  Finding & { readonly reportedOn: LocalDate; readonly reportingAgency: AgencyCode }
>;

export type FindingEvent = FindingReported | FindingReassigned | FindingAddressed;

export const FINDING_EVENT_TYPES: readonly FindingEvent['type'][] = [
  'FindingReported',
  'FindingReassigned',
  'FindingAddressed',
];

/** The stream of one finding reported outside a walk. */
export const findingStream = (findingId: string): string => `finding-${findingId}`;

/** The stream of one walk, with its findings followed until each is addressed. */
export const safetyWalkStream = (walkId: string): string => `safety-walk-${walkId}`;
