import type { DataUpcast } from '../data-upcast';
import { resolveLegacyPlace } from '../places/place-aliases';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * Version 1 named the walk's area, route and findings' places in free text; version 2 names
 * places of the register. Texts that match no place are kept as unresolved, never dropped.
 */
export const SAFETY_WALK_UPCASTS: readonly DataUpcast[] = [
  {
    type: 'SafetyWalkPlanned',
    fromVersion: 1,
    upcast: ({ area, route, ...rest }) => {
      const resolved = [text(area), ...(Array.isArray(route) ? route.map(text) : [])].map(
        resolveLegacyPlace,
      );
      const [byArea, ...byRoute] = resolved;
      const unresolved = resolved.flatMap((r) => (r.unresolvedPlace ? [r.unresolvedPlace] : []));
      return {
        ...rest,
        areaId: byArea?.placeIds[0] ?? null,
        route: byRoute.flatMap((r) => r.placeIds),
        ...(unresolved.length > 0 ? { unresolvedPlaces: unresolved } : {}),
      };
    },
  },
  {
    type: 'SafetyWalkConducted',
    fromVersion: 1,
    upcast: ({ findings, ...rest }) => ({
      ...rest,
      findings: (Array.isArray(findings) ? (findings as Record<string, unknown>[]) : []).map(
        ({ place, ...finding }) => ({ ...finding, ...resolveLegacyPlace(text(place)) }),
      ),
    }),
  },
];
