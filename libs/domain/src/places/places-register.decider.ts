import type { Actor } from '../actor';
import { unreachable, type Decider } from '../decider';
import { conflict, forbidden, notFound, rejected } from '../domain-error';
import { assertNoDirectIdentifier } from '../personal-data';
import type { ChangePlace, PlacesCommand, RegisterPlace } from './places.commands';
import type { PlaceDetails, PlacesEvent } from './places.events';

export interface RegisteredPlace extends PlaceDetails {
  readonly placeId: string;
  /** 1 when registered, one more for each change. */
  readonly version: number;
}

/** The partnership's places by id, in the order registered. */
export interface PlacesRegisterState {
  readonly places: ReadonlyMap<string, RegisteredPlace>;
}

/** Names compare without case, accents' absence or extra spaces: "Skoghall  centrum" is taken. */
export function placeNameKey(name: string): string {
  return name.normalize('NFC').toLocaleLowerCase('sv-SE').replace(/\s+/g, ' ').trim();
}

/** The safety coordinator keeps the register (the municipality's coordinating function). */
function assertKeeper(by: Actor): void {
  if (by.agency !== 'municipality' || by.role !== 'safety-coordinator') {
    throw forbidden(
      'PLACES.NOT_KEEPER',
      "Only the municipality's safety coordinator keeps the places register",
    );
  }
}

function checkDetails(placeId: string, details: PlaceDetails, state: PlacesRegisterState): void {
  if (details.name.trim() === '') throw rejected('PLACES.NAME_REQUIRED', 'A place has a name');
  assertNoDirectIdentifier('name', details.name);
  const key = placeNameKey(details.name);
  const clash = [...state.places.values()].find(
    (p) => p.placeId !== placeId && placeNameKey(p.name) === key,
  );
  if (clash) {
    throw conflict(
      'PLACES.NAME_TAKEN',
      `'${details.name}' is the name of place '${clash.placeId}' already: one place, one name`,
    );
  }
  const { latitude, longitude } = details.position;
  if (
    !Number.isFinite(latitude) ||
    !Number.isFinite(longitude) ||
    Math.abs(latitude) > 90 ||
    Math.abs(longitude) > 180
  ) {
    throw rejected(
      'PLACES.INVALID_POSITION',
      'A position is a WGS 84 latitude (-90 to 90) and longitude (-180 to 180)',
    );
  }
  if (details.areaId === null) return;
  if (details.areaId === placeId) {
    throw rejected('PLACES.INVALID_AREA', 'A place cannot lie in itself');
  }
  const area = state.places.get(details.areaId);
  if (!area || area.kind !== 'area') {
    throw rejected(
      'PLACES.INVALID_AREA',
      `'${details.areaId}' is not a registered area; register the area first`,
    );
  }
  // An area inside one of its own sub-areas would make "the area a place lies in" endless.
  for (let at: RegisteredPlace | undefined = area; at;) {
    if (at.placeId === placeId) {
      throw rejected('PLACES.INVALID_AREA', `'${details.areaId}' lies in '${placeId}' already`);
    }
    at = at.areaId === null ? undefined : state.places.get(at.areaId);
  }
}

const details = (c: PlaceDetails): PlaceDetails => ({
  name: c.name.trim(),
  kind: c.kind,
  areaId: c.areaId,
  position: {
    latitude: c.position.latitude,
    longitude: c.position.longitude,
    precision: c.position.precision,
  },
});

function register(command: RegisterPlace, state: PlacesRegisterState): PlacesEvent[] {
  assertKeeper(command.by);
  if (state.places.has(command.placeId)) {
    throw conflict('PLACES.ALREADY_REGISTERED', `Place '${command.placeId}' is registered already`);
  }
  checkDetails(command.placeId, command, state);
  return [{ type: 'PlaceRegistered', data: { placeId: command.placeId, ...details(command) } }];
}

function change(command: ChangePlace, state: PlacesRegisterState): PlacesEvent[] {
  assertKeeper(command.by);
  const place = state.places.get(command.placeId);
  if (!place) throw notFound('PLACES.UNKNOWN_PLACE', `There is no place '${command.placeId}'`);
  if (command.reason.trim() === '') {
    throw rejected('PLACES.REASON_REQUIRED', 'Say why the place changes');
  }
  assertNoDirectIdentifier('reason', command.reason);
  if (place.kind === 'area' && command.kind !== 'area') {
    const inside = [...state.places.values()].find((p) => p.areaId === place.placeId);
    if (inside) {
      throw conflict(
        'PLACES.AREA_IN_USE',
        `'${inside.name}' lies in this area: move it first, or keep the kind 'area'`,
      );
    }
  }
  checkDetails(command.placeId, command, state);
  return [
    {
      type: 'PlaceChanged',
      data: { placeId: command.placeId, reason: command.reason, ...details(command) },
    },
  ];
}

function decide(command: PlacesCommand, state: PlacesRegisterState): PlacesEvent[] {
  switch (command.type) {
    case 'RegisterPlace':
      return register(command, state);
    case 'ChangePlace':
      return change(command, state);
    default:
      return unreachable(command);
  }
}

function evolve(state: PlacesRegisterState, event: PlacesEvent): PlacesRegisterState {
  switch (event.type) {
    case 'PlaceRegistered': {
      const { placeId, ...rest } = event.data;
      return {
        places: new Map(state.places).set(placeId, { placeId, ...details(rest), version: 1 }),
      };
    }
    case 'PlaceChanged': {
      const { placeId, reason: _reason, ...rest } = event.data;
      const before = state.places.get(placeId);
      if (!before) return state;
      return {
        places: new Map(state.places).set(placeId, {
          placeId,
          ...details(rest),
          version: before.version + 1,
        }),
      };
    }
    default:
      return unreachable(event);
  }
}

export const placesRegisterDecider: Decider<PlacesCommand, PlacesEvent, PlacesRegisterState> = {
  decide,
  evolve,
  initialState: { places: new Map() },
};

/** The ids among `placeIds` that the register does not hold, with their index in the list. */
export function unknownPlaceIds(
  state: PlacesRegisterState,
  placeIds: readonly string[],
): { readonly index: number; readonly placeId: string }[] {
  return placeIds
    .map((placeId, index) => ({ index, placeId }))
    .filter(({ placeId }) => !state.places.has(placeId));
}

/**
 * The area a place is counted under in the situation picture: the place itself when it is an
 * area, else the area it lies in; null when the place is unknown or lies in no area.
 */
export function areaOf(state: PlacesRegisterState, placeId: string): RegisteredPlace | null {
  const place = state.places.get(placeId);
  if (!place) return null;
  if (place.kind === 'area') return place;
  return place.areaId === null ? null : (state.places.get(place.areaId) ?? null);
}
