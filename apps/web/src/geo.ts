/** A WGS 84 position, as the places register keeps it. */
export interface Position {
  readonly latitude: number;
  readonly longitude: number;
}

const EARTH_RADIUS_METRES = 6_371_000;
const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** The great-circle distance in metres (haversine: exact enough within a municipality). */
export function distanceMetres(a: Position, b: Position): number {
  const dLat = radians(b.latitude - a.latitude);
  const dLon = radians(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The registered place nearest a point (a phone's position, a tapped point on the map), and how
 * far it is; undefined when there is none within `withinMetres`. Only the place is kept: the point
 * itself (which may be someone's home) is never sent or stored.
 */
export function nearestPlace<P extends { readonly position: Position }>(
  places: readonly P[],
  point: Position,
  withinMetres = Number.POSITIVE_INFINITY,
): { readonly place: P; readonly metres: number } | undefined {
  let best: { place: P; metres: number } | undefined;
  for (const place of places) {
    const metres = distanceMetres(place.position, point);
    if (metres <= withinMetres && (!best || metres < best.metres)) best = { place, metres };
  }
  return best;
}
