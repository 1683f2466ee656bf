/**
 * Mints a bearer token for local use, signed with the same key the API verifies with:
 *   npm run token -- --agency police --role officer [--user anna.berg] [--hours 8]
 */
import { JwtService } from '@nestjs/jwt';
import { allRoles, AGENCIES, isAgencyCode, isRoleOf } from '../libs/domain/src/agencies/agencies';
import { samverkanEnvironment } from '../apps/api/src/auth/environment';
import { TOKEN_AUDIENCE, TOKEN_ISSUER, tokenSecret } from '../apps/api/src/auth/token-secret';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

if (samverkanEnvironment() === 'production') {
  fail('SAMVERKAN_ENV=production: development tokens are refused there, so none is minted');
}

const agency = option('agency');
const role = option('role');
if (!isAgencyCode(agency)) fail(`--agency must be one of: ${AGENCIES.join(', ')}`);
if (!isRoleOf(agency, role)) {
  fail(
    `--role must be a role of ${agency}: ${allRoles()
      .filter((r) => isRoleOf(agency, r))
      .join(', ')}`,
  );
}
const user = option('user') ?? `${agency}.${role}`;
const hours = Number(option('hours') ?? 8);
if (!(hours > 0 && hours <= 24 * 30)) fail('--hours must be between 0 and 720');

const token = new JwtService({ secret: tokenSecret() }).sign(
  { agency, role },
  {
    subject: user,
    issuer: TOKEN_ISSUER,
    audience: TOKEN_AUDIENCE,
    expiresIn: Math.round(hours * 3600),
    algorithm: 'HS256',
  },
);
process.stdout.write(`${token}\n`);
