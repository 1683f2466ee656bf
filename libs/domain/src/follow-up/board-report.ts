import type { AgencyCode } from '../agencies/agencies';
import { isoWeekOf, type LocalDate, type Period } from '../calendar';
import type { FollowUpScheduled } from '../citizen-promise/citizen-promise.events';
import type { PromiseDocument } from '../citizen-promise/citizen-promise.view';
import type { CreditEntry } from '../citizen-promise/commitment-credit-ledger';
import {
  commitmentsFollowUp,
  type CommitmentsFollowUp,
} from '../citizen-promise/commitments-follow-up';
import { areaOf, type PlacesRegisterState } from '../places/places-register.decider';
import type { ReportedFindingState } from '../safety-walks/finding.decider';
import type { SafetyWalkState } from '../safety-walks/safety-walk.decider';
import type { FindingKind } from '../safety-walks/safety-walks.events';
import { estSummary, type EstCountRecord, type EstSummary } from '../situation-picture/est-summary';
import type { SituationPictureState } from '../situation-picture/situation-picture.view';
import { blurredCount, type ShownCount } from '../small-counts';

/**
 * The follow-up for the municipal board (uppföljning), built from the log: per problem area and
 * commitment what was done and fulfilment against the cadence; how the situation picture changed
 * over the period, with EST counts; safety-walk findings and whether they were addressed; the
 * follow-up's summary and proposals. It states the log position it was built from, so the same
 * report can be had again (`asOf=<position>`) after later corrections.
 *
 * The board's papers are public documents: restricted work and small counts never appear in it.
 * Prevention talks and restricted reports are counts only, and every count of them, and of EST,
 * is blurred below 5.
 */
export interface BoardReport {
  readonly promiseId: string;
  readonly title: string;
  readonly municipality: string;
  readonly policeArea: string;
  readonly promisePeriod: Period;
  readonly focus: string;
  readonly range: Period;
  /** The log position the report was built from. */
  readonly position: number;
  readonly commitments: CommitmentsFollowUp;
  readonly situationPicture: {
    /** Pictures confirmed at partnership meetings held within the period. */
    readonly meetings: readonly {
      readonly confirmationId: string;
      readonly meetingOn: LocalDate;
      readonly period: Period;
      readonly summary: string;
    }[];
    /** Reports whose period overlaps the report's, per area and problem area. */
    readonly reports: readonly {
      readonly areaId: string;
      readonly problemArea: string;
      readonly rising: ShownCount;
      readonly stable: ShownCount;
      readonly falling: ShownCount;
      /** Restricted reports over the promise's whole period: their number only, blurred. */
      readonly restricted: ShownCount;
    }[];
    readonly est: EstSummary;
  };
  readonly safetyWalks: readonly {
    readonly walkId: string;
    readonly conductedOn: LocalDate;
    readonly areaId: string | null;
    readonly route: readonly string[];
    readonly residentsTakingPart: number;
    readonly findings: readonly FindingSummary[];
  }[];
  /** Findings reported outside a walk within the period. */
  readonly findingsOutsideWalks: readonly FindingSummary[];
  readonly findingTotals: {
    readonly found: number;
    readonly addressed: number;
    readonly open: number;
  };
  readonly followUps: readonly (FollowUpScheduled['data'] & {
    readonly reportedOn: LocalDate | null;
    readonly summary: string | null;
    readonly proposals: string | null;
  })[];
}

export interface FindingSummary {
  readonly findingId: string;
  readonly kind: FindingKind;
  readonly placeIds: readonly string[];
  readonly description: string;
  readonly responsibleParty: AgencyCode;
  readonly foundOn: LocalDate;
  readonly addressedOn: LocalDate | null;
  readonly action: string | null;
}

export interface BoardReportInputs {
  readonly doc: PromiseDocument;
  readonly credits: readonly CreditEntry[];
  readonly range: Period;
  readonly position: number;
  readonly places: PlacesRegisterState;
  readonly situation: SituationPictureState;
  readonly est: readonly EstCountRecord[];
  readonly walks: readonly SafetyWalkState[];
  readonly findings: readonly ReportedFindingState[];
}

const overlaps = (a: Period, b: Period): boolean => a.from <= b.to && b.from <= a.to;
const within = (date: LocalDate, p: Period): boolean => date >= p.from && date <= p.to;
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The area a report or count is shown under: its place's area, or the place itself. */
export function areaIdOf(places: PlacesRegisterState, placeId: string | undefined): string {
  if (placeId === undefined) return 'unknown';
  return areaOf(places, placeId)?.placeId ?? placeId;
}

export function boardReport(inputs: BoardReportInputs): BoardReport {
  const { doc, range, places } = inputs;
  const groups = new Map<
    string,
    {
      areaId: string;
      problemArea: string;
      rising: number;
      stable: number;
      falling: number;
      restricted: number;
    }
  >();
  for (const r of inputs.situation.reports) {
    // Restricted reports count over the promise's whole period, never the range asked for: a
    // range narrowed day by day would date each one.
    const counted = r.sensitivity === 'restricted' ? doc.period : range;
    if (r.status !== 'reported' || !overlaps(r.period, counted)) continue;
    const areaId = areaIdOf(places, r.placeIds[0]);
    const key = `${areaId}\u0000${r.problemArea}`;
    const g = groups.get(key) ?? {
      areaId,
      problemArea: r.problemArea,
      rising: 0,
      stable: 0,
      falling: 0,
      restricted: 0,
    };
    if (r.sensitivity === 'restricted') g.restricted += 1;
    else g[r.trend] += 1;
    groups.set(key, g);
  }
  const walks = inputs.walks.flatMap((w) =>
    w.status === 'conducted' && within(w.conductedOn, range)
      ? [
          {
            walkId: w.walkId,
            conductedOn: w.conductedOn,
            areaId: w.areaId,
            route: w.route,
            residentsTakingPart: w.residentsTakingPart,
            findings: [...w.findings.values()].map((f): FindingSummary => ({
              findingId: f.findingId,
              kind: f.kind,
              placeIds: f.placeIds,
              description: f.description,
              responsibleParty: f.responsibleParty,
              foundOn: w.conductedOn,
              addressedOn: f.addressedOn ?? null,
              action: f.action ?? null,
            })),
          },
        ]
      : [],
  );
  const outside = inputs.findings.flatMap((f): FindingSummary[] =>
    f.status !== 'none' && within(f.reportedOn, range)
      ? [
          {
            findingId: f.findingId,
            kind: f.kind,
            placeIds: f.placeIds,
            description: f.description,
            responsibleParty: f.responsibleParty,
            foundOn: f.reportedOn,
            addressedOn: f.addressedOn,
            action: f.action,
          },
        ]
      : [],
  );
  const allFindings = [...walks.flatMap((w) => w.findings), ...outside];
  const addressed = allFindings.filter((f) => f.addressedOn !== null).length;
  return {
    promiseId: doc.promiseId,
    title: doc.title,
    municipality: doc.municipality,
    policeArea: doc.policeArea,
    promisePeriod: doc.period,
    focus: doc.focus,
    range,
    position: inputs.position,
    commitments: commitmentsFollowUp(doc, inputs.credits, range),
    situationPicture: {
      meetings: inputs.situation.confirmations
        .filter((c) => within(c.meetingOn, range))
        .map((c) => ({
          confirmationId: c.confirmationId,
          meetingOn: c.meetingOn,
          period: c.period,
          summary: c.summary,
        })),
      reports: [...groups.values()]
        .sort((a, b) => cmp(a.areaId, b.areaId) || cmp(a.problemArea, b.problemArea))
        .map((g) => ({
          areaId: g.areaId,
          problemArea: g.problemArea,
          rising: blurredCount(g.rising),
          stable: blurredCount(g.stable),
          falling: blurredCount(g.falling),
          restricted: blurredCount(g.restricted),
        })),
      est: estSummary(
        inputs.est,
        (placeId) => areaIdOf(places, placeId),
        isoWeekOf(range.from),
        isoWeekOf(range.to),
        'blurred',
      ),
    },
    safetyWalks: walks.sort((a, b) => cmp(a.conductedOn, b.conductedOn)),
    findingsOutsideWalks: outside.sort((a, b) => cmp(a.foundOn, b.foundOn)),
    findingTotals: {
      found: allFindings.length,
      addressed,
      open: allFindings.length - addressed,
    },
    followUps: doc.followUps,
  };
}
