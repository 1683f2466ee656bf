import type { DomainEvent } from '../decider';
import type { AgencyCode, Role } from './agencies';

export type PartnershipFormed = DomainEvent<
  'PartnershipFormed',
  {
    readonly partnershipId: string;
    readonly name: string;
    readonly municipality: string;
    readonly policeArea: string;
  }
>;

export type AgencyJoined = DomainEvent<
  'AgencyJoined',
  {
    readonly agency: AgencyCode;
    /** The agency's own name in this partnership, e.g. "Socialtjänsten, Hammarö kommun". */
    readonly name: string;
  }
>;

/** A user of an agency holds a role in the partnership; the agency manages its own users. */
export type UserRoleGranted = DomainEvent<
  'UserRoleGranted',
  { readonly userId: string; readonly agency: AgencyCode; readonly role: Role }
>;

export type UserRoleRevoked = DomainEvent<
  'UserRoleRevoked',
  {
    readonly userId: string;
    readonly agency: AgencyCode;
    readonly role: Role;
    readonly reason: string;
  }
>;

export type PartnershipEvent = PartnershipFormed | AgencyJoined | UserRoleGranted | UserRoleRevoked;

export const PARTNERSHIP_EVENT_TYPES: readonly PartnershipEvent['type'][] = [
  'PartnershipFormed',
  'AgencyJoined',
  'UserRoleGranted',
  'UserRoleRevoked',
];

/** The stream of one partnership: the agencies in it and the roles of their users. */
export const partnershipStream = (partnershipId: string): string => `partnership-${partnershipId}`;
