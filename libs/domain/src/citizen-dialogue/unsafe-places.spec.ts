import { DomainError } from '../domain-error';
import {
  acceptedReport,
  assertMayHandleCitizenDialogue,
  isUnsafeCategory,
  submissionsKeptFrom,
  UNSAFE_CATEGORIES,
} from './unsafe-places';

describe("citizen dialogue: residents' submissions of places where they feel unsafe", () => {
  it('given a category of the fixed list, then it is one; anything else, free text too, is not', () => {
    for (const category of UNSAFE_CATEGORIES) expect(isUnsafeCategory(category)).toBe(true);
    expect(isUnsafeCategory('Min granne på Skogsvägen 3')).toBe(false);
    expect(isUnsafeCategory(undefined)).toBe(false);
    expect(isUnsafeCategory('POOR-LIGHTING')).toBe(false);
  });

  it("given the municipality's safety coordinator, then they may handle submissions; no one else", () => {
    expect(() =>
      assertMayHandleCitizenDialogue({
        userId: 's',
        agency: 'municipality',
        role: 'safety-coordinator',
      }),
    ).not.toThrow();
    for (const by of [
      { userId: 'p', agency: 'police', role: 'officer' },
      { userId: 'a', agency: 'municipality', role: 'user-administrator' },
    ] as const) {
      let error: unknown;
      try {
        assertMayHandleCitizenDialogue(by);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).kind).toBe('forbidden');
    }
  });

  it('given a retention of 30 days, then submissions received before the day 30 days ago are past it', () => {
    expect(submissionsKeptFrom('2026-03-31', 30)).toBe('2026-03-01');
    expect(submissionsKeptFrom('2026-01-10', 30)).toBe('2025-12-11');
  });

  it('given an accepted group, then an open situation report about its place, from citizen dialogue', () => {
    expect(
      acceptedReport(
        { placeId: 'lillangshamnen' },
        {
          reportId: 'r-1',
          problemArea: 'vandalism-burglary',
          period: { from: '2026-11-01', to: '2026-11-20' },
          trend: 'rising',
          severity: 'medium',
          description: 'Tre invånare känner sig otrygga vid hamnen: dålig belysning.',
        },
      ),
    ).toEqual({
      type: 'ReportSituation',
      reportId: 'r-1',
      placeIds: ['lillangshamnen'],
      problemArea: 'vandalism-burglary',
      period: { from: '2026-11-01', to: '2026-11-20' },
      trend: 'rising',
      severity: 'medium',
      description: 'Tre invånare känner sig otrygga vid hamnen: dålig belysning.',
      source: 'citizen-dialogue',
      sensitivity: 'open',
      sharedWith: [],
    });
  });
});
