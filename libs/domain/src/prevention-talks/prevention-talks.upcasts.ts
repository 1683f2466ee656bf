import type { DataUpcast } from '../data-upcast';
import type { LegalGround } from './prevention-talks.events';

/** Every talk planned before a ground was stated rested on consent: it was the only way. */
const CONSENT: LegalGround = { basis: 'consent' };

/** Older shapes of the talk's events, read as the current ones (see event-schemas). */
export const PREVENTION_TALK_UPCASTS: readonly DataUpcast[] = [
  {
    type: 'PreventionTalkPlanned',
    fromVersion: 1,
    upcast: (data) => ({ ...data, legalGround: { ...CONSENT } }),
  },
];
