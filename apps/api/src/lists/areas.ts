import { areaOf, type PlacesRegisterState } from '@samverkan/domain/places/places-register.decider';
import { InvalidInputError } from '@samverkan/shared/errors';

/**
 * The places that count under an area, as the situation picture counts them (`areaOf`): the
 * area itself and the places that lie in it. Refused with 400 naming `query areaId` when the
 * register holds no such area, so a typo does not read as "nothing there".
 */
export function placesInArea(register: PlacesRegisterState, areaId: string): string[] {
  const area = register.places.get(areaId);
  if (!area || area.kind !== 'area') {
    throw new InvalidInputError('REQUEST.INVALID', [
      {
        path: 'query areaId',
        reason: 'is not an area of the places register (GET /places?kind=area lists them)',
      },
    ]);
  }
  return [...register.places.keys()].filter((id) => areaOf(register, id)?.placeId === areaId);
}

/** The name of a place for a list, or its id when the register no longer holds it. */
export function placeName(register: PlacesRegisterState, placeId: string): string {
  return register.places.get(placeId)?.name ?? placeId;
}
