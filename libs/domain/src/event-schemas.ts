/**
 * Schema versions of the domain's events. An event type whose data changed shape has an upcast
 * from each older version to the next; the store applies them as events are read, so every
 * reader (deciders, projections, the feed) sees the current shape and the log is never
 * rewritten. Writers stamp each new event with its type's current version.
 */
import type { DataUpcast } from './data-upcast';
import { CITIZEN_PROMISE_UPCASTS } from './citizen-promise/citizen-promise.upcasts';
import { PREVENTION_TALK_UPCASTS } from './prevention-talks/prevention-talks.upcasts';
import { SAFETY_WALK_UPCASTS } from './safety-walks/safety-walks.upcasts';
import { SITUATION_PICTURE_UPCASTS } from './situation-picture/situation-picture.upcasts';

export const DOMAIN_UPCASTS: readonly DataUpcast[] = [
  ...CITIZEN_PROMISE_UPCASTS,
  ...PREVENTION_TALK_UPCASTS,
  ...SAFETY_WALK_UPCASTS,
  ...SITUATION_PICTURE_UPCASTS,
];

const CURRENT = new Map<string, number>();
for (const u of DOMAIN_UPCASTS) {
  CURRENT.set(u.type, Math.max(CURRENT.get(u.type) ?? 1, u.fromVersion + 1));
}

/** The version new events of this type are written with: 1 until its data first changed shape. */
export function currentSchemaVersion(type: string): number {
  return CURRENT.get(type) ?? 1;
}
