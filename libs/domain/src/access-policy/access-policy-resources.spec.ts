import type { Actor } from '../actor';
import { AGENCIES, PARTNER_AGENCIES, type AgencyCode } from '../agencies/agencies';
import {
  estPrecision,
  isPublic,
  isRestricted,
  mayRead,
  mayReceiveFeed,
  type Resource,
} from './access-policy';

const actor = (agency: AgencyCode, role: Actor['role']): Actor => ({
  userId: `${agency}-${role}`,
  agency,
  role,
});
const police = actor('police', 'officer');
const youthWorker = actor('leisure', 'youth-worker');
const housing = actor('housing-company', 'property-manager');
const rescue = actor('rescue-service', 'rescue-officer');
const guard = actor('municipal-security', 'security-guard');

/** Reported by the rescue service, given to the housing company, now with the municipality. */
const finding: Resource = {
  kind: 'finding',
  reportingAgency: 'rescue-service',
  responsibleParties: ['housing-company', 'municipality'],
};
const othersFinding: Resource = {
  kind: 'finding',
  reportingAgency: 'police',
  responsibleParties: ['municipality'],
};
const nonPartners = AGENCIES.filter((a) => !PARTNER_AGENCIES.includes(a));

describe('access policy: findings reported outside a walk', () => {
  it.each<[string, Actor, Resource, boolean]>([
    ['a partner reads any finding', youthWorker, othersFinding, true],
    ['the agency that reported it reads it, partner or not', rescue, finding, true],
    ['a party it was given to reads it, also after handing it on', housing, finding, true],
    ['a housing company not involved does not', housing, othersFinding, false],
    ['the rescue service not involved does not', rescue, othersFinding, false],
  ])('%s', (_rule, reader, resource, allowed) => {
    expect(mayRead(reader, resource).allowed).toBe(allowed);
  });

  it('rule: the feed follows the same need to know, agency by agency', () => {
    for (const agency of AGENCIES) {
      const reader = actor(agency, 'auditor');
      for (const resource of [finding, othersFinding]) {
        expect([agency, mayReceiveFeed(agency, resource)]).toEqual([
          agency,
          mayRead(reader, resource).allowed,
        ]);
      }
    }
    expect(mayReceiveFeed('housing-company', othersFinding)).toBe(false);
    expect(mayReceiveFeed('housing-company', finding)).toBe(true);
  });

  it('rule: a finding is neither public nor restricted data, and its read is not logged', () => {
    expect(isPublic(finding)).toBe(false);
    expect(isRestricted(finding)).toBe(false);
    expect(mayRead(police, finding)).toMatchObject({ allowed: true, logged: false });
  });
});

describe('access policy: the places register', () => {
  it('rule: the register is public: every agency reads it and receives it, now and any that joins later', () => {
    for (const agency of AGENCIES) {
      expect(mayRead(actor(agency, 'auditor'), { kind: 'places' })).toMatchObject({
        allowed: true,
        logged: false,
      });
      expect(mayReceiveFeed(agency, { kind: 'places' })).toBe(true);
    }
    expect(isPublic({ kind: 'places' })).toBe(true);
    expect(isRestricted({ kind: 'places' })).toBe(false);
  });
});

describe('access policy: EST counts', () => {
  it('rule: the weekly counts place by place are the partners’ only', () => {
    for (const agency of PARTNER_AGENCIES) {
      expect(mayRead(actor(agency, 'auditor'), { kind: 'est-counts' }).allowed).toBe(true);
      expect(mayReceiveFeed(agency, { kind: 'est-counts' })).toBe(true);
    }
    // A housing company reports EST counts, but does not read everyone's week by week.
    for (const agency of nonPartners) {
      expect(mayRead(actor(agency, 'auditor'), { kind: 'est-counts' }).allowed).toBe(false);
      expect(mayReceiveFeed(agency, { kind: 'est-counts' })).toBe(false);
    }
    expect(isPublic({ kind: 'est-counts' })).toBe(false);
  });

  it('rule: partners see EST sums exactly; every other agency sees 1 to 4 blurred', () => {
    expect(estPrecision(police)).toBe('exact');
    expect(estPrecision(guard)).toBe('exact');
    expect(estPrecision(youthWorker)).toBe('exact');
    expect(estPrecision(housing)).toBe('blurred');
    expect(estPrecision(rescue)).toBe('blurred');
    for (const agency of AGENCIES) {
      expect(estPrecision(actor(agency, 'auditor'))).toBe(
        PARTNER_AGENCIES.includes(agency) ? 'exact' : 'blurred',
      );
    }
  });
});
