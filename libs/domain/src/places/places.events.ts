import type { DomainEvent } from '../decider';

/** What kind of place it is: the partnership's code list, kept as data (see the domain). */
export const PLACE_KINDS = [
  'area',
  'school',
  'harbour',
  'road',
  'path',
  'square',
  'sports-ground',
  'bathing-place',
  'building',
  'courtyard',
  'park',
  'other',
] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

/**
 * Where a place is, in WGS 84. `approximate` positions were placed by hand (every seed place is):
 * views draw them as approximate and never present them as exact.
 */
export interface GeoPosition {
  readonly latitude: number;
  readonly longitude: number;
  readonly precision: 'approximate' | 'surveyed';
}

export interface PlaceDetails {
  readonly name: string;
  readonly kind: PlaceKind;
  /** The area the place lies in (a place of kind `area`); null for a top-level area. */
  readonly areaId: string | null;
  readonly position: GeoPosition;
}

export type PlaceRegistered = DomainEvent<
  'PlaceRegistered',
  { readonly placeId: string } & PlaceDetails
>;

/** A new version of a place: all its details restated, with why (a surveyed position, a name). */
export type PlaceChanged = DomainEvent<
  'PlaceChanged',
  { readonly placeId: string; readonly reason: string } & PlaceDetails
>;

export type PlacesEvent = PlaceRegistered | PlaceChanged;

export const PLACES_EVENT_TYPES: readonly PlacesEvent['type'][] = [
  'PlaceRegistered',
  'PlaceChanged',
];

/** One register per partnership: reports, activities, findings and EST counts name its ids. */
export const placesStream = (partnershipId: string): string => `places-${partnershipId}`;
