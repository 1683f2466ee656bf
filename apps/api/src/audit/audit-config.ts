import { join, resolve } from 'node:path';
import { sealKeysFromEnv, type SealKeys } from '@samverkan/event-store/tamper-evidence/seal-keys';
import { samverkanEnvironment } from '@samverkan/shared/environment';
import { integerSetting } from '@samverkan/shared/configuration/read-setting';
import { dataDirSetting } from '@samverkan/shared/configuration/common-settings';

/**
 * How often the API seals the settled log (SAMVERKAN_SEAL_INTERVAL_SECONDS, 10 by default):
 * with the time it takes a position to become final, the longest an event stays unsealed.
 */
export const sealIntervalSeconds = (env: NodeJS.ProcessEnv = process.env): number =>
  integerSetting(env, 'SAMVERKAN_SEAL_INTERVAL_SECONDS');

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
    samverkanEnvironment(env) === 'development' ? dataDirSetting(env) : undefined,
  );
}
