import type { RegisterPlace } from '@samverkan/domain/places/places.commands';
import { HandlePlacesCommand } from '../places/places.command-handler';
import { seedActors, type SeedStep } from './seed-step';

type SeedPlace = Omit<RegisterPlace, 'type' | 'by' | 'at'>;

/**
 * Hammarö's places as the demo data names them (see ../shared/domain.md). Positions were set by
 * hand from Skoghall's (about 59°20′N 13°30′E, on the island of Hammarön, 7 km south of
 * Karlstad) and not checked one by one: every one is marked approximate, for the safety
 * coordinator to correct in the register.
 */
const approximately = (latitude: number, longitude: number) =>
  ({ latitude, longitude, precision: 'approximate' }) as const;

const place = (
  placeId: string,
  name: string,
  kind: SeedPlace['kind'],
  areaId: string | null,
  [latitude, longitude]: [number, number],
): SeedPlace => ({ placeId, name, kind, areaId, position: approximately(latitude, longitude) });

export const HAMMARO_PLACES: readonly SeedPlace[] = [
  place('hammaro', 'Hammarö', 'area', null, [59.3, 13.45]),
  place('skoghall', 'Skoghall', 'area', 'hammaro', [59.325, 13.467]),
  place('skoghall-centrum', 'Skoghall centrum', 'area', 'skoghall', [59.3235, 13.4655]),
  place('hammarlundens-skola', 'Hammarlundens skola', 'school', 'skoghall', [59.318, 13.47]),
  place('mormoskolan', 'Mörmoskolan', 'school', 'skoghall', [59.329, 13.49]),
  place('lillangsskolan', 'Lillängsskolan', 'school', 'skoghall', [59.321, 13.455]),
  place('barstadsskolan', 'Bärstadsskolan', 'school', 'hammaro', [59.29, 13.5]),
  place('gotetorpsskolan', 'Götetorpsskolan', 'school', 'hammaro', [59.305, 13.52]),
  place('hammaro-arena', 'Hammarö arena', 'sports-ground', 'skoghall', [59.3295, 13.493]),
  place(
    'hammaro-utbildningscenter',
    'Hammarö utbildningscenter',
    'building',
    'skoghall',
    [59.3285, 13.4915],
  ),
  place('kommunhuset', 'Kommunhuset', 'building', 'skoghall-centrum', [59.3238, 13.4648]),
  place('lillangshamnen', 'Lillängshamnen', 'harbour', 'skoghall-centrum', [59.3215, 13.458]),
  place(
    'gc-vagen-lillangshamnen',
    'Gång- och cykelvägen mot Lillängshamnen',
    'path',
    'skoghall-centrum',
    [59.3225, 13.462],
  ),
  place(
    'innergard-skoghall-centrum',
    'Innergård vid Skoghall centrum (Hammaröbostäder)',
    'courtyard',
    'skoghall-centrum',
    [59.3242, 13.4668],
  ),
  place('bymiljovagen', 'Bymiljövägen (Karlstadsvägen)', 'road', 'skoghall', [59.335, 13.475]),
  place('sorvikshamnen', 'Sörvikshamnen', 'harbour', 'hammaro', [59.275, 13.505]),
  place('vastra-soon', 'Västra Söön', 'harbour', 'hammaro', [59.25, 13.42]),
  place('morudden', 'Mörudden', 'bathing-place', 'hammaro', [59.27, 13.53]),
];

/** The places register, kept by the safety coordinator, before anything names a place. */
export function hammaroPlacesSteps(): SeedStep[] {
  return HAMMARO_PLACES.map((p): SeedStep => ({
    key: `place-registered-${p.placeId}`,
    by: seedActors.safetyCoordinator,
    on: '2022-11-15',
    message: (m) =>
      new HandlePlacesCommand({ type: 'RegisterPlace', by: m.actor, at: m.at, ...p }, m),
  }));
}
