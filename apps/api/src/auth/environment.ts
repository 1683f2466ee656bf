/**
 * Which environment the service runs in. `development` (the default of `npm start`) accepts the
 * HS256 development tokens `npm run token` mints; `production` refuses them and the minting
 * command, so a signing key that leaks from a developer's machine opens nothing.
 */
export type SamverkanEnvironment = 'development' | 'production';

export function samverkanEnvironment(env: NodeJS.ProcessEnv = process.env): SamverkanEnvironment {
  const value = env['SAMVERKAN_ENV']?.trim();
  if (value === undefined || value === '' || value === 'development') return 'development';
  if (value === 'production') return 'production';
  throw new Error("SAMVERKAN_ENV must be 'development' or 'production'");
}
