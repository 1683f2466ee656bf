import type * as Kurrent from '@kurrent/kurrentdb-client';

let loaded: typeof Kurrent | undefined;

/**
 * The EventStoreDB / KurrentDB client, loaded on first use. Its generated protocol code and
 * native bridge cost seconds of start-up and keep a worker's threads: a process on PostgreSQL,
 * which imports this adapter with the configuration, must not pay for them.
 */
export function kurrent(): typeof Kurrent {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, see above
  loaded ??= require('@kurrent/kurrentdb-client') as typeof Kurrent;
  return loaded;
}
