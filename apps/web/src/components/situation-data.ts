/**
 * The situation picture as the page shows it: the API's answer flattened to one report each,
 * narrowed by the selection, grouped by place and weighed for the map's colours. Pure: no
 * request, no React.
 */

import { swedishDay } from '../calendar';

export interface PictureReport {
  readonly reportId: string;
  readonly reportingAgency: string;
  readonly sensitivity: 'open' | 'restricted';
  readonly reportedAt: string;
  readonly changedAt: string;
  readonly changedSinceLastMeeting: boolean;
  /** Null for a restricted report asked for without a purpose: it has no place to draw. */
  readonly content: {
    readonly places: readonly { readonly placeId: string; readonly name: string }[];
    readonly unresolvedPlace?: string;
    readonly period: { readonly from: string; readonly to: string };
    readonly trend: string;
    readonly severity: string;
    readonly description: string;
    readonly source: string;
  } | null;
}

export interface Picture {
  readonly asOf?: string;
  readonly lastMeeting: {
    readonly confirmationId: string;
    readonly meetingOn: string;
    readonly period: { readonly from: string; readonly to: string };
  } | null;
  readonly areas: readonly {
    readonly areaId: string;
    readonly problemArea: string;
    readonly reports: readonly PictureReport[];
  }[];
}

export type Report = PictureReport & { readonly problemArea: string; readonly areaId: string };
export type ShownReport = Report & { readonly content: NonNullable<Report['content']> };

export interface Selection {
  readonly problemArea: string;
  readonly agency: string;
  readonly from: string;
  readonly to: string;
}

export type SinceMeeting = 'new' | 'changed' | undefined;

export interface EstTrend {
  readonly areaId: string;
  readonly last4Weeks: number | string;
  readonly change: 'rising' | 'falling' | 'stable';
}

export { swedishDay } from '../calendar';

/** A day `days` after (or before) a YYYY-MM-DD. */
export function addDays(day: string, days: number): string {
  const at = new Date(`${day}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** The ISO week (YYYY-Www) a day falls in, as the EST picture names weeks. */
export function isoWeek(day: string): string {
  const at = new Date(`${day}T00:00:00Z`);
  const weekday = (at.getUTCDay() + 6) % 7;
  at.setUTCDate(at.getUTCDate() - weekday + 3); // the Thursday of that week
  const year = at.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  firstThursday.setUTCDate(firstThursday.getUTCDate() - ((firstThursday.getUTCDay() + 6) % 7) + 3);
  const week = 1 + Math.round((at.getTime() - firstThursday.getTime()) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Every report of the picture, once, with its problem area and area. */
export function flatten(picture: Picture): Report[] {
  return picture.areas.flatMap((group) =>
    group.reports.map((r) => ({ ...r, problemArea: group.problemArea, areaId: group.areaId })),
  );
}

const overlaps = (period: { from: string; to: string }, from: string, to: string) =>
  (from === '' || period.to >= from) && (to === '' || period.from <= to);

/** The reports the selection keeps (problem area, reporting agency, a period they overlap). */
export function select(reports: readonly Report[], s: Selection): Report[] {
  return reports.filter(
    (r) =>
      (s.problemArea === '' || r.problemArea === s.problemArea) &&
      (s.agency === '' || r.reportingAgency === s.agency) &&
      (r.content === null || overlaps(r.content.period, s.from, s.to)),
  );
}

/** Current: its period overlaps the four weeks up to the day the picture is of. */
export function isCurrent(r: ShownReport, day: string): boolean {
  return overlaps(r.content.period, addDays(day, -27), day);
}

/**
 * What a report is to the last confirmed picture: new (not among the reports it rests on, and
 * recorded on or after the meeting day) or changed (corrected after the meeting day).
 */
export function sinceMeeting(
  r: Report,
  meetingOn: string | undefined,
  confirmed: ReadonlySet<string>,
): SinceMeeting {
  if (meetingOn === undefined) return undefined;
  const corrected = r.changedAt > r.reportedAt;
  if (!confirmed.has(r.reportId)) {
    if (swedishDay(r.reportedAt) >= meetingOn) return 'new';
    return corrected && swedishDay(r.changedAt) >= meetingOn ? 'changed' : undefined;
  }
  return corrected && r.changedSinceLastMeeting ? 'changed' : undefined;
}

export interface PlaceSummary {
  readonly placeId: string;
  readonly name: string;
  readonly reports: readonly ShownReport[];
  readonly current: number;
  /** EST incidents of the last four weeks where the place is an area; undefined if none. */
  readonly est?: { readonly total: number; readonly blurred: boolean; readonly rising: boolean };
  /** 0 none current, 1 some, 2 raised. */
  readonly level: 0 | 1 | 2;
}

/** The places behind the reports (and the areas with EST incidents), weighed. */
export function summarisePlaces(
  reports: readonly ShownReport[],
  day: string,
  est: readonly EstTrend[] | undefined,
  nameOf: (placeId: string) => string | undefined,
): PlaceSummary[] {
  const byPlace = new Map<string, ShownReport[]>();
  for (const r of reports) {
    for (const p of r.content.places) {
      const list = byPlace.get(p.placeId) ?? [];
      list.push(r);
      byPlace.set(p.placeId, list);
    }
  }
  const estByArea = new Map<string, { total: number; blurred: boolean; rising: boolean }>();
  for (const e of est ?? []) {
    const sum = estByArea.get(e.areaId) ?? { total: 0, blurred: false, rising: false };
    if (typeof e.last4Weeks === 'number') sum.total += e.last4Weeks;
    else sum.blurred = true;
    if (e.change === 'rising') sum.rising = true;
    estByArea.set(e.areaId, sum);
  }
  const ids = new Set([
    ...byPlace.keys(),
    ...[...estByArea].filter(([, e]) => e.total > 0 || e.blurred).map(([id]) => id),
  ]);
  const places: PlaceSummary[] = [];
  for (const placeId of ids) {
    const name = nameOf(placeId);
    if (name === undefined) continue;
    const at = byPlace.get(placeId) ?? [];
    const current = at.filter((r) => isCurrent(r, day));
    const e = estByArea.get(placeId);
    const estShown = e && (e.total > 0 || e.blurred) ? e : undefined;
    const raised =
      current.length >= 2 ||
      current.some((r) => r.content.severity === 'high' || r.content.trend === 'rising') ||
      (estShown?.rising ?? false);
    places.push({
      placeId,
      name,
      reports: at,
      current: current.length,
      ...(estShown ? { est: estShown } : {}),
      level: raised ? 2 : current.length > 0 || estShown ? 1 : 0,
    });
  }
  return places.sort((a, b) => b.level - a.level || a.name.localeCompare(b.name, 'sv'));
}
