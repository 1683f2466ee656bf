import type { Actor } from '../actor';
import { unreachable, type Decider } from '../decider';
import { conflict, forbidden, notFound, rejected } from '../domain-error';
import { assertNoDirectIdentifier } from '../personal-data';
import { isRoleOf, type AgencyCode, type Role } from './agencies';
import type {
  AppointFirstCoordinator,
  FormPartnership,
  GrantUserRole,
  JoinAgency,
  PartnershipCommand,
  RevokeUserRole,
} from './agencies.commands';
import type { PartnershipEvent } from './agencies.events';

/** A user with the roles they hold now, under the one agency that manages them. */
export interface UserRoles {
  readonly agency: AgencyCode;
  /** In the order granted; never empty (a user without roles is dropped from the map). */
  readonly roles: readonly Role[];
}

export type PartnershipState =
  | { readonly status: 'none' }
  | {
      readonly status: 'formed';
      readonly partnershipId: string;
      readonly name: string;
      readonly municipality: string;
      readonly policeArea: string;
      /** The agencies that have joined, with their names, in the order they joined. */
      readonly agencies: ReadonlyMap<AgencyCode, string>;
      /** By user id: the users that hold at least one role. */
      readonly users: ReadonlyMap<string, UserRoles>;
    };

type Formed = Exclude<PartnershipState, { status: 'none' }>;

/** The two parties of a partnership: the police area and the municipality's management. */
function assertParty(by: Actor, what: string): void {
  if (by.agency !== 'police' && by.agency !== 'municipality') {
    throw forbidden(
      'AGENCIES.NOT_A_PARTY',
      `Only the police area and the municipality ${what}; ${by.agency} may not`,
    );
  }
}

function formed(state: PartnershipState): Formed {
  if (state.status === 'none') throw notFound('AGENCIES.NOT_FOUND', 'There is no such partnership');
  return state;
}

/**
 * Roles only the safety coordinator grants: they reach across the partnership (the auditor
 * reads every agency's trail, a coordinator appoints administrators, the operator sees the
 * service), so the municipality's own user administrator cannot grant them, least of all to
 * themself.
 */
export const COORDINATOR_GRANTED: readonly Role[] = [
  'partnership-auditor',
  'safety-coordinator',
  'operator',
];

/**
 * Who may change a user's role. An agency manages its own users and no one else's: each agency
 * is controller of its users' data and answers for who in it may see what, so its user
 * administrator grants its roles. The safety coordinator grants what reaches across the
 * partnership (the partnership auditor) and each agency's first user administrator, and may
 * take a user administrator's role back. Checked before the partnership's state, so a user
 * without the authority learns nothing about who holds which role.
 */
function assertMayAdminister(by: Actor, agency: AgencyCode, role: Role, what: string): void {
  if (by.role === 'safety-coordinator' && by.agency === 'municipality') {
    if (role === 'user-administrator' || COORDINATOR_GRANTED.includes(role)) return;
  }
  if (by.role === 'user-administrator' && !COORDINATOR_GRANTED.includes(role)) {
    if (by.agency === agency) return;
    throw forbidden(
      'AGENCIES.OTHER_AGENCY',
      `${agency} manages its own users; a user administrator of ${by.agency} may not ${what} their roles`,
    );
  }
  throw forbidden(
    'AGENCIES.NOT_USER_ADMINISTRATOR',
    COORDINATOR_GRANTED.includes(role)
      ? `Only the safety coordinator may ${what} the role ${role}`
      : `Only a user administrator of ${agency} may ${what} its users' roles`,
  );
}

const holdsRole = (partnership: Formed, agency: AgencyCode, role: Role): boolean =>
  [...partnership.users.values()].some((u) => u.agency === agency && u.roles.includes(role));

/** The agency has joined and the role is one of its own (a social worker is not police). */
function assertRoleOfJoinedAgency(partnership: Formed, agency: AgencyCode, role: Role): void {
  if (!partnership.agencies.has(agency)) {
    throw rejected('AGENCIES.AGENCY_NOT_JOINED', `${agency} has not joined the partnership`);
  }
  if (!isRoleOf(agency, role)) {
    throw rejected('AGENCIES.ROLE_NOT_OF_AGENCY', `'${String(role)}' is not a role of ${agency}`);
  }
}

function form(command: FormPartnership, state: PartnershipState): PartnershipEvent[] {
  assertParty(command.by, 'form a partnership');
  if (state.status !== 'none') {
    throw conflict(
      'AGENCIES.ALREADY_FORMED',
      `Partnership '${command.partnershipId}' is formed already`,
    );
  }
  assertNoDirectIdentifier('name', command.name);
  assertNoDirectIdentifier('municipality', command.municipality);
  assertNoDirectIdentifier('police area', command.policeArea);
  return [
    {
      type: 'PartnershipFormed',
      data: {
        partnershipId: command.partnershipId,
        name: command.name,
        municipality: command.municipality,
        policeArea: command.policeArea,
      },
    },
  ];
}

function join(command: JoinAgency, state: PartnershipState): PartnershipEvent[] {
  const partnership = formed(state);
  assertParty(command.by, 'bring an agency into the partnership');
  if (partnership.agencies.has(command.agency)) {
    throw conflict('AGENCIES.ALREADY_JOINED', `${command.agency} has joined already`);
  }
  assertNoDirectIdentifier('name', command.name);
  return [{ type: 'AgencyJoined', data: { agency: command.agency, name: command.name } }];
}

function grant(command: GrantUserRole, state: PartnershipState): PartnershipEvent[] {
  const partnership = formed(state);
  assertMayAdminister(command.by, command.agency, command.role, 'grant');
  // A grant is one person's decision about another: no one widens their own access.
  if (command.userId === command.by.userId) {
    throw forbidden('AGENCIES.SELF_GRANT', 'No one grants a role to themself');
  }
  // Before the user id is echoed in any reason below.
  assertNoDirectIdentifier('userId', command.userId);
  assertRoleOfJoinedAgency(partnership, command.agency, command.role);
  if (
    command.role === 'user-administrator' &&
    command.by.role === 'safety-coordinator' &&
    command.agency !== 'municipality' &&
    holdsRole(partnership, command.agency, 'user-administrator')
  ) {
    throw forbidden(
      'AGENCIES.HAS_USER_ADMINISTRATOR',
      `${command.agency} has a user administrator, who grants its users' roles`,
    );
  }
  const user = partnership.users.get(command.userId);
  if (user && user.agency !== command.agency) {
    throw forbidden(
      'AGENCIES.OTHER_AGENCY',
      `User '${command.userId}' is a user of another agency; ${command.agency} manages only its own`,
    );
  }
  if (user?.roles.includes(command.role)) {
    throw conflict(
      'AGENCIES.ROLE_ALREADY_GRANTED',
      `User '${command.userId}' holds the role ${command.role} already`,
    );
  }
  return [
    {
      type: 'UserRoleGranted',
      data: { userId: command.userId, agency: command.agency, role: command.role },
    },
  ];
}

function revoke(command: RevokeUserRole, state: PartnershipState): PartnershipEvent[] {
  const partnership = formed(state);
  assertMayAdminister(command.by, command.agency, command.role, 'revoke');
  assertNoDirectIdentifier('userId', command.userId);
  assertRoleOfJoinedAgency(partnership, command.agency, command.role);
  if (command.reason.trim() === '') {
    throw rejected('AGENCIES.REASON_REQUIRED', 'A reason is required: nothing is changed silently');
  }
  assertNoDirectIdentifier('reason', command.reason);
  const user = partnership.users.get(command.userId);
  if (!user || user.agency !== command.agency || !user.roles.includes(command.role)) {
    throw conflict(
      'AGENCIES.ROLE_NOT_GRANTED',
      `User '${command.userId}' of ${command.agency} does not hold the role ${command.role}`,
    );
  }
  return [
    {
      type: 'UserRoleRevoked',
      data: {
        userId: command.userId,
        agency: command.agency,
        role: command.role,
        reason: command.reason,
      },
    },
  ];
}

function appointFirstCoordinator(
  command: AppointFirstCoordinator,
  state: PartnershipState,
): PartnershipEvent[] {
  const partnership = formed(state);
  assertNoDirectIdentifier('userId', command.userId);
  if (partnership.users.size > 0) {
    throw conflict(
      'AGENCIES.ALREADY_BOOTSTRAPPED',
      'Users hold roles already: the safety coordinator grants the next ones',
    );
  }
  if (!partnership.agencies.has('municipality')) {
    throw rejected('AGENCIES.AGENCY_NOT_JOINED', 'municipality has not joined the partnership');
  }
  return [
    {
      type: 'UserRoleGranted',
      data: { userId: command.userId, agency: 'municipality', role: 'safety-coordinator' },
    },
  ];
}

function decide(command: PartnershipCommand, state: PartnershipState): PartnershipEvent[] {
  switch (command.type) {
    case 'FormPartnership':
      return form(command, state);
    case 'JoinAgency':
      return join(command, state);
    case 'GrantUserRole':
      return grant(command, state);
    case 'RevokeUserRole':
      return revoke(command, state);
    case 'AppointFirstCoordinator':
      return appointFirstCoordinator(command, state);
    default:
      return unreachable(command);
  }
}

function evolve(state: PartnershipState, event: PartnershipEvent): PartnershipState {
  if (event.type === 'PartnershipFormed') {
    return {
      status: 'formed',
      ...event.data,
      agencies: new Map(),
      users: new Map(),
    };
  }
  // Events of a stream follow its PartnershipFormed; one before it would be a corrupt log.
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'AgencyJoined':
      return {
        ...state,
        agencies: new Map(state.agencies).set(event.data.agency, event.data.name),
      };
    case 'UserRoleGranted': {
      const { userId, agency, role } = event.data;
      const roles = state.users.get(userId)?.roles ?? [];
      return {
        ...state,
        users: new Map(state.users).set(userId, { agency, roles: [...roles, role] }),
      };
    }
    case 'UserRoleRevoked': {
      const { userId, role } = event.data;
      const user = state.users.get(userId);
      if (!user) return state;
      const users = new Map(state.users);
      const roles = user.roles.filter((r) => r !== role);
      if (roles.length === 0) users.delete(userId);
      else users.set(userId, { ...user, roles });
      return { ...state, users };
    }
    default:
      return unreachable(event);
  }
}

export const partnershipDecider: Decider<PartnershipCommand, PartnershipEvent, PartnershipState> = {
  decide,
  evolve,
  initialState: { status: 'none' },
};
