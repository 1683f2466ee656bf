import { currentSchemaVersion, DOMAIN_UPCASTS } from './event-schemas';

describe('event schemas: the version new events are written with', () => {
  it.each([
    'CommitmentActivityRecorded',
    'CommitmentActivityCorrected',
    'SituationReported',
    'SituationReportCorrected',
    'SafetyWalkPlanned',
    'SafetyWalkConducted',
  ])('given %s, whose places became ids of the register, then version 2', (type) => {
    expect(currentSchemaVersion(type)).toBe(2);
  });

  it('given a type whose data never changed shape, or no known type, then version 1', () => {
    for (const type of ['PromiseDrafted', 'CommitmentCredited', 'PlaceRegistered', 'Unknown']) {
      expect(currentSchemaVersion(type)).toBe(1);
    }
  });

  it('rule: every older version of a type has exactly one upcast to the next, so any old event reads as the current shape', () => {
    const byType = new Map<string, number[]>();
    for (const u of DOMAIN_UPCASTS)
      byType.set(u.type, [...(byType.get(u.type) ?? []), u.fromVersion]);
    for (const [type, versions] of byType) {
      const expected = Array.from({ length: currentSchemaVersion(type) - 1 }, (_, i) => i + 1);
      expect([type, [...versions].sort((a, b) => a - b)]).toEqual([type, expected]);
    }
  });
});
