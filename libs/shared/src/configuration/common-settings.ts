import { integerSetting, textSetting, textSettingOrDefault } from './read-setting';

/**
 * The settings several processes read with the same meaning, read in one place each.
 */

/**
 * Where the service is reached from outside, for redirect URIs, the local provider's issuer and
 * each Kafka message's `dataref`: SAMVERKAN_PUBLIC_URL, by default http://localhost:<PORT>. A
 * relay of its own (apps/relay) needs the variable too, or every `dataref` names localhost.
 */
export function publicUrl(env: NodeJS.ProcessEnv = process.env): string {
  const configured = textSetting(env, 'SAMVERKAN_PUBLIC_URL');
  if (configured) return new URL(configured).href.replace(/\/$/, '');
  return `http://localhost:${integerSetting(env, 'PORT')}`;
}

/** The partnership this deployment serves: SAMVERKAN_PARTNERSHIP_ID. */
export const partnershipIdSetting = (env: NodeJS.ProcessEnv = process.env): string =>
  textSettingOrDefault(env, 'SAMVERKAN_PARTNERSHIP_ID');

/** The embedded store's folder, which also keeps development keys: SAMVERKAN_DATA_DIR. */
export const dataDirSetting = (env: NodeJS.ProcessEnv = process.env): string =>
  textSettingOrDefault(env, 'SAMVERKAN_DATA_DIR');
