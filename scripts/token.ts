/**
 * Mints a development token for a user granted in the partnership's register, signed with the
 * key the API verifies development tokens with:
 *   npm run token -- --user kommunpolis.hammaro [--role municipal-police-officer] [--hours 8]
 * The API accepts it only in development and only while the register grants the user the role
 * (the first role granted when --role is left out). The demo users are listed by --list.
 */
import { JwtService } from '@nestjs/jwt';
import { allRoles } from '../libs/domain/src/agencies/agencies';
import { samverkanEnvironment } from '../apps/api/src/auth/environment';
import { TOKEN_AUDIENCE, TOKEN_ISSUER, tokenSecret } from '../apps/api/src/auth/token-secret';
import { DEMO_USERS } from '../apps/api/src/seed/demo-users';

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

if (process.argv.includes('--list')) {
  for (const u of DEMO_USERS) {
    process.stdout.write(
      `${u.actor.userId.padEnd(28)} ${u.actor.agency.padEnd(18)} ${u.actor.role.padEnd(26)} ${u.description}\n`,
    );
  }
  process.exit(0);
}

const user = option('user');
if (!user) {
  fail(
    '--user <user id> is required (a user granted in the register; --list shows the demo users)',
  );
}
const role = option('role');
if (role !== undefined && !(allRoles() as readonly string[]).includes(role)) {
  fail(`--role must be one of: ${allRoles().join(', ')}`);
}
const hours = Number(option('hours') ?? 8);
if (!(hours > 0 && hours <= 24)) fail('--hours must be more than 0 and at most 24');

const token = new JwtService({ secret: tokenSecret() }).sign(role ? { role } : {}, {
  subject: user,
  issuer: TOKEN_ISSUER,
  audience: TOKEN_AUDIENCE,
  expiresIn: Math.round(hours * 3600),
  algorithm: 'HS256',
});
process.stdout.write(`${token}\n`);
