/**
 * Which environment the service runs in. `development` accepts the HS256 development tokens
 * `npm run token` mints, runs the local OpenID provider with the demo users and keeps
 * development keys in the data folder; `production` refuses all of these. Unset, it is
 * development on the embedded store (`npm start` on a laptop) and production on a database
 * server (`DATABASE_URL`): a server left unconfigured fails closed.
 */
export type SamverkanEnvironment = 'development' | 'production';

export function samverkanEnvironment(env: NodeJS.ProcessEnv = process.env): SamverkanEnvironment {
  const value = env['SAMVERKAN_ENV']?.trim();
  if (value === 'development' || value === 'production') return value;
  if (value) throw new Error("SAMVERKAN_ENV must be 'development' or 'production'");
  return env['DATABASE_URL']?.trim() ? 'production' : 'development';
}
