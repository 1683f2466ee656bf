import { Counter, Histogram, type Registry } from 'prom-client';
import { ConcurrencyError } from './event-store.errors';
import type { EventStore, EventStoreStatus } from './event-store.port';

type Adapter = EventStoreStatus['adapter'];

/** How an append ended, as the `outcome` label says it. */
type AppendOutcome = 'appended' | 'already-appended' | 'conflict' | 'failed';

/**
 * The store, measured: appends by adapter and outcome, their latency, the events written and
 * the concurrency conflicts. Around the port rather than inside each adapter, so PostgreSQL,
 * the embedded store and EventStoreDB are measured by the same code and the same buckets.
 *
 * A Proxy rather than a wrapper class: the rest of what the adapter offers besides the port
 * (the SQL client that idempotency keys, sessions and the relay share with the log) stays
 * reachable, and `instanceof` still names the adapter, so nothing that asks for it changes.
 */
export function measuredEventStore<S extends EventStore>(
  store: S,
  adapter: Adapter,
  registry: Registry,
): S {
  const appends = new Counter({
    name: 'samverkan_event_store_appends_total',
    help: 'Appends to the event store, by adapter and outcome (appended, already-appended: an idempotent retry that wrote nothing, conflict, failed)',
    labelNames: ['adapter', 'outcome'] as const,
    registers: [registry],
  });
  const events = new Counter({
    name: 'samverkan_event_store_events_appended_total',
    help: 'Events written to the event store',
    labelNames: ['adapter'] as const,
    registers: [registry],
  });
  const conflicts = new Counter({
    name: 'samverkan_event_store_concurrency_conflicts_total',
    help: 'Appends refused because the stream was not at the expected revision',
    labelNames: ['adapter'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'samverkan_event_store_append_duration_seconds',
    help: 'Time from calling append to its answer, whatever the outcome',
    labelNames: ['adapter'] as const,
    // An append is one round trip: milliseconds when well, seconds under lock waits.
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  for (const outcome of ['appended', 'already-appended', 'conflict', 'failed'] as const) {
    appends.labels(adapter, outcome); // each series at 0 from the start, so rate() sees the first
  }
  conflicts.labels(adapter);
  events.labels(adapter);

  const append: EventStore['append'] = async (streamId, newEvents, options) => {
    const stop = duration.startTimer({ adapter });
    let outcome: AppendOutcome = 'failed';
    try {
      const result = await store.append(streamId, newEvents, options);
      outcome = result.alreadyAppended ? 'already-appended' : 'appended';
      if (!result.alreadyAppended) events.inc({ adapter }, result.events.length);
      return result;
    } catch (error) {
      if (error instanceof ConcurrencyError) {
        outcome = 'conflict';
        conflicts.inc({ adapter });
      }
      throw error;
    } finally {
      stop();
      appends.inc({ adapter, outcome });
    }
  };

  return new Proxy(store, {
    get(target, property) {
      if (property === 'append') return append;
      const value: unknown = Reflect.get(target, property, target);
      // Methods run on the adapter itself, never on the proxy.
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}
