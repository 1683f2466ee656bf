import type { Actor } from '@samverkan/domain/actor';
import { AGENCIES, type AgencyCode } from '@samverkan/domain/agencies/agencies';
import type { StreamAudience } from '../relay/feed-audience';
import { mayFetchWithheld, type WithheldAccessFacts } from './withheld-access';

const system = (agency: AgencyCode): Actor => ({
  userId: `system:${agency}:records`,
  agency,
  role: 'agency-system',
});
const facts = (
  atEvent: StreamAudience,
  now: StreamAudience = atEvent,
  types: string[] = [],
): WithheldAccessFacts => ({
  audienceAtEvent: atEvent,
  audienceNow: now,
  streamTypes: new Set(types),
});
const talk = (...agencies: AgencyCode[]): StreamAudience => ({
  kind: 'prevention-talk',
  participants: agencies.map((agency) => ({
    agency,
    role: agency === 'police' ? 'officer' : 'social-worker',
  })),
});
const report = (sensitivity: 'open' | 'restricted'): StreamAudience => ({
  kind: 'situation-report',
  reportingAgency: 'school',
  sensitivity,
  sharedWith: [],
});

describe('who may fetch the personal fields a feed message withheld', () => {
  it('given a talk, then the systems of the agencies taking part may, logged (restricted); no other agency', () => {
    const audience = talk('social-services', 'police');
    expect(mayFetchWithheld(system('police'), facts(audience))).toMatchObject({ logged: true });
    expect(mayFetchWithheld(system('school'), facts(audience))).toBeUndefined();
  });

  it('given an agency taken off the talk since, then it may no longer fetch what it was sent', () => {
    const before = talk('social-services', 'police');
    const after = talk('social-services');
    expect(mayFetchWithheld(system('police'), facts(before, after))).toBeUndefined();
  });

  it('given an open report, then every partner’s system may, unlogged; a non-partner may not', () => {
    expect(mayFetchWithheld(system('leisure'), facts(report('open')))).toMatchObject({
      logged: false,
    });
    expect(mayFetchWithheld(system('housing-company'), facts(report('open')))).toBeUndefined();
  });

  it('given a retracted report, then only the reporting agency fetches what it said', () => {
    const open = report('open');
    const retracted = facts(open, open, ['SituationReported', 'SituationReportRetracted']);
    expect(mayFetchWithheld(system('police'), retracted)).toBeUndefined();
    expect(mayFetchWithheld(system('school'), retracted)).toBeDefined();
  });

  it('given an erasure, then every agency’s system may (it was sent to all), unlogged', () => {
    for (const agency of AGENCIES) {
      expect(
        mayFetchWithheld(system(agency), facts({ kind: 'personal-data-erasure' })),
      ).toMatchObject({ allowed: true, logged: false });
    }
  });

  it('given a stream that is not on the feed, then nobody may', () => {
    expect(mayFetchWithheld(system('police'), facts(null))).toBeUndefined();
    expect(
      mayFetchWithheld(
        { userId: 'dso', agency: 'police', role: 'data-protection-officer' },
        facts({ kind: 'read-access-log', readerAgency: 'police' }),
      ),
    ).toBeUndefined();
  });

  it('given a person rather than a system, then the API’s read rules apply as well', () => {
    const audience = talk('social-services', 'police');
    const officer: Actor = { userId: 'o', agency: 'police', role: 'officer' };
    const analyst: Actor = { userId: 'a', agency: 'police', role: 'analyst' };
    expect(mayFetchWithheld(officer, facts(audience))).toMatchObject({ logged: true });
    // The police receive the talk, but an analyst does not take part in it.
    expect(mayFetchWithheld(analyst, facts(audience))).toBeUndefined();
  });
});
