import type { Probe } from '@samverkan/shared/health/readiness';
import type { EventStore } from './event-store.port';

/** Readiness of the log: the store answers with its head (its adapter and schema for operators). */
export function eventStoreProbe(store: EventStore): Probe {
  return async () => {
    const { ready, ...details } = await store.status();
    return { up: ready, details };
  };
}
