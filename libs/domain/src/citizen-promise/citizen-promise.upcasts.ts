import type { DataUpcast } from '../data-upcast';
import { resolveLegacyPlace } from '../places/place-aliases';

/** Version 1 named its place in free text; version 2 names places of the register. */
const placeFromText = (data: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const { place, ...rest } = data;
  return { ...rest, ...resolveLegacyPlace(typeof place === 'string' ? place : '') };
};

/** Older shapes of this context's events, read as the current ones (see event-schemas). */
export const CITIZEN_PROMISE_UPCASTS: readonly DataUpcast[] = [
  { type: 'CommitmentActivityRecorded', fromVersion: 1, upcast: placeFromText },
  { type: 'CommitmentActivityCorrected', fromVersion: 1, upcast: placeFromText },
];
