import type { Actor } from '../actor';
import { DomainError } from '../domain-error';
import {
  assertMayIssue,
  assertMayRead,
  isRestricted,
  mayRead,
  mayReceiveFeed,
  type Resource,
} from './access-policy';

const actor = (agency: Actor['agency'], role: Actor['role']): Actor => ({
  userId: `${agency}-${role}`,
  agency,
  role,
});
const policeOfficer = actor('police', 'officer');
const socialWorker = actor('social-services', 'social-worker');
const principal = actor('school', 'principal');
const teacher = actor('school', 'teacher');
const youthWorker = actor('leisure', 'youth-worker');
const housing = actor('housing-company', 'property-manager');
const dpo = actor('municipality', 'data-protection-officer');
const auditor = actor('police', 'auditor');

const restrictedReport: Resource = {
  kind: 'situation-report',
  reportingAgency: 'school',
  sensitivity: 'restricted',
  sharedWith: ['social-services'],
};
const talk: Resource = {
  kind: 'prevention-talk',
  participants: [
    { agency: 'police', role: 'officer' },
    { agency: 'social-services', role: 'social-worker' },
  ],
};

describe('access policy: who may read what', () => {
  it.each<[string, Actor, Resource, boolean]>([
    ['anyone reads the public promise', housing, { kind: 'citizen-promise' }, true],
    [
      'a partner reads an open report',
      youthWorker,
      { ...restrictedReport, sensitivity: 'open', sharedWith: [] },
      true,
    ],
    [
      'a housing company does not read the situation picture',
      housing,
      { kind: 'situation-picture' },
      false,
    ],
    ['the reporter reads its restricted report', principal, restrictedReport, true],
    ['a named agency reads a restricted report', socialWorker, restrictedReport, true],
    ['an agency not named does not', policeOfficer, restrictedReport, false],
    ['a participating agency in its role reads the talk', socialWorker, talk, true],
    ['the same agency in another role does not', actor('police', 'analyst'), talk, false],
    ['an agency that does not take part does not', principal, talk, false],
    ['not even the data protection officer reads talk content', dpo, talk, false],
    [
      'an invited housing company reads its safety walk',
      housing,
      { kind: 'safety-walk', invitedParties: ['housing-company'] },
      true,
    ],
    [
      'a housing company not invited does not',
      housing,
      { kind: 'safety-walk', invitedParties: [] },
      false,
    ],
    [
      'an agency’s auditor reads its own agency’s actions',
      auditor,
      { kind: 'audit-trail', actorAgency: 'police' },
      true,
    ],
    [
      'an agency’s auditor does not read another agency’s actions: each agency controls what it appends',
      auditor,
      { kind: 'audit-trail', actorAgency: 'school' },
      false,
    ],
    [
      'an agency’s data protection officer does not read another agency’s actions either',
      dpo,
      { kind: 'audit-trail', actorAgency: 'police' },
      false,
    ],
    [
      'the partnership auditor (granted by the safety coordinator) reads every agency’s actions',
      actor('municipality', 'partnership-auditor'),
      { kind: 'audit-trail', actorAgency: 'school' },
      true,
    ],
    [
      'an agency reads its own actions',
      teacher,
      { kind: 'audit-trail', actorAgency: 'school' },
      true,
    ],
    ['but not another agency’s', teacher, { kind: 'audit-trail', actorAgency: 'police' }, false],
    [
      'a DPO reads the read-access log of their own agency’s users',
      dpo,
      { kind: 'read-access-log', readerAgency: 'municipality' },
      true,
    ],
    [
      'a DPO does not read another agency’s reads',
      dpo,
      { kind: 'read-access-log', readerAgency: 'social-services' },
      false,
    ],
    [
      'an auditor does not read the read-access log',
      auditor,
      { kind: 'read-access-log', readerAgency: 'police' },
      false,
    ],
  ])('%s', (_, reader, resource, allowed) => {
    expect(mayRead(reader, resource).allowed).toBe(allowed);
  });

  it('marks reads of personal or restricted data for the read-access log', () => {
    expect(mayRead(socialWorker, talk)).toMatchObject({ allowed: true, logged: true });
    expect(mayRead(principal, restrictedReport)).toMatchObject({ allowed: true, logged: true });
    expect(mayRead(principal, { kind: 'citizen-promise' })).toMatchObject({ logged: false });
  });

  it('refuses with a forbidden refusal that says why', () => {
    expect(() => assertMayRead(principal, talk)).toThrow(DomainError);
    try {
      assertMayRead(principal, talk);
    } catch (error) {
      expect(error).toMatchObject({ kind: 'forbidden', code: 'ACCESS.NEED_TO_KNOW' });
    }
  });
});

describe('access policy: leisure in prevention talks (SSPF: school, social services, police, leisure)', () => {
  const talkWithLeisure: Resource = {
    kind: 'prevention-talk',
    participants: [
      { agency: 'police', role: 'officer' },
      { agency: 'social-services', role: 'social-worker' },
      { agency: 'leisure', role: 'youth-worker' },
    ],
  };
  it('a youth worker taking part reads the talk, and the read is logged', () => {
    expect(mayRead(youthWorker, talkWithLeisure)).toMatchObject({ allowed: true, logged: true });
  });
  it('a leisure user not taking part does not: another role, or a talk without leisure', () => {
    expect(mayRead(actor('leisure', 'leisure-manager'), talkWithLeisure).allowed).toBe(false);
    expect(mayRead(youthWorker, talk).allowed).toBe(false);
  });
  it("leisure's system receives the talk it takes part in, as restricted, and no other", () => {
    expect(mayReceiveFeed('leisure', talkWithLeisure)).toBe(true);
    expect(isRestricted(talkWithLeisure)).toBe(true);
    expect(mayReceiveFeed('leisure', talk)).toBe(false);
  });
  it('both leisure talk roles record on talks; other leisure roles do not', () => {
    expect(() => assertMayIssue(youthWorker, 'prevention-talks')).not.toThrow();
    expect(() =>
      assertMayIssue(actor('leisure', 'leisure-manager'), 'prevention-talks'),
    ).not.toThrow();
    expect(() => assertMayIssue(actor('leisure', 'auditor'), 'prevention-talks')).toThrow(
      DomainError,
    );
  });
});

describe('access policy: who may record', () => {
  it('auditors and the DPO read but never record', () => {
    expect(() => assertMayIssue(auditor, 'citizen-promise')).toThrow(
      expect.objectContaining({ code: 'ACCESS.READ_ONLY_ROLE' }) as Error,
    );
    expect(() => assertMayIssue(dpo, 'situation-picture')).toThrow(DomainError);
  });
  it('only the roles that hold SSPF talks record them', () => {
    expect(() => assertMayIssue(socialWorker, 'prevention-talks')).not.toThrow();
    expect(() =>
      assertMayIssue(actor('school', 'student-health'), 'prevention-talks'),
    ).not.toThrow();
    expect(() => assertMayIssue(teacher, 'prevention-talks')).toThrow(
      expect.objectContaining({ code: 'ACCESS.ROLE_MAY_NOT' }) as Error,
    );
    expect(() => assertMayIssue(actor('police', 'agency-system'), 'prevention-talks')).toThrow(
      DomainError,
    );
    expect(() => assertMayIssue(teacher, 'situation-picture')).not.toThrow();
  });
});
