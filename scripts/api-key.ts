/**
 * Makes an API key for an agency system and prints it once, with the entry to add to
 * SAMVERKAN_API_KEYS (which holds only the key's SHA-256):
 *   npm run api-key -- --system police-case-system --agency police
 */
import { randomBytes } from 'node:crypto';
import { hashApiKey } from '../apps/api/src/auth/api-keys';
import { AGENCIES, isAgencyCode } from '../libs/domain/src/agencies/agencies';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const system = option('system');
const agency = option('agency');
if (!system || !/^[a-z0-9][a-z0-9-]{1,60}$/.test(system)) {
  process.stderr.write('--system must be a lower-case slug naming the agency system\n');
  process.exit(2);
}
if (!isAgencyCode(agency)) {
  process.stderr.write(`--agency must be one of: ${AGENCIES.join(', ')}\n`);
  process.exit(2);
}
const key = `sk_${system}_${randomBytes(24).toString('base64url')}`;
process.stdout.write(
  `API key (give it to the system; it is not stored anywhere):\n  ${key}\n` +
    `Add to SAMVERKAN_API_KEYS (comma-separated):\n  ${system}:${agency}:${hashApiKey(key)}\n`,
);
