import type { AgencyCode } from '../agencies/agencies';
import type { IsoWeek } from '../calendar';
import type { DomainEvent } from '../decider';

/**
 * The EST checklist (effektiv samordning för trygghet): what reporters count at each of their
 * places every week. The weekly picture drives short-term actions; quarters and years show trends.
 */
export const EST_CATEGORIES = [
  'vandalism',
  'gathering-places',
  'unsafe-places',
  'threats-to-staff',
  'rumours',
  'littering',
  'fires',
] as const;
export type EstCategory = (typeof EST_CATEGORIES)[number];

/** A count for every category of the checklist (0 when nothing was seen). */
export type EstCounts = Readonly<Record<EstCategory, number>>;

/** The agencies that report EST counts: the municipality, police, housing companies, guards. */
export const EST_REPORTER_AGENCIES: readonly AgencyCode[] = [
  'municipality',
  'police',
  'housing-company',
  'municipal-security',
];

export type EstReporterAssigned = DomainEvent<
  'EstReporterAssigned',
  { readonly placeId: string; readonly agency: AgencyCode }
>;

export type EstReporterUnassigned = DomainEvent<
  'EstReporterUnassigned',
  { readonly placeId: string; readonly agency: AgencyCode; readonly reason: string }
>;

export type EstReportersEvent = EstReporterAssigned | EstReporterUnassigned;

export const EST_REPORTERS_EVENT_TYPES: readonly EstReportersEvent['type'][] = [
  'EstReporterAssigned',
  'EstReporterUnassigned',
];

/** Which agency reports for which place: kept by the safety coordinator, one per partnership. */
export const estReportersStream = (partnershipId: string): string =>
  `est-reporters-${partnershipId}`;

export type EstCountsReported = DomainEvent<
  'EstCountsReported',
  {
    readonly placeId: string;
    readonly week: IsoWeek;
    readonly reportingAgency: AgencyCode;
    readonly counts: EstCounts;
  }
>;

/** Restates one agency's counts for a week, with why; the earlier ones stay in the log. */
export type EstCountsCorrected = DomainEvent<
  'EstCountsCorrected',
  {
    readonly placeId: string;
    readonly week: IsoWeek;
    readonly reportingAgency: AgencyCode;
    readonly counts: EstCounts;
    readonly reason: string;
  }
>;

export type EstCountsEvent = EstCountsReported | EstCountsCorrected;

export const EST_COUNTS_EVENT_TYPES: readonly EstCountsEvent['type'][] = [
  'EstCountsReported',
  'EstCountsCorrected',
];

/** Every week's counts for one place, from each agency that reports there. */
export const estPlaceStream = (placeId: string): string => `est-place-${placeId}`;
