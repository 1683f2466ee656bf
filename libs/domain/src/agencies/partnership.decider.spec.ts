import fc from 'fast-check';
import type { Actor } from '../actor';
import { DomainError } from '../domain-error';
import { specFor } from '../given-when-then';
import { containsPersonalIdentityNumber } from '../personal-data';
import {
  AGENCIES,
  allRoles,
  COMMON_ROLES,
  isRoleOf,
  ROLES_BY_AGENCY,
  type AgencyCode,
  type Role,
} from './agencies';
import type {
  AppointFirstCoordinator,
  FormPartnership,
  GrantUserRole,
  JoinAgency,
  PartnershipCommand,
  RevokeUserRole,
} from './agencies.commands';
import {
  PARTNERSHIP_EVENT_TYPES,
  partnershipStream,
  type AgencyJoined,
  type PartnershipEvent,
  type PartnershipFormed,
  type UserRoleGranted,
  type UserRoleRevoked,
} from './agencies.events';
import { partnershipDecider, type PartnershipState } from './partnership.decider';

const police: Actor = { userId: 'u-police', agency: 'police', role: 'area-chief' };
/** The municipality's safety coordinator: a party to the partnership, and its first user. */
const coordinator: Actor = {
  userId: 'u-kommun',
  agency: 'municipality',
  role: 'safety-coordinator',
};
const social: Actor = { userId: 'u-social', agency: 'social-services', role: 'agency-system' };
const school: Actor = { userId: 'u-school', agency: 'school', role: 'principal' };
/** Whoever runs the service: runs the bootstrap, grants nothing. */
const operator: Actor = { userId: 'u-drift', agency: 'municipality', role: 'operator' };
const adminOf = (agency: AgencyCode): Actor => ({
  userId: `admin.${agency}`,
  agency,
  role: 'user-administrator',
});
const socialAdmin = adminOf('social-services');
const policeAdmin = adminOf('police');
const municipalityAdmin = adminOf('municipality');
const at = new Date('2024-06-01T10:00:00Z');
const PIN = '811218-9876';

const spec = specFor(partnershipDecider);

const formedEvent: PartnershipFormed = {
  type: 'PartnershipFormed',
  data: {
    partnershipId: 'hammaro',
    name: 'Samverkan Hammarö',
    municipality: 'Hammarö kommun',
    policeArea: 'LPO Karlstad',
  },
};
const joined = (agency: AgencyCode, name: string): AgencyJoined => ({
  type: 'AgencyJoined',
  data: { agency, name },
});
const policeJoined = joined('police', 'Lokalpolisområde Karlstad');
const socialJoined = joined('social-services', 'Socialtjänsten, Hammarö kommun');
const municipalityJoined = joined('municipality', 'Hammarö kommun, kommunledningen');
const roleGranted = (userId: string, agency: AgencyCode, role: Role): UserRoleGranted => ({
  type: 'UserRoleGranted',
  data: { userId, agency, role },
});
const roleRevoked = (
  userId: string,
  agency: AgencyCode,
  role: Role,
  reason = 'Har bytt tjänst',
): UserRoleRevoked => ({ type: 'UserRoleRevoked', data: { userId, agency, role, reason } });
const granted = roleGranted('anna.social', 'social-services', 'social-worker');
const revoked = roleRevoked('anna.social', 'social-services', 'social-worker');
/** The bootstrap's event: the first safety coordinator. */
const firstCoordinator = roleGranted('u-kommun', 'municipality', 'safety-coordinator');
/** Social services' first user administrator, appointed by the safety coordinator. */
const socialAdminGranted = roleGranted(socialAdmin.userId, 'social-services', 'user-administrator');
const established = [formedEvent, policeJoined, socialJoined] as const;
const withMunicipality = [...established, municipalityJoined] as const;
const bootstrapped = [...withMunicipality, firstCoordinator] as const;

const form = (by: Actor, over: Partial<FormPartnership> = {}): FormPartnership => ({
  type: 'FormPartnership',
  by,
  at,
  ...formedEvent.data,
  ...over,
});
const join = (by: Actor, agency: AgencyCode, name = 'Skolan, Hammarö kommun'): JoinAgency => ({
  type: 'JoinAgency',
  by,
  at,
  agency,
  name,
});
const grant = (by: Actor, over: Partial<GrantUserRole> = {}): GrantUserRole => ({
  type: 'GrantUserRole',
  by,
  at,
  ...granted.data,
  ...over,
});
const revoke = (by: Actor, over: Partial<RevokeUserRole> = {}): RevokeUserRole => ({
  type: 'RevokeUserRole',
  by,
  at,
  ...revoked.data,
  ...over,
});
const appoint = (userId = coordinator.userId, by = operator): AppointFirstCoordinator => ({
  type: 'AppointFirstCoordinator',
  by,
  at,
  userId,
});

type Formed = Exclude<PartnershipState, { status: 'none' }>;
const stateAfter = (...events: PartnershipEvent[]): Formed => spec.given(...events).state as Formed;

describe('partnership: the stream', () => {
  it('names its stream after the partnership and lists its event types', () => {
    expect(partnershipStream('hammaro')).toBe('partnership-hammaro');
    expect([...PARTNERSHIP_EVENT_TYPES].sort()).toEqual(
      ['AgencyJoined', 'PartnershipFormed', 'UserRoleGranted', 'UserRoleRevoked'].sort(),
    );
  });
});

describe('partnership: forming it and the agencies that join', () => {
  it('is formed by the police area or the municipality', () => {
    spec.given().when(form(police)).then(formedEvent);
    spec.given().when(form(coordinator)).then(formedEvent);
    expect(stateAfter(formedEvent)).toMatchObject({
      status: 'formed',
      partnershipId: 'hammaro',
      name: 'Samverkan Hammarö',
    });
  });
  it('refuses to form it twice', () => {
    spec.given(formedEvent).when(form(police)).thenRefused('AGENCIES.ALREADY_FORMED', 'conflict');
  });
  it('refuses to have it formed by anyone else', () => {
    spec.given().when(form(school)).thenRefused('AGENCIES.NOT_A_PARTY', 'forbidden');
    spec.given().when(form(social)).thenRefused('AGENCIES.NOT_A_PARTY', 'forbidden');
  });
  it('refuses a personal identity number in its name', () => {
    spec
      .given()
      .when(form(police, { name: `Samverkan ${PIN}` }))
      .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER', 'rejected');
  });
  it('refuses anything on a partnership not formed', () => {
    for (const command of [
      join(police, 'school'),
      grant(socialAdmin),
      revoke(socialAdmin),
      // Whether there is a partnership is no secret: asked before the authority.
      grant(social),
      revoke(social),
      appoint(),
    ]) {
      spec.given().when(command).thenRefused('AGENCIES.NOT_FOUND', 'not_found');
    }
  });
  it('lets the police area and the municipality bring agencies in, each once', () => {
    spec
      .given(formedEvent)
      .when(join(coordinator, 'school'))
      .then(joined('school', 'Skolan, Hammarö kommun'));
    spec
      .given(formedEvent)
      .when(join(police, 'police', policeJoined.data.name))
      .then(policeJoined);
    const state = stateAfter(...established);
    expect([...state.agencies.keys()]).toEqual(['police', 'social-services']);
    expect(state.agencies.get('social-services')).toBe('Socialtjänsten, Hammarö kommun');
  });
  it('refuses an agency brought in by another agency than the two parties', () => {
    spec
      .given(formedEvent)
      .when(join(school, 'school'))
      .thenRefused('AGENCIES.NOT_A_PARTY', 'forbidden');
    spec
      .given(formedEvent)
      .when(join(social, 'leisure'))
      .thenRefused('AGENCIES.NOT_A_PARTY', 'forbidden');
  });
  it('refuses an agency that has joined already', () => {
    spec
      .given(...established)
      .when(join(coordinator, 'social-services'))
      .thenRefused('AGENCIES.ALREADY_JOINED', 'conflict');
  });
});

describe('partnership: the first safety coordinator (the bootstrap)', () => {
  it('appoints the first safety coordinator once the municipality has joined and no one holds a role', () => {
    spec
      .given(...withMunicipality)
      .when(appoint())
      .then(firstCoordinator);
    expect(stateAfter(...bootstrapped).users.get('u-kommun')).toEqual({
      agency: 'municipality',
      roles: ['safety-coordinator'],
    });
  });
  it('from there, people grant the roles: the coordinator the first user administrators, they the rest', () => {
    spec
      .given(...bootstrapped)
      .when(
        grant(coordinator, {
          userId: socialAdmin.userId,
          agency: 'social-services',
          role: 'user-administrator',
        }),
      )
      .then(socialAdminGranted);
    spec
      .given(...bootstrapped, socialAdminGranted)
      .when(grant(socialAdmin))
      .then(granted);
  });
  it('refuses to run again while anyone holds a role', () => {
    spec
      .given(...bootstrapped)
      .when(appoint())
      .thenRefused('AGENCIES.ALREADY_BOOTSTRAPPED', 'conflict');
    spec
      .given(...bootstrapped)
      .when(appoint('kommun.2'))
      .thenRefused('AGENCIES.ALREADY_BOOTSTRAPPED', 'conflict');
    // Any role of any agency, not only a safety coordinator.
    spec
      .given(...withMunicipality, granted)
      .when(appoint())
      .thenRefused('AGENCIES.ALREADY_BOOTSTRAPPED', 'conflict');
  });
  it('is open again only when no one holds a role any more', () => {
    spec
      .given(...withMunicipality, granted, revoked)
      .when(appoint())
      .then(firstCoordinator);
  });
  it('refuses before the municipality has joined', () => {
    spec
      .given(...established)
      .when(appoint())
      .thenRefused('AGENCIES.AGENCY_NOT_JOINED', 'rejected');
    spec.given(formedEvent).when(appoint()).thenRefused('AGENCIES.AGENCY_NOT_JOINED', 'rejected');
  });
  it('refuses a user id that holds a personal identity number', () => {
    for (const userId of [PIN, `kommun-${PIN.replace('-', '')}`, '19811218-9876']) {
      spec
        .given(...withMunicipality)
        .when(appoint(userId))
        .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER', 'rejected');
    }
  });
});

describe('partnership: an agency manages the roles of its own users', () => {
  it('grants a role to a user of a joined agency, by that agency’s user administrator', () => {
    spec
      .given(...established)
      .when(grant(socialAdmin))
      .then(granted);
    const state = stateAfter(...established, granted);
    expect(state.users.get('anna.social')).toEqual({
      agency: 'social-services',
      roles: ['social-worker'],
    });
  });
  it('grants the same user several roles of the agency, and the common roles', () => {
    const second = roleGranted('anna.social', 'social-services', 'unit-manager');
    spec
      .given(...established, granted)
      .when(grant(socialAdmin, { role: 'unit-manager' }))
      .then(second);
    spec
      .given(...established)
      .when(grant(socialAdmin, { role: 'data-protection-officer' }))
      .then(roleGranted('anna.social', 'social-services', 'data-protection-officer'));
    expect(stateAfter(...established, granted, second).users.get('anna.social')?.roles).toEqual([
      'social-worker',
      'unit-manager',
    ]);
  });
  it('refuses to grant or revoke for an agency that has not joined', () => {
    const schoolAdmin = adminOf('school');
    spec
      .given(...established)
      .when(grant(schoolAdmin, { userId: 'rektor.1', agency: 'school', role: 'principal' }))
      .thenRefused('AGENCIES.AGENCY_NOT_JOINED', 'rejected');
    spec
      .given(...established)
      .when(revoke(schoolAdmin, { userId: 'rektor.1', agency: 'school', role: 'principal' }))
      .thenRefused('AGENCIES.AGENCY_NOT_JOINED', 'rejected');
  });
  it('refuses a grant or revocation by another agency’s user administrator, even a party’s', () => {
    spec
      .given(...established)
      .when(grant(policeAdmin))
      .thenRefused('AGENCIES.OTHER_AGENCY', 'forbidden');
    spec
      .given(...withMunicipality, granted)
      .when(revoke(municipalityAdmin))
      .thenRefused('AGENCIES.OTHER_AGENCY', 'forbidden');
    spec
      .given(...established)
      .when(grant(policeAdmin, { userId: 'bo.social', role: 'user-administrator' }))
      .thenRefused('AGENCIES.OTHER_AGENCY', 'forbidden');
  });
  it('refuses to take over a user another agency manages', () => {
    spec
      .given(...established, granted)
      .when(grant(policeAdmin, { agency: 'police', role: 'officer' }))
      .thenRefused('AGENCIES.OTHER_AGENCY', 'forbidden');
    // Once the other agency has revoked every role, the id is free.
    spec
      .given(...established, granted, revoked)
      .when(grant(policeAdmin, { agency: 'police', role: 'officer' }))
      .then(roleGranted('anna.social', 'police', 'officer'));
  });
  it('refuses a role that is not the agency’s', () => {
    spec
      .given(...established)
      .when(grant(socialAdmin, { role: 'officer' }))
      .thenRefused('AGENCIES.ROLE_NOT_OF_AGENCY', 'rejected');
    spec
      .given(...established, granted)
      .when(revoke(socialAdmin, { role: 'officer' }))
      .thenRefused('AGENCIES.ROLE_NOT_OF_AGENCY', 'rejected');
  });
  it('refuses a role the user holds already', () => {
    spec
      .given(...established, granted)
      .when(grant(socialAdmin))
      .thenRefused('AGENCIES.ROLE_ALREADY_GRANTED', 'conflict');
  });
  it('refuses a user id that holds a personal identity number', () => {
    for (const userId of [PIN, `anna-${PIN.replace('-', '')}`, '19811218-9876']) {
      spec
        .given(...established)
        .when(grant(socialAdmin, { userId }))
        .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER', 'rejected');
      spec
        .given(...established)
        .when(revoke(socialAdmin, { userId }))
        .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER', 'rejected');
    }
  });
  it('revokes a role held, with a reason; a user without roles is gone', () => {
    spec
      .given(...established, granted)
      .when(revoke(socialAdmin))
      .then(revoked);
    expect(stateAfter(...established, granted, revoked).users.has('anna.social')).toBe(false);
  });
  it('refuses to revoke a role not held', () => {
    spec
      .given(...established)
      .when(revoke(socialAdmin))
      .thenRefused('AGENCIES.ROLE_NOT_GRANTED', 'conflict');
    spec
      .given(...established, granted, revoked)
      .when(revoke(socialAdmin))
      .thenRefused('AGENCIES.ROLE_NOT_GRANTED', 'conflict');
    spec
      .given(...established, granted)
      .when(revoke(socialAdmin, { role: 'unit-manager' }))
      .thenRefused('AGENCIES.ROLE_NOT_GRANTED', 'conflict');
    // A common role held under social services is not held under the police.
    const auditor = roleGranted('anna.social', 'social-services', 'auditor');
    spec
      .given(...established, auditor)
      .when(revoke(policeAdmin, { agency: 'police', role: 'auditor' }))
      .thenRefused('AGENCIES.ROLE_NOT_GRANTED', 'conflict');
  });
  it('needs a reason to revoke, without a personal identity number', () => {
    spec
      .given(...established, granted)
      .when(revoke(socialAdmin, { reason: '  ' }))
      .thenRefused('AGENCIES.REASON_REQUIRED', 'rejected');
    spec
      .given(...established, granted)
      .when(revoke(socialAdmin, { reason: `Begäran från ${PIN}` }))
      .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER', 'rejected');
  });
});

describe('partnership: who may grant and revoke users’ roles', () => {
  it('lets a user administrator grant and revoke any role of the agency, user administrator too', () => {
    spec
      .given(...established, socialAdminGranted)
      .when(grant(socialAdmin, { userId: 'bo.social', role: 'user-administrator' }))
      .then(roleGranted('bo.social', 'social-services', 'user-administrator'));
    spec
      .given(...established, socialAdminGranted)
      .when(revoke(socialAdmin, { userId: socialAdmin.userId, role: 'user-administrator' }))
      .then(roleRevoked(socialAdmin.userId, 'social-services', 'user-administrator'));
    // The municipality's user administrator grants its own roles, not those that reach across
    // the partnership (coordinator, operator, partnership auditor): the coordinator does.
    spec
      .given(...bootstrapped)
      .when(
        grant(municipalityAdmin, {
          userId: 'kommun.2',
          agency: 'municipality',
          role: 'board-chair',
        }),
      )
      .then(roleGranted('kommun.2', 'municipality', 'board-chair'));
    for (const role of ['safety-coordinator', 'operator', 'partnership-auditor'] as const) {
      spec
        .given(...bootstrapped)
        .when(grant(municipalityAdmin, { userId: 'kommun.2', agency: 'municipality', role }))
        .thenRefused('AGENCIES.NOT_USER_ADMINISTRATOR', 'forbidden');
      spec
        .given(...bootstrapped)
        .when(grant(coordinator, { userId: 'kommun.2', agency: 'municipality', role }))
        .then(roleGranted('kommun.2', 'municipality', role));
    }
    spec
      .given(...bootstrapped)
      .when(
        revoke(coordinator, {
          userId: 'u-kommun',
          agency: 'municipality',
          role: 'safety-coordinator',
        }),
      )
      .then(roleRevoked('u-kommun', 'municipality', 'safety-coordinator'));
  });
  it('refuses a grant to oneself, whoever asks', () => {
    spec
      .given(...established, socialAdminGranted)
      .when(grant(socialAdmin, { userId: socialAdmin.userId, role: 'social-worker' }))
      .thenRefused('AGENCIES.SELF_GRANT', 'forbidden');
    spec
      .given(...bootstrapped)
      .when(
        grant(coordinator, {
          userId: coordinator.userId,
          agency: 'municipality',
          role: 'partnership-auditor',
        }),
      )
      .thenRefused('AGENCIES.SELF_GRANT', 'forbidden');
  });
  it('refuses anyone but a user administrator or the coordinator, however senior', () => {
    const dpo: Actor = {
      userId: 'u-dso',
      agency: 'social-services',
      role: 'data-protection-officer',
    };
    const chief: Actor = { userId: 'u-ks', agency: 'municipality', role: 'chief-executive' };
    for (const by of [police, social, school, operator, dpo, chief]) {
      spec
        .given(...bootstrapped)
        .when(grant(by))
        .thenRefused('AGENCIES.NOT_USER_ADMINISTRATOR', 'forbidden');
      spec
        .given(...bootstrapped, granted)
        .when(revoke(by))
        .thenRefused('AGENCIES.NOT_USER_ADMINISTRATOR', 'forbidden');
      spec
        .given(...bootstrapped)
        .when(grant(by, { agency: by.agency, role: 'user-administrator' }))
        .thenRefused('AGENCIES.NOT_USER_ADMINISTRATOR', 'forbidden');
    }
  });
  it('refuses the coordinator the agencies’ own roles, her own municipality’s too', () => {
    spec
      .given(...bootstrapped)
      .when(grant(coordinator))
      .thenRefused('AGENCIES.NOT_USER_ADMINISTRATOR', 'forbidden');
    spec
      .given(...bootstrapped, granted)
      .when(revoke(coordinator))
      .thenRefused('AGENCIES.NOT_USER_ADMINISTRATOR', 'forbidden');
    for (const role of ['auditor', 'board-chair'] as const) {
      spec
        .given(...bootstrapped)
        .when(grant(coordinator, { userId: 'kommun.2', agency: 'municipality', role }))
        .thenRefused('AGENCIES.NOT_USER_ADMINISTRATOR', 'forbidden');
    }
  });
  it('lets only the coordinator grant and revoke the partnership auditor, a role of the municipality', () => {
    const auditorGranted = roleGranted('revisor.1', 'municipality', 'partnership-auditor');
    const auditor = {
      userId: 'revisor.1',
      agency: 'municipality',
      role: 'partnership-auditor',
    } as const;
    spec
      .given(...bootstrapped)
      .when(grant(coordinator, auditor))
      .then(auditorGranted);
    spec
      .given(...bootstrapped, auditorGranted)
      .when(revoke(coordinator, auditor))
      .then(roleRevoked('revisor.1', 'municipality', 'partnership-auditor'));
    // Not even the municipality's own user administrator.
    spec
      .given(...bootstrapped)
      .when(grant(municipalityAdmin, auditor))
      .thenRefused('AGENCIES.NOT_USER_ADMINISTRATOR', 'forbidden');
    spec
      .given(...bootstrapped, auditorGranted)
      .when(revoke(municipalityAdmin, auditor))
      .thenRefused('AGENCIES.NOT_USER_ADMINISTRATOR', 'forbidden');
    spec
      .given(...bootstrapped)
      .when(grant(coordinator, { ...auditor, userId: 'anna.social', agency: 'social-services' }))
      .thenRefused('AGENCIES.ROLE_NOT_OF_AGENCY', 'rejected');
  });
  it('lets the coordinator appoint each joined agency’s first user administrator and take it back', () => {
    const appointment = { agency: 'social-services', role: 'user-administrator' } as const;
    spec
      .given(...bootstrapped)
      .when(grant(coordinator, { ...appointment, userId: socialAdmin.userId }))
      .then(socialAdminGranted);
    // A user of the agency with other roles is no user administrator.
    spec
      .given(...bootstrapped, granted)
      .when(grant(coordinator, { ...appointment, userId: socialAdmin.userId }))
      .then(socialAdminGranted);
    spec
      .given(...bootstrapped, socialAdminGranted)
      .when(revoke(coordinator, { ...appointment, userId: socialAdmin.userId }))
      .then(roleRevoked(socialAdmin.userId, 'social-services', 'user-administrator'));
    spec
      .given(...bootstrapped)
      .when(grant(coordinator, { ...appointment, userId: 'rektor.1', agency: 'school' }))
      .thenRefused('AGENCIES.AGENCY_NOT_JOINED', 'rejected');
  });
  it('refuses the coordinator a second user administrator for an agency that has one', () => {
    const second = {
      userId: 'bo.social',
      agency: 'social-services',
      role: 'user-administrator',
    } as const;
    spec
      .given(...bootstrapped, socialAdminGranted)
      .when(grant(coordinator, second))
      .thenRefused('AGENCIES.HAS_USER_ADMINISTRATOR', 'forbidden');
    // The agency's user administrator does it, or the coordinator once there is none.
    spec
      .given(...bootstrapped, socialAdminGranted)
      .when(grant(socialAdmin, second))
      .then(roleGranted('bo.social', 'social-services', 'user-administrator'));
    spec
      .given(
        ...bootstrapped,
        socialAdminGranted,
        roleRevoked(socialAdmin.userId, 'social-services', 'user-administrator'),
      )
      .when(grant(coordinator, second))
      .then(roleGranted('bo.social', 'social-services', 'user-administrator'));
    // Another agency's user administrator does not count.
    spec
      .given(...bootstrapped, socialAdminGranted)
      .when(grant(coordinator, { ...second, userId: policeAdmin.userId, agency: 'police' }))
      .then(roleGranted(policeAdmin.userId, 'police', 'user-administrator'));
    // Her own municipality's she may grant even when it has one.
    const municipal = roleGranted(municipalityAdmin.userId, 'municipality', 'user-administrator');
    spec
      .given(...bootstrapped, municipal)
      .when(grant(coordinator, { ...second, userId: 'kommun.2', agency: 'municipality' }))
      .then(roleGranted('kommun.2', 'municipality', 'user-administrator'));
  });
  it('tells someone without the authority nothing about the partnership’s users', () => {
    // Each would have been refused for what the partnership holds, had the authority come after.
    const ownRoleHeld = grant(social, { userId: 'anna.social' });
    const notHeld = revoke(social, { role: 'unit-manager' });
    const notJoined = grant(school, { userId: 'rektor.1', agency: 'school', role: 'principal' });
    const withPin = grant(social, { userId: PIN });
    for (const command of [ownRoleHeld, notHeld, notJoined, withPin]) {
      spec
        .given(...bootstrapped, granted)
        .when(command)
        .thenRefused('AGENCIES.NOT_USER_ADMINISTRATOR', 'forbidden');
    }
    spec
      .given(...bootstrapped, granted)
      .when(grant(coordinator))
      .thenRefused('AGENCIES.NOT_USER_ADMINISTRATOR', 'forbidden');
    // Nor does another agency's user administrator learn anything.
    for (const command of [
      grant(policeAdmin),
      revoke(policeAdmin, { role: 'unit-manager' }),
      grant(policeAdmin, { userId: 'rektor.1', agency: 'school', role: 'principal' }),
    ]) {
      spec
        .given(...bootstrapped, granted)
        .when(command)
        .thenRefused('AGENCIES.OTHER_AGENCY', 'forbidden');
    }
  });
});

describe('partnership: invariants for any sequence of commands', () => {
  const agency = fc.constantFrom(...AGENCIES);
  /** Anyone with a token: a role that fits the agency, as the tokens carry them. */
  const anyone: fc.Arbitrary<Actor> = agency.chain((a) =>
    fc
      .constantFrom<Role>(...ROLES_BY_AGENCY[a], ...COMMON_ROLES)
      .map((role) => ({ userId: `u-${a}-${role}`, agency: a, role })),
  );
  const party = fc.constantFrom(police, coordinator);
  /** Mostly the agency's own user ids; a shared id and a personal identity number now and then. */
  const userIdOf = (a: AgencyCode): fc.Arbitrary<string> =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(`${a}.1`, `${a}.2`) },
      { weight: 1, arbitrary: fc.constantFrom('shared.1', PIN) },
    );
  /** Mostly the agencies the runs start with, so that grants and revocations meet. */
  const managing = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom<AgencyCode>('police', 'social-services', 'municipality'),
    },
    { weight: 1, arbitrary: agency },
  );
  /** Mostly few of the agency's roles, so that revocations often hit one held; now and then any. */
  const roleOf = (a: AgencyCode): fc.Arbitrary<Role> =>
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc.constantFrom<Role>(ROLES_BY_AGENCY[a][0], 'auditor', 'user-administrator'),
      },
      { weight: 1, arbitrary: fc.constantFrom(...allRoles()) },
    );
  /**
   * Who changes which role of which agency: mostly the agency's user administrator, the
   * coordinator with its user administrator; now and then anyone, another agency's user
   * administrator among them, with any role. (The partnership auditor: `auditorChange`.)
   */
  const change: fc.Arbitrary<{ by: Actor; agency: AgencyCode; role: Role; userId: string }> =
    managing
      .chain((a) =>
        fc
          .oneof(
            { weight: 6, arbitrary: fc.record({ by: fc.constant(adminOf(a)), role: roleOf(a) }) },
            {
              weight: 2,
              arbitrary: fc.record({
                by: fc.constant(coordinator),
                role: fc.constant<Role>('user-administrator'),
              }),
            },
            {
              weight: 2,
              arbitrary: fc.record({ by: fc.oneof(anyone, agency.map(adminOf)), role: roleOf(a) }),
            },
          )
          .map((r) => ({ ...r, agency: a })),
      )
      .map((r) =>
        // Drawn among any roles, the partnership auditor is asked of the municipality, its agency.
        r.role === 'partnership-auditor' ? { ...r, agency: 'municipality' as const } : r,
      )
      .chain((r) => userIdOf(r.agency).map((userId) => ({ ...r, userId })));
  const auditorChange = fc.record({
    by: fc.oneof(
      { weight: 3, arbitrary: fc.constant(coordinator) },
      { weight: 1, arbitrary: anyone },
    ),
    agency: fc.constant<AgencyCode>('municipality'),
    role: fc.constant<Role>('partnership-auditor'),
    userId: userIdOf('municipality'),
  });

  const commandArb: fc.Arbitrary<PartnershipCommand> = fc.oneof(
    fc.record({ by: fc.oneof(party, anyone), agency }).map((r) => join(r.by, r.agency, 'Namn')),
    fc
      .record({
        userId: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom('municipality.1', 'municipality.2') },
          { weight: 1, arbitrary: fc.constantFrom('shared.1', PIN) },
        ),
        by: fc.oneof(fc.constant(operator), anyone),
      })
      .map((r) => appoint(r.userId, r.by)),
    {
      weight: 5,
      arbitrary: fc
        .oneof({ weight: 5, arbitrary: change }, auditorChange)
        .map((r) => grant(r.by, r)),
    },
    {
      weight: 4,
      arbitrary: fc
        .record({
          change: fc.oneof({ weight: 5, arbitrary: change }, auditorChange),
          reason: fc.constantFrom('Slutat', ''),
        })
        .map(({ change: r, reason }) => revoke(r.by, { ...r, reason })),
    },
  );
  const starts = fc.constantFrom<readonly PartnershipEvent[]>(established, withMunicipality);

  /** The authority the rules give: who may grant or revoke this role of this agency. */
  const reachesAcross = (role: Role): boolean =>
    role === 'partnership-auditor' || role === 'safety-coordinator' || role === 'operator';
  const mayAdminister = (by: Actor, a: AgencyCode, role: Role): boolean =>
    (by.role === 'user-administrator' && by.agency === a && !reachesAcross(role)) ||
    (by.role === 'safety-coordinator' &&
      by.agency === 'municipality' &&
      (role === 'user-administrator' || reachesAcross(role)));

  const accepted = {
    byAdministrator: 0,
    byCoordinator: 0,
    auditors: 0,
    bootstraps: 0,
    revocations: 0,
  };
  const refused = new Map<string, number>();
  it('every role held fits a joined agency, was granted by its user administrator, the coordinator or the bootstrap, once, and each user belongs to one agency', () => {
    fc.assert(
      fc.property(
        starts,
        fc.array(commandArb, { minLength: 10, maxLength: 80, size: 'max' }),
        (start, commands) => {
          let state = spec.given(...start).state;
          /** What the accepted events say each user holds, kept apart from the decider's state. */
          const held = new Map<string, { agency: AgencyCode; roles: Set<Role> }>();
          for (const command of commands) {
            let events: readonly PartnershipEvent[];
            try {
              events = partnershipDecider.decide(command, state);
            } catch (error) {
              expect(error).toBeInstanceOf(DomainError);
              const { code } = error as DomainError;
              refused.set(code, (refused.get(code) ?? 0) + 1);
              continue;
            }
            for (const event of events) {
              const before = state;
              if (before.status === 'none') throw new Error('the partnership was formed');
              switch (event.type) {
                case 'PartnershipFormed':
                  throw new Error('formed twice');
                case 'AgencyJoined':
                  expect(['police', 'municipality']).toContain(command.by.agency);
                  expect(before.agencies.has(event.data.agency)).toBe(false);
                  break;
                case 'UserRoleGranted': {
                  const { userId: id, agency: a, role: r } = event.data;
                  expect(before.agencies.has(a)).toBe(true);
                  expect(isRoleOf(a, r)).toBe(true);
                  expect(containsPersonalIdentityNumber(id)).toBe(false);
                  if (command.type === 'AppointFirstCoordinator') {
                    // The bootstrap: the first safety coordinator, while no one holds a role.
                    expect([id, a, r]).toEqual([
                      command.userId,
                      'municipality',
                      'safety-coordinator',
                    ]);
                    expect(held.size).toBe(0);
                    accepted.bootstraps++;
                  } else {
                    expect(command.type).toBe('GrantUserRole');
                    expect(mayAdminister(command.by, a, r)).toBe(true);
                    if (command.by.role === 'safety-coordinator') {
                      // The coordinator appoints an agency's first user administrator only.
                      if (r === 'user-administrator' && a !== 'municipality') {
                        const administrators = [...held.values()].filter(
                          (u) => u.agency === a && u.roles.has('user-administrator'),
                        );
                        expect(administrators).toEqual([]);
                      }
                      accepted.byCoordinator++;
                      if (r === 'partnership-auditor') accepted.auditors++;
                    } else {
                      accepted.byAdministrator++;
                    }
                  }
                  const user = held.get(id) ?? { agency: a, roles: new Set<Role>() };
                  expect(user.agency).toBe(a);
                  expect(user.roles.has(r)).toBe(false);
                  held.set(id, { agency: a, roles: user.roles.add(r) });
                  break;
                }
                case 'UserRoleRevoked': {
                  const { userId: id, agency: a, role: r } = event.data;
                  expect(command.type).toBe('RevokeUserRole');
                  expect(mayAdminister(command.by, a, r)).toBe(true);
                  expect(event.data.reason.trim()).not.toBe('');
                  const user = held.get(id);
                  expect(user?.agency).toBe(a);
                  expect(user?.roles.has(r)).toBe(true);
                  user?.roles.delete(r);
                  if (user?.roles.size === 0) held.delete(id);
                  accepted.revocations++;
                  break;
                }
                default:
                  throw new Error(`unexpected ${JSON.stringify(event)}`);
              }
              state = partnershipDecider.evolve(state, event);
            }
          }
          if (state.status === 'none') throw new Error('the partnership was formed');
          // The decider's view of the users is the same as the one built from the events.
          expect(
            [...state.users].map(([id, u]) => [id, u.agency, [...u.roles].sort()]).sort(),
          ).toEqual([...held].map(([id, u]) => [id, u.agency, [...u.roles].sort()]).sort());
        },
      ),
      { numRuns: 300 },
    );
    // The property is only worth something if each way to a role was taken, and refused.
    expect(accepted.byAdministrator).toBeGreaterThan(700);
    expect(accepted.byCoordinator).toBeGreaterThan(250);
    expect(accepted.auditors).toBeGreaterThan(100);
    expect(accepted.bootstraps).toBeGreaterThan(10);
    expect(accepted.revocations).toBeGreaterThan(80);
    expect(refused.get('AGENCIES.NOT_USER_ADMINISTRATOR')).toBeGreaterThan(400);
    expect(refused.get('AGENCIES.OTHER_AGENCY')).toBeGreaterThan(300);
    expect(refused.get('AGENCIES.HAS_USER_ADMINISTRATOR')).toBeGreaterThan(80);
    expect(refused.get('AGENCIES.ALREADY_BOOTSTRAPPED')).toBeGreaterThan(300);
  });
});
