import fc from 'fast-check';
import type { Actor } from '../actor';
import { DomainError } from '../domain-error';
import { specFor } from '../given-when-then';
import { containsPersonalIdentityNumber } from '../personal-data';
import {
  AGENCIES,
  allRoles,
  isRoleOf,
  ROLES_BY_AGENCY,
  type AgencyCode,
  type Role,
} from './agencies';
import type {
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
const municipality: Actor = {
  userId: 'u-kommun',
  agency: 'municipality',
  role: 'safety-coordinator',
};
const social: Actor = { userId: 'u-social', agency: 'social-services', role: 'agency-system' };
const school: Actor = { userId: 'u-school', agency: 'school', role: 'principal' };
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
const granted: UserRoleGranted = {
  type: 'UserRoleGranted',
  data: { userId: 'anna.social', agency: 'social-services', role: 'social-worker' },
};
const revoked: UserRoleRevoked = {
  type: 'UserRoleRevoked',
  data: {
    userId: 'anna.social',
    agency: 'social-services',
    role: 'social-worker',
    reason: 'Har bytt tjänst',
  },
};
const established = [formedEvent, policeJoined, socialJoined] as const;

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
    spec.given().when(form(municipality)).then(formedEvent);
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
    for (const command of [join(police, 'school'), grant(social), revoke(social)]) {
      spec.given().when(command).thenRefused('AGENCIES.NOT_FOUND', 'not_found');
    }
  });
  it('lets the police area and the municipality bring agencies in, each once', () => {
    spec
      .given(formedEvent)
      .when(join(municipality, 'school'))
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
      .when(join(municipality, 'social-services'))
      .thenRefused('AGENCIES.ALREADY_JOINED', 'conflict');
  });
});

describe('partnership: an agency manages the roles of its own users', () => {
  it('grants a role to a user of a joined agency, by that agency', () => {
    spec
      .given(...established)
      .when(grant(social))
      .then(granted);
    const state = stateAfter(...established, granted);
    expect(state.users.get('anna.social')).toEqual({
      agency: 'social-services',
      roles: ['social-worker'],
    });
  });
  it('grants the same user several roles of the agency, and the common roles', () => {
    const second: UserRoleGranted = {
      type: 'UserRoleGranted',
      data: { ...granted.data, role: 'unit-manager' },
    };
    spec
      .given(...established, granted)
      .when(grant(social, { role: 'unit-manager' }))
      .then(second);
    spec
      .given(...established)
      .when(grant(social, { role: 'data-protection-officer' }))
      .then({
        type: 'UserRoleGranted',
        data: { ...granted.data, role: 'data-protection-officer' },
      });
    expect(stateAfter(...established, granted, second).users.get('anna.social')?.roles).toEqual([
      'social-worker',
      'unit-manager',
    ]);
  });
  it('refuses to grant or revoke for an agency that has not joined', () => {
    spec
      .given(...established)
      .when(grant(school, { userId: 'rektor.1', agency: 'school', role: 'principal' }))
      .thenRefused('AGENCIES.AGENCY_NOT_JOINED', 'rejected');
    spec
      .given(...established)
      .when(revoke(school, { userId: 'rektor.1', agency: 'school', role: 'principal' }))
      .thenRefused('AGENCIES.AGENCY_NOT_JOINED', 'rejected');
  });
  it('refuses a grant or revocation by another agency than the user’s, even by a party', () => {
    spec
      .given(...established)
      .when(grant(police))
      .thenRefused('AGENCIES.OTHER_AGENCY', 'forbidden');
    spec
      .given(...established, granted)
      .when(revoke(municipality))
      .thenRefused('AGENCIES.OTHER_AGENCY', 'forbidden');
  });
  it('refuses to take over a user another agency manages', () => {
    spec
      .given(...established, granted)
      .when(grant(police, { agency: 'police', role: 'officer' }))
      .thenRefused('AGENCIES.OTHER_AGENCY', 'forbidden');
    // Once the other agency has revoked every role, the id is free.
    spec
      .given(...established, granted, revoked)
      .when(grant(police, { agency: 'police', role: 'officer' }))
      .then({
        type: 'UserRoleGranted',
        data: { userId: 'anna.social', agency: 'police', role: 'officer' },
      });
  });
  it('refuses a role that is not the agency’s', () => {
    spec
      .given(...established)
      .when(grant(social, { role: 'officer' }))
      .thenRefused('AGENCIES.ROLE_NOT_OF_AGENCY', 'rejected');
    spec
      .given(...established, granted)
      .when(revoke(social, { role: 'officer' }))
      .thenRefused('AGENCIES.ROLE_NOT_OF_AGENCY', 'rejected');
  });
  it('refuses a role the user holds already', () => {
    spec
      .given(...established, granted)
      .when(grant(social))
      .thenRefused('AGENCIES.ROLE_ALREADY_GRANTED', 'conflict');
  });
  it('refuses a user id that holds a personal identity number', () => {
    for (const userId of [PIN, `anna-${PIN.replace('-', '')}`, '19811218-9876']) {
      spec
        .given(...established)
        .when(grant(social, { userId }))
        .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER', 'rejected');
      spec
        .given(...established)
        .when(revoke(social, { userId }))
        .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER', 'rejected');
    }
  });
  it('revokes a role held, with a reason; a user without roles is gone', () => {
    spec
      .given(...established, granted)
      .when(revoke(social))
      .then(revoked);
    expect(stateAfter(...established, granted, revoked).users.has('anna.social')).toBe(false);
  });
  it('refuses to revoke a role not held', () => {
    spec
      .given(...established)
      .when(revoke(social))
      .thenRefused('AGENCIES.ROLE_NOT_GRANTED', 'conflict');
    spec
      .given(...established, granted, revoked)
      .when(revoke(social))
      .thenRefused('AGENCIES.ROLE_NOT_GRANTED', 'conflict');
    spec
      .given(...established, granted)
      .when(revoke(social, { role: 'unit-manager' }))
      .thenRefused('AGENCIES.ROLE_NOT_GRANTED', 'conflict');
    // A common role held under social services is not held under the police.
    const auditor: UserRoleGranted = {
      type: 'UserRoleGranted',
      data: { ...granted.data, role: 'auditor' },
    };
    spec
      .given(...established, auditor)
      .when(revoke(police, { agency: 'police', role: 'auditor' }))
      .thenRefused('AGENCIES.ROLE_NOT_GRANTED', 'conflict');
  });
  it('needs a reason to revoke, without a personal identity number', () => {
    spec
      .given(...established, granted)
      .when(revoke(social, { reason: '  ' }))
      .thenRefused('AGENCIES.REASON_REQUIRED', 'rejected');
    spec
      .given(...established, granted)
      .when(revoke(social, { reason: `Begäran från ${PIN}` }))
      .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER', 'rejected');
  });
});

describe('partnership: invariants for any sequence of commands', () => {
  const actor = (agency: AgencyCode): Actor => ({
    userId: `u-${agency}`,
    agency,
    role: 'agency-system',
  });
  const agency = fc.constantFrom(...AGENCIES);
  const party = fc.constantFrom<AgencyCode>('police', 'municipality');
  /** Mostly the agency's own user ids; a shared id and a personal identity number now and then. */
  const userIdOf = (a: AgencyCode): fc.Arbitrary<string> =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(`${a}.1`, `${a}.2`) },
      { weight: 1, arbitrary: fc.constantFrom('shared.1', PIN) },
    );
  /** Mostly the two agencies the runs start with, so that grants and revocations meet. */
  const managing = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom<AgencyCode>('police', 'social-services') },
    { weight: 1, arbitrary: agency },
  );
  /** Mostly the agency's own roles and its own users, with roles of any agency and strangers now and then. */
  const roleOf = (a: AgencyCode): fc.Arbitrary<Role> =>
    fc.oneof(
      // Few roles, so that revocations often hit a role that is held.
      { weight: 4, arbitrary: fc.constantFrom<Role>(ROLES_BY_AGENCY[a][0], 'auditor') },
      { weight: 1, arbitrary: fc.constantFrom(...allRoles()) },
    );
  const byFor = (a: AgencyCode): fc.Arbitrary<Actor> =>
    fc.oneof({ weight: 4, arbitrary: fc.constant(a) }, { weight: 1, arbitrary: agency }).map(actor);

  const commandArb: fc.Arbitrary<PartnershipCommand> = fc.oneof(
    fc
      .record({ by: fc.oneof(party, agency).map(actor), agency })
      .map((r) => join(r.by, r.agency, 'Namn')),
    {
      weight: 4,
      arbitrary: managing.chain((a) =>
        fc
          .record({ by: byFor(a), userId: userIdOf(a), role: roleOf(a) })
          .map((r) => grant(r.by, { ...r, agency: a })),
      ),
    },
    {
      weight: 3,
      arbitrary: managing.chain((a) =>
        fc
          .record({
            by: byFor(a),
            userId: userIdOf(a),
            role: roleOf(a),
            reason: fc.constantFrom('Slutat', ''),
          })
          .map((r) => revoke(r.by, { ...r, agency: a })),
      ),
    },
  );

  let grants = 0;
  let revocations = 0;
  it('every role held fits a joined agency, was granted by that agency, once, and each user belongs to one agency', () => {
    fc.assert(
      fc.property(
        fc.array(commandArb, { minLength: 10, maxLength: 80, size: 'max' }),
        (commands) => {
          let state = spec.given(...established).state;
          /** What the accepted events say each user holds, kept apart from the decider's state. */
          const held = new Map<string, { agency: AgencyCode; roles: Set<Role> }>();
          for (const command of commands) {
            let events: readonly PartnershipEvent[];
            try {
              events = partnershipDecider.decide(command, state);
            } catch (error) {
              expect(error).toBeInstanceOf(DomainError);
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
                  expect(command.by.agency).toBe(a);
                  expect(before.agencies.has(a)).toBe(true);
                  expect(isRoleOf(a, r)).toBe(true);
                  expect(containsPersonalIdentityNumber(id)).toBe(false);
                  const user = held.get(id) ?? { agency: a, roles: new Set<Role>() };
                  expect(user.agency).toBe(a);
                  expect(user.roles.has(r)).toBe(false);
                  held.set(id, { agency: a, roles: user.roles.add(r) });
                  grants++;
                  break;
                }
                case 'UserRoleRevoked': {
                  const { userId: id, agency: a, role: r } = event.data;
                  expect(command.by.agency).toBe(a);
                  expect(event.data.reason.trim()).not.toBe('');
                  const user = held.get(id);
                  expect(user?.agency).toBe(a);
                  expect(user?.roles.has(r)).toBe(true);
                  user?.roles.delete(r);
                  if (user?.roles.size === 0) held.delete(id);
                  revocations++;
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
    // The property is only worth something if grants and revocations were accepted.
    expect(grants).toBeGreaterThan(1000);
    expect(revocations).toBeGreaterThan(200);
  });
});
