import { choiceSetting, rawSetting } from './configuration/read-setting';
import type { ChoiceOf } from './configuration/settings';

/**
 * Which environment the service runs in. `development` accepts the HS256 development tokens
 * `npm run token` mints, runs the local OpenID provider with the demo users and keeps
 * development keys in the data folder; `production` refuses all of these. Unset, it is
 * development on the embedded store (`npm start` on a laptop) and production on a database
 * server (`DATABASE_URL`): a server left unconfigured fails closed.
 */
export type SamverkanEnvironment = ChoiceOf<'SAMVERKAN_ENV'>;

export function samverkanEnvironment(env: NodeJS.ProcessEnv = process.env): SamverkanEnvironment {
  return (
    choiceSetting(env, 'SAMVERKAN_ENV') ??
    (rawSetting(env, 'DATABASE_URL') ? 'production' : 'development')
  );
}
