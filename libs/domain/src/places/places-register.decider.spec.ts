import type { Actor } from '../actor';
import { specFor } from '../given-when-then';
import type { ChangePlace, RegisterPlace } from './places.commands';
import { placesStream, type PlaceDetails, type PlacesEvent } from './places.events';
import {
  areaOf,
  placeNameKey,
  placesRegisterDecider,
  unknownPlaceIds,
} from './places-register.decider';

const coordinator: Actor = {
  userId: 'u-samordnare',
  agency: 'municipality',
  role: 'safety-coordinator',
};
const chiefExecutive: Actor = {
  userId: 'u-kd',
  agency: 'municipality',
  role: 'chief-executive',
};
const police: Actor = { userId: 'u-police', agency: 'police', role: 'municipal-police-officer' };
const at = new Date('2024-06-01T10:00:00Z');

const spec = specFor(placesRegisterDecider);

const approx = (latitude: number, longitude: number): PlaceDetails['position'] => ({
  latitude,
  longitude,
  precision: 'approximate',
});
const registered = (
  placeId: string,
  name: string,
  kind: PlaceDetails['kind'],
  areaId: string | null,
): PlacesEvent => ({
  type: 'PlaceRegistered',
  data: { placeId, name, kind, areaId, position: approx(59.33, 13.5) },
});
const skoghall = registered('skoghall', 'Skoghall', 'area', null);
const centrum = registered('skoghall-centrum', 'Skoghall centrum', 'area', 'skoghall');
const harbour = registered('lillangshamnen', 'Lillängshamnen', 'harbour', 'skoghall-centrum');
const arena = registered('hammaro-arena', 'Hammarö arena', 'sports-ground', null);
const register = [skoghall, centrum, harbour, arena] as const;

const registerPlace = (over: Partial<RegisterPlace> = {}): RegisterPlace => ({
  type: 'RegisterPlace',
  by: coordinator,
  at,
  placeId: 'sorvikshamnen',
  name: 'Sörvikshamnen',
  kind: 'harbour',
  areaId: 'skoghall',
  position: approx(59.32, 13.48),
  ...over,
});
const changePlace = (over: Partial<ChangePlace> = {}): ChangePlace => ({
  type: 'ChangePlace',
  by: coordinator,
  at,
  placeId: 'lillangshamnen',
  name: 'Lillängshamnen',
  kind: 'harbour',
  areaId: 'skoghall-centrum',
  position: { latitude: 59.331, longitude: 13.507, precision: 'surveyed' },
  reason: 'Inmätt läge',
  ...over,
});

describe('places register: registering a place', () => {
  it('names its stream after the partnership', () => {
    expect(placesStream('hammaro')).toBe('places-hammaro');
  });

  it('given the register, when the safety coordinator registers a place in an area, then it is registered at version 1', () => {
    const events = spec
      .given(...register)
      .when(registerPlace())
      .then({
        type: 'PlaceRegistered',
        data: {
          placeId: 'sorvikshamnen',
          name: 'Sörvikshamnen',
          kind: 'harbour',
          areaId: 'skoghall',
          position: approx(59.32, 13.48),
        },
      });
    const state = spec.given(...register, ...events).state;
    expect(state.places.get('sorvikshamnen')).toMatchObject({ version: 1, areaId: 'skoghall' });
  });

  it('rule: only the municipality’s safety coordinator keeps the register', () => {
    spec
      .given()
      .when(registerPlace({ by: police }))
      .thenRefused('PLACES.NOT_KEEPER', 'forbidden');
    spec
      .given()
      .when(registerPlace({ by: chiefExecutive }))
      .thenRefused('PLACES.NOT_KEEPER', 'forbidden');
    spec
      .given(...register)
      .when(changePlace({ by: police }))
      .thenRefused('PLACES.NOT_KEEPER', 'forbidden');
  });

  it('rule: a place id is registered once', () => {
    spec
      .given(...register)
      .when(registerPlace({ placeId: 'lillangshamnen', name: 'Annan hamn' }))
      .thenRefused('PLACES.ALREADY_REGISTERED', 'conflict');
  });

  it('rule: a place has a name, trimmed, and free of personal identity numbers', () => {
    spec
      .given()
      .when(registerPlace({ name: '   ', areaId: null }))
      .thenRefused('PLACES.NAME_REQUIRED', 'rejected');
    spec
      .given()
      .when(registerPlace({ name: 'Hos 19811218-9876', areaId: null }))
      .thenRefused('PERSONAL_DATA.DIRECT_IDENTIFIER', 'rejected');
    const [event] = spec
      .given(...register)
      .when(registerPlace({ name: '  Sörvikshamnen ' }))
      .events();
    expect(event?.data.name).toBe('Sörvikshamnen');
  });

  it('rule: names are unique, compared without case or extra spaces', () => {
    for (const name of ['skoghall CENTRUM', 'Skoghall  centrum', ' Skoghall centrum ']) {
      spec
        .given(...register)
        .when(registerPlace({ placeId: 'other', name }))
        .thenRefused('PLACES.NAME_TAKEN', 'conflict');
    }
    expect(placeNameKey('  LILLÄNGSHAMNEN ')).toBe(placeNameKey('lillängshamnen'));
  });

  it('rule: a position is WGS 84, latitude -90 to 90 and longitude -180 to 180', () => {
    for (const position of [
      approx(90.01, 13),
      approx(-91, 13),
      approx(59, 180.5),
      approx(59, -181),
    ]) {
      spec
        .given(...register)
        .when(registerPlace({ position }))
        .thenRefused('PLACES.INVALID_POSITION', 'rejected');
    }
    for (const position of [approx(Number.NaN, 13), approx(59, Number.POSITIVE_INFINITY)]) {
      spec
        .given(...register)
        .when(registerPlace({ position }))
        .thenRefused('PLACES.INVALID_POSITION', 'rejected');
    }
    // The edges of the ranges are positions too.
    for (const position of [approx(90, 180), approx(-90, -180)]) {
      expect(
        spec
          .given(...register)
          .when(registerPlace({ position }))
          .events(),
      ).toHaveLength(1);
    }
  });

  it('rule: a place lies in a registered place of kind area, or in none', () => {
    spec
      .given(...register)
      .when(registerPlace({ areaId: 'nowhere' }))
      .thenRefused('PLACES.INVALID_AREA', 'rejected');
    // A harbour is a place, not an area: nothing lies in it.
    spec
      .given(...register)
      .when(registerPlace({ areaId: 'lillangshamnen' }))
      .thenRefused('PLACES.INVALID_AREA', 'rejected');
    spec
      .given(...register)
      .when(registerPlace({ placeId: 'x', areaId: 'x' }))
      .thenRefused('PLACES.INVALID_AREA', 'rejected');
    expect(
      spec
        .given(...register)
        .when(registerPlace({ areaId: null }))
        .events(),
    ).toHaveLength(1);
  });
});

describe('places register: changing a place', () => {
  it('given a place, when the coordinator changes it with a reason, then a new version with all details restated', () => {
    const events = spec
      .given(...register)
      .when(changePlace())
      .then({
        type: 'PlaceChanged',
        data: {
          placeId: 'lillangshamnen',
          reason: 'Inmätt läge',
          name: 'Lillängshamnen',
          kind: 'harbour',
          areaId: 'skoghall-centrum',
          position: { latitude: 59.331, longitude: 13.507, precision: 'surveyed' },
        },
      });
    const place = spec.given(...register, ...events).state.places.get('lillangshamnen');
    expect(place).toMatchObject({ version: 2, position: { precision: 'surveyed' } });
  });

  it('rule: only a registered place changes', () => {
    spec
      .given(...register)
      .when(changePlace({ placeId: 'nope' }))
      .thenRefused('PLACES.UNKNOWN_PLACE', 'not_found');
  });

  it('rule: a change says why', () => {
    spec
      .given(...register)
      .when(changePlace({ reason: ' ' }))
      .thenRefused('PLACES.REASON_REQUIRED', 'rejected');
  });

  it('rule: a place keeps its own name on a change, but may not take another place’s', () => {
    expect(
      spec
        .given(...register)
        .when(changePlace({ name: 'LILLÄNGSHAMNEN' }))
        .events(),
    ).toHaveLength(1);
    spec
      .given(...register)
      .when(changePlace({ name: 'hammarö Arena' }))
      .thenRefused('PLACES.NAME_TAKEN', 'conflict');
  });

  it('rule: no cycles, so an area cannot move into one of its own sub-areas', () => {
    spec
      .given(...register)
      .when(
        changePlace({
          placeId: 'skoghall',
          name: 'Skoghall',
          kind: 'area',
          areaId: 'skoghall-centrum',
        }),
      )
      .thenRefused('PLACES.INVALID_AREA', 'rejected');
    spec
      .given(...register)
      .when(
        changePlace({ placeId: 'skoghall', name: 'Skoghall', kind: 'area', areaId: 'skoghall' }),
      )
      .thenRefused('PLACES.INVALID_AREA', 'rejected');
  });

  it('rule: an area with places in it keeps the kind area', () => {
    spec
      .given(...register)
      .when(
        changePlace({
          placeId: 'skoghall-centrum',
          name: 'Skoghall centrum',
          kind: 'square',
          areaId: 'skoghall',
        }),
      )
      .thenRefused('PLACES.AREA_IN_USE', 'conflict');
    // Emptied first, it may become a place of another kind.
    const emptied: PlacesEvent = {
      type: 'PlaceChanged',
      data: {
        placeId: 'lillangshamnen',
        reason: 'Ligger i Skoghall, inte i centrum',
        name: 'Lillängshamnen',
        kind: 'harbour',
        areaId: 'skoghall',
        position: approx(59.33, 13.5),
      },
    };
    expect(
      spec
        .given(...register, emptied)
        .when(
          changePlace({
            placeId: 'skoghall-centrum',
            name: 'Skoghall centrum',
            kind: 'square',
            areaId: 'skoghall',
          }),
        )
        .events(),
    ).toHaveLength(1);
  });
});

describe('places register: what other contexts ask of it', () => {
  const state = spec.given(...register).state;

  it('given ids, then the unknown ones with their index in the list', () => {
    expect(unknownPlaceIds(state, ['skoghall', 'x', 'lillangshamnen', 'y'])).toEqual([
      { index: 1, placeId: 'x' },
      { index: 3, placeId: 'y' },
    ]);
    expect(unknownPlaceIds(state, ['skoghall', 'hammaro-arena'])).toEqual([]);
  });

  it('given a place, then its area: an area is its own, a place the area it lies in, else none', () => {
    expect(areaOf(state, 'skoghall-centrum')?.placeId).toBe('skoghall-centrum');
    expect(areaOf(state, 'lillangshamnen')?.placeId).toBe('skoghall-centrum');
    expect(areaOf(state, 'hammaro-arena')).toBeNull();
    expect(areaOf(state, 'unknown')).toBeNull();
  });
});
