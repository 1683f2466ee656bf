import type { Issued } from '../actor';
import type { PlaceDetails } from './places.events';

export interface RegisterPlace extends Issued, PlaceDetails {
  readonly type: 'RegisterPlace';
  readonly placeId: string;
}

export interface ChangePlace extends Issued, PlaceDetails {
  readonly type: 'ChangePlace';
  readonly placeId: string;
  readonly reason: string;
}

export type PlacesCommand = RegisterPlace | ChangePlace;
