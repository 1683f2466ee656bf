import type { AgencyCode } from '../agencies/agencies';
import { addWeeks, isoWeekStart, type IsoWeek } from '../calendar';
import { shownCount, SMALL_COUNT, type ShownCount } from '../small-counts';
import {
  EST_CATEGORIES,
  type EstCategory,
  type EstCounts,
  type EstCountsEvent,
} from './est.events';

/** One agency's counts for one place and week, as last reported or corrected. */
export interface EstCountRecord {
  readonly placeId: string;
  readonly week: IsoWeek;
  readonly reportingAgency: AgencyCode;
  readonly counts: EstCounts;
}

/** The latest counts per place, week and agency from EST events (a correction replaces). */
export function foldEstCounts(events: Iterable<EstCountsEvent>): EstCountRecord[] {
  const latest = new Map<string, EstCountRecord>();
  for (const { data } of events) {
    latest.set(`${data.placeId}\u0000${data.week}\u0000${data.reportingAgency}`, {
      placeId: data.placeId,
      week: data.week,
      reportingAgency: data.reportingAgency,
      counts: data.counts,
    });
  }
  return [...latest.values()];
}

export type EstChange = 'rising' | 'falling' | 'stable';

/** Beyond this change from the four weeks before, the trend is rising or falling. */
const TREND_THRESHOLD = 0.25;

export interface EstSummary {
  readonly fromWeek: IsoWeek;
  readonly toWeek: IsoWeek;
  readonly precision: 'exact' | 'blurred';
  /** Counts per ISO week, area and category (categories with nothing counted are left out). */
  readonly weeks: readonly {
    readonly week: IsoWeek;
    readonly areaId: string;
    readonly category: EstCategory;
    readonly count: ShownCount;
  }[];
  /** The last 4 weeks up to `toWeek` against the 4 before, per area and category. */
  readonly trends: readonly {
    readonly areaId: string;
    readonly category: EstCategory;
    readonly last4Weeks: ShownCount;
    readonly previous4Weeks: ShownCount;
    readonly change: EstChange;
    /** Only for exact figures: a percentage of blurred counts would give them away. */
    readonly changePercent?: number | null;
  }[];
}

/** The change of the last four weeks against the four before, with ±25 % as the threshold. */
export function estChange(last: number, previous: number): EstChange {
  if (previous === 0) return last > 0 ? 'rising' : 'stable';
  const ratio = (last - previous) / previous;
  return ratio > TREND_THRESHOLD ? 'rising' : ratio < -TREND_THRESHOLD ? 'falling' : 'stable';
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The EST picture: counts per ISO week, area and category from `fromWeek` to `toWeek`, and the
 * trend at `toWeek`. Places count under their area (`areaOf`); a place in no area, under its
 * own id. Partners see exact figures; others, the board report and public views see 1–4 blurred.
 */
export function estSummary(
  records: readonly EstCountRecord[],
  areaOf: (placeId: string) => string,
  fromWeek: IsoWeek,
  toWeek: IsoWeek,
  precision: 'exact' | 'blurred',
): EstSummary {
  const from = isoWeekStart(fromWeek)!;
  const to = isoWeekStart(toWeek)!;
  const trendFrom = isoWeekStart(addWeeks(toWeek, -7))!;
  const sums = new Map<string, number>();
  const areas = new Set<string>();
  for (const r of records) {
    const start = isoWeekStart(r.week);
    if (!start || start > to || (start < from && start < trendFrom)) continue;
    const areaId = areaOf(r.placeId);
    areas.add(areaId);
    for (const category of EST_CATEGORIES) {
      const key = `${r.week}\u0000${areaId}\u0000${category}`;
      sums.set(key, (sums.get(key) ?? 0) + r.counts[category]);
    }
  }
  const weeks: EstSummary['weeks'][number][] = [];
  for (const [key, n] of sums) {
    const [week, areaId, category] = key.split('\u0000') as [IsoWeek, string, EstCategory];
    if (n === 0 || isoWeekStart(week)! < from) continue;
    weeks.push({ week, areaId, category, count: shownCount(n, precision) });
  }
  weeks.sort(
    (a, b) =>
      cmp(a.week, b.week) ||
      cmp(a.areaId, b.areaId) ||
      EST_CATEGORIES.indexOf(a.category) - EST_CATEGORIES.indexOf(b.category),
  );
  const window = (first: number, last: number, areaId: string, category: EstCategory) => {
    let n = 0;
    for (let i = first; i <= last; i++) {
      n += sums.get(`${addWeeks(toWeek, -i)}\u0000${areaId}\u0000${category}`) ?? 0;
    }
    return n;
  };
  const trends: EstSummary['trends'][number][] = [];
  for (const areaId of [...areas].sort(cmp)) {
    for (const category of EST_CATEGORIES) {
      const last = window(0, 3, areaId, category);
      const previous = window(4, 7, areaId, category);
      if (last === 0 && previous === 0) continue;
      // A blurred count and a direction against the other window would narrow it down (5 then
      // "fewer than 5", stable, can only be 4): with either window blurred, no trend is shown.
      if (precision === 'blurred' && (last < SMALL_COUNT || previous < SMALL_COUNT)) continue;
      trends.push({
        areaId,
        category,
        last4Weeks: shownCount(last, precision),
        previous4Weeks: shownCount(previous, precision),
        change: estChange(last, previous),
        ...(precision === 'exact'
          ? {
              changePercent:
                previous === 0 ? null : Math.round(((last - previous) / previous) * 100),
            }
          : {}),
      });
    }
  }
  return { fromWeek, toWeek, precision, weeks, trends };
}
