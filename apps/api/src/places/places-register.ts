import { Inject, Injectable } from '@nestjs/common';
import {
  placesRegisterDecider,
  unknownPlaceIds,
  type PlacesRegisterState,
} from '@samverkan/domain/places/places-register.decider';
import { placesStream } from '@samverkan/domain/places/places.events';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import { InvalidInputError, type InvalidField } from '@samverkan/shared/errors';
import { partnershipId } from '../agencies/partnership.command-handler';
import { loadStream } from '../commands/decider-runner';

/**
 * The partnership's places register as its stream stands: commands check the place ids they
 * name against it, and views take names and areas from it. It is a short stream (one event per
 * place and change), read whole when needed.
 */
@Injectable()
export class PlacesRegister {
  readonly streamId = placesStream(partnershipId());

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async state(): Promise<PlacesRegisterState> {
    return (await loadStream(this.store, placesRegisterDecider, this.streamId)).state;
  }

  /**
   * Refuses ids the register does not hold, naming each field (`placeIds[1]`), before anything
   * is decided or stored: a place is chosen from the register, never typed.
   */
  async assertKnown(
    fields: readonly { path: string; placeIds: readonly string[] }[],
  ): Promise<void> {
    if (fields.every((f) => f.placeIds.length === 0)) return;
    const register = await this.state();
    const problems: InvalidField[] = fields.flatMap(({ path, placeIds }) =>
      unknownPlaceIds(register, placeIds).map(({ index }) => ({
        path: `${path}[${index}]`,
        reason: 'is not a place of the places register (GET /places lists them)',
      })),
    );
    if (problems.length > 0) throw new InvalidInputError('REQUEST.UNKNOWN_PLACE', problems);
  }
}
