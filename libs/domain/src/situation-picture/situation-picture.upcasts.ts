import type { DataUpcast } from '../data-upcast';
import { resolveLegacyPlace } from '../places/place-aliases';

/**
 * Version 1 named an area and maybe a place in free text; version 2 names places of the
 * register (the area follows from the register). The place is the more precise of the two; if
 * it matches nothing, the area still places the report and the text is kept as unresolved.
 */
const placesFromText = (data: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const { area, place, ...rest } = data;
  const byArea = resolveLegacyPlace(typeof area === 'string' ? area : '');
  if (typeof place !== 'string') return { ...rest, ...byArea };
  const byPlace = resolveLegacyPlace(place);
  if (byPlace.placeIds.length > 0) return { ...rest, ...byPlace };
  // Neither matched: both texts are kept, the place first (as in 'Bymiljövägen, Skoghall').
  return {
    ...rest,
    placeIds: byArea.placeIds,
    unresolvedPlace: byArea.unresolvedPlace ? `${place}, ${byArea.unresolvedPlace}` : place,
  };
};

/** Older shapes of this context's events, read as the current ones (see event-schemas). */
export const SITUATION_PICTURE_UPCASTS: readonly DataUpcast[] = [
  { type: 'SituationReported', fromVersion: 1, upcast: placesFromText },
  { type: 'SituationReportCorrected', fromVersion: 1, upcast: placesFromText },
];
