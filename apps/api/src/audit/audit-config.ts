import { join, resolve } from 'node:path';
import { sealKeysFromEnv, type SealKeys } from '@samverkan/event-store/tamper-evidence/seal-keys';
import { samverkanEnvironment } from '@samverkan/shared/environment';

/**
 * How often the API seals the settled log (SAMVERKAN_SEAL_INTERVAL_SECONDS, 10 by default):
 * with the time it takes a position to become final, the longest an event stays unsealed.
 */
export function sealIntervalSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['SAMVERKAN_SEAL_INTERVAL_SECONDS']?.trim();
  const seconds = raw ? Number(raw) : 10;
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600) {
    throw new Error(
      'SAMVERKAN_SEAL_INTERVAL_SECONDS must be a whole number of seconds from 1 to 3600',
    );
  }
  return seconds;
}

/** The folder of development keys: the embedded store's data folder (./data by default). */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['SAMVERKAN_DATA_DIR']?.trim() || './data';
}

/** The control socket's file in an embedded store's data folder. */
export function controlSocketPath(folder: string): string {
  return join(resolve(folder), 'control.sock');
}

/**
 * The keys that sign sealed blocks: SAMVERKAN_SEAL_KEY; in development without it a key file in
 * the data folder; in production a missing key stops start-up.
 */
export function sealKeysForEnvironment(env: NodeJS.ProcessEnv = process.env): SealKeys {
  return sealKeysFromEnv(
    env,
    samverkanEnvironment(env) === 'development' ? dataDir(env) : undefined,
  );
}
