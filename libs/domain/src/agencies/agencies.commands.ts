import type { Issued } from '../actor';
import type { AgencyCode, Role } from './agencies';

export interface FormPartnership extends Issued {
  readonly type: 'FormPartnership';
  readonly partnershipId: string;
  readonly name: string;
  readonly municipality: string;
  readonly policeArea: string;
}

export interface JoinAgency extends Issued {
  readonly type: 'JoinAgency';
  readonly agency: AgencyCode;
  readonly name: string;
}

export interface GrantUserRole extends Issued {
  readonly type: 'GrantUserRole';
  readonly userId: string;
  readonly agency: AgencyCode;
  readonly role: Role;
}

export interface RevokeUserRole extends Issued {
  readonly type: 'RevokeUserRole';
  readonly userId: string;
  readonly agency: AgencyCode;
  readonly role: Role;
  readonly reason: string;
}

/**
 * The one-time bootstrap: the first safety coordinator, appointed by whoever runs the service
 * (`npm run bootstrap`) while no one holds a role. From then on roles are granted by people.
 */
export interface AppointFirstCoordinator extends Issued {
  readonly type: 'AppointFirstCoordinator';
  readonly userId: string;
}

export type PartnershipCommand =
  FormPartnership | JoinAgency | GrantUserRole | RevokeUserRole | AppointFirstCoordinator;
