import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rawSetting, textSetting } from '@samverkan/shared/configuration/read-setting';
import { SETTINGS } from '@samverkan/shared/configuration/settings';
import { dataDirSetting } from '@samverkan/shared/configuration/common-settings';

/**
 * The key that signs and verifies development bearer tokens (HS256). On a server it must be
 * configured (SAMVERKAN_JWT_SECRET); on the embedded default one is made on first start and kept
 * beside the data (mode 0600), so `npm start` and `npm run token` agree with nothing to set up.
 */
export const tokenSecret = (env: NodeJS.ProcessEnv = process.env): string =>
  localSecret(env, 'SAMVERKAN_JWT_SECRET', 'jwt-secret', 'the token key');

/**
 * The key of the keyed hashes that turn a provider's subject into a user id: a subject can be a
 * personal identity number, and a user id must not be one or let anyone compute it back.
 */
export const identityKey = (env: NodeJS.ProcessEnv = process.env): string =>
  localSecret(env, 'SAMVERKAN_IDENTITY_KEY', 'identity-key', 'the identity key');

/** A configured secret, or on the embedded default one made once and kept in the data folder. */
function localSecret(
  env: NodeJS.ProcessEnv,
  variable: 'SAMVERKAN_JWT_SECRET' | 'SAMVERKAN_IDENTITY_KEY',
  fileName: string,
  what: string,
): string {
  const configured = textSetting(env, variable);
  if (configured !== undefined) return configured;
  if (rawSetting(env, 'DATABASE_URL')) {
    throw new Error(
      `${variable} is not set: with DATABASE_URL (a shared server) ${what} must be configured, at least ${SETTINGS[variable].minLength} characters`,
    );
  }
  const dataDir = dataDirSetting(env);
  const file = join(dataDir, fileName);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx': two processes starting together must not each write their own key.
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}

export const TOKEN_ISSUER = 'samverkan';
export const TOKEN_AUDIENCE = 'samverkan-api';
