import fc from 'fast-check';
import type { AgencyCode } from '../agencies/agencies';
import { estChange, estSummary, foldEstCounts, type EstCountRecord } from './est-summary';
import { EST_CATEGORIES, type EstCategory, type EstCounts } from './est.events';

const zero = Object.fromEntries(EST_CATEGORIES.map((c) => [c, 0])) as Record<EstCategory, number>;
const rec = (
  placeId: string,
  week: string,
  counts: Partial<EstCounts>,
  reportingAgency: AgencyCode = 'municipal-security',
): EstCountRecord => ({ placeId, week, reportingAgency, counts: { ...zero, ...counts } });

/** Two places in Skoghall centrum; Sörvikshamnen lies in no area and counts under itself. */
const AREAS: Readonly<Record<string, string>> = {
  lillangshamnen: 'skoghall-centrum',
  'skoghall-torget': 'skoghall-centrum',
};
const areaOf = (placeId: string): string => AREAS[placeId] ?? placeId;

describe('EST summary: counts per ISO week, area and category', () => {
  it('rule: counts of places in one area, from every agency, are summed per week and category; nothing counted is left out', () => {
    const summary = estSummary(
      [
        rec('lillangshamnen', '2024-W10', { vandalism: 2 }),
        rec('skoghall-torget', '2024-W10', { vandalism: 3, rumours: 6 }, 'police'),
        rec('lillangshamnen', '2024-W10', { vandalism: 1 }, 'housing-company'),
        rec('sorvikshamnen', '2024-W10', { littering: 7 }),
      ],
      areaOf,
      '2024-W10',
      '2024-W10',
      'exact',
    );
    expect(summary.weeks).toEqual([
      { week: '2024-W10', areaId: 'skoghall-centrum', category: 'vandalism', count: 6 },
      { week: '2024-W10', areaId: 'skoghall-centrum', category: 'rumours', count: 6 },
      { week: '2024-W10', areaId: 'sorvikshamnen', category: 'littering', count: 7 },
    ]);
  });

  it('rule: only the weeks from `fromWeek` to `toWeek` are listed, in week order', () => {
    const summary = estSummary(
      [
        rec('sorvikshamnen', '2024-W12', { fires: 5 }),
        rec('sorvikshamnen', '2024-W08', { fires: 5 }),
        rec('sorvikshamnen', '2024-W09', { fires: 5 }),
        rec('sorvikshamnen', '2024-W13', { fires: 5 }),
        rec('sorvikshamnen', '2024-W10', { fires: 5 }),
      ],
      areaOf,
      '2024-W09',
      '2024-W12',
      'exact',
    );
    expect(summary.weeks.map((w) => w.week)).toEqual(['2024-W09', '2024-W10', '2024-W12']);
    expect(summary).toMatchObject({ fromWeek: '2024-W09', toWeek: '2024-W12', precision: 'exact' });
  });

  it('rule: the trend is the last 4 weeks up to `toWeek` against the 4 before, beyond ±25 % rising or falling', () => {
    // Weeks 3-6 are the previous four, 7-10 the last four; the listing starts at week 10.
    const summary = estSummary(
      [
        rec('lillangshamnen', '2024-W03', { vandalism: 8, rumours: 8, littering: 8, fires: 8 }),
        rec('lillangshamnen', '2024-W07', { vandalism: 4, rumours: 4, littering: 6, fires: 4 }),
        rec('skoghall-torget', '2024-W10', { vandalism: 6, rumours: 7, 'gathering-places': 2 }),
        // Outside both windows: week 2 is before them, week 11 after `toWeek`.
        rec('lillangshamnen', '2024-W02', { 'unsafe-places': 9 }),
        rec('lillangshamnen', '2024-W11', { 'unsafe-places': 9, vandalism: 50 }),
      ],
      areaOf,
      '2024-W10',
      '2024-W10',
      'exact',
    );
    expect(summary.trends).toEqual([
      {
        areaId: 'skoghall-centrum',
        category: 'vandalism',
        last4Weeks: 10,
        previous4Weeks: 8,
        change: 'stable',
        changePercent: 25,
      },
      {
        areaId: 'skoghall-centrum',
        category: 'gathering-places',
        last4Weeks: 2,
        previous4Weeks: 0,
        change: 'rising',
        changePercent: null,
      },
      {
        areaId: 'skoghall-centrum',
        category: 'rumours',
        last4Weeks: 11,
        previous4Weeks: 8,
        change: 'rising',
        changePercent: 38,
      },
      {
        areaId: 'skoghall-centrum',
        category: 'littering',
        last4Weeks: 6,
        previous4Weeks: 8,
        change: 'stable',
        changePercent: -25,
      },
      {
        areaId: 'skoghall-centrum',
        category: 'fires',
        last4Weeks: 4,
        previous4Weeks: 8,
        change: 'falling',
        changePercent: -50,
      },
    ]);
  });

  it('rule: the trend’s weeks run across the turn of the year, and no further back than eight weeks', () => {
    // Last four: 2024-W51, W52, 2025-W01, W02; the four before: 2024-W47 to W50.
    const records = [
      rec('sorvikshamnen', '2024-W52', { vandalism: 10 }),
      rec('sorvikshamnen', '2024-W47', { vandalism: 5 }),
      rec('sorvikshamnen', '2024-W46', { vandalism: 100 }),
    ];
    const trend = expect.objectContaining({
      category: 'vandalism',
      last4Weeks: 10,
      previous4Weeks: 5,
      change: 'rising',
    });
    const fromNewYear = estSummary(records, areaOf, '2025-W01', '2025-W02', 'exact');
    expect(fromNewYear.trends).toEqual([trend]);
    expect(fromNewYear.weeks).toEqual([]);
    // Listing the autumn too does not stretch the trend's windows: week 46 stays out of them.
    const fromAutumn = estSummary(records, areaOf, '2024-W40', '2025-W02', 'exact');
    expect(fromAutumn.trends).toEqual([trend]);
    expect(fromAutumn.weeks.map((w) => [w.week, w.count])).toEqual([
      ['2024-W46', 100],
      ['2024-W47', 5],
      ['2024-W52', 10],
    ]);
  });

  it('rule: blurred, every count from 1 to 4 is "fewer than 5", and no percentage or direction between two small counts gives them away', () => {
    const summary = estSummary(
      [
        rec('sorvikshamnen', '2024-W03', { vandalism: 3, littering: 9 }),
        rec('sorvikshamnen', '2024-W10', { vandalism: 3, littering: 5, rumours: 1 }),
      ],
      areaOf,
      '2024-W10',
      '2024-W10',
      'blurred',
    );
    expect(summary.precision).toBe('blurred');
    expect(summary.weeks.map((w) => [w.category, w.count])).toEqual([
      ['vandalism', 'fewer than 5'],
      ['rumours', 'fewer than 5'],
      ['littering', 5],
    ]);
    expect(
      summary.trends.map((t) => [t.category, t.last4Weeks, t.previous4Weeks, t.change]),
    ).toEqual([['littering', 5, 9, 'falling']]);
    for (const trend of summary.trends) expect(trend).not.toHaveProperty('changePercent');
  });

  it('given exact precision, then the same small counts as they are', () => {
    const summary = estSummary(
      [rec('sorvikshamnen', '2024-W10', { vandalism: 4 })],
      areaOf,
      '2024-W10',
      '2024-W10',
      'exact',
    );
    expect(summary.weeks[0]?.count).toBe(4);
    expect(summary.trends[0]).toMatchObject({ last4Weeks: 4, changePercent: null });
  });
});

describe('EST summary: the latest counts from the log', () => {
  it('given a report and its correction, then the correction; other agencies’ counts for the week stand beside it', () => {
    const records = foldEstCounts([
      {
        type: 'EstCountsReported',
        data: {
          placeId: 'lillangshamnen',
          week: '2024-W22',
          reportingAgency: 'municipal-security',
          counts: { ...zero, vandalism: 3 },
        },
      },
      {
        type: 'EstCountsReported',
        data: {
          placeId: 'lillangshamnen',
          week: '2024-W22',
          reportingAgency: 'police',
          counts: { ...zero, vandalism: 1 },
        },
      },
      {
        type: 'EstCountsCorrected',
        data: {
          placeId: 'lillangshamnen',
          week: '2024-W22',
          reportingAgency: 'municipal-security',
          counts: { ...zero, vandalism: 5 },
          reason: 'Sena anmälningar',
        },
      },
    ]);
    expect(records.map((r) => [r.reportingAgency, r.counts.vandalism])).toEqual([
      ['municipal-security', 5],
      ['police', 1],
    ]);
  });
});

describe('EST summary: the change of four weeks against the four before', () => {
  it('given nothing before, then rising when anything is counted now, stable when nothing is', () => {
    expect(estChange(1, 0)).toBe('rising');
    expect(estChange(0, 0)).toBe('stable');
    expect(estChange(0, 3)).toBe('falling');
  });

  it('for any counts, rising exactly above +25 %, falling exactly below -25 %, stable between, the bounds included', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.integer({ min: 1, max: 1_000_000 }), (last, previous) => {
        // In whole numbers: last > 1.25 × previous, last < 0.75 × previous.
        const expected =
          4 * last > 5 * previous ? 'rising' : 4 * last < 3 * previous ? 'falling' : 'stable';
        expect(estChange(last, previous)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
    // The bounds themselves, which random draws rarely hit.
    for (const previous of [4, 8, 400, 1000]) {
      expect(estChange((previous * 5) / 4, previous)).toBe('stable');
      expect(estChange((previous * 3) / 4, previous)).toBe('stable');
      expect(estChange((previous * 5) / 4 + 1, previous)).toBe('rising');
      expect(estChange((previous * 3) / 4 - 1, previous)).toBe('falling');
    }
  });
});
