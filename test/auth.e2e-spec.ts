import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { hashApiKey } from '../apps/api/src/auth/api-keys';
import { startApi, TEST_SECRET, tokenFor } from './support/api-harness';

describe('authentication: bearer tokens and agency systems’ API keys', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'samverkan-auth-'));
  const key = 'sk_police-case-system_0123456789abcdefghijklmnopqrstuv';
  let app: INestApplication;
  let http: Awaited<ReturnType<typeof startApi>>['http'];
  let restore: () => void;

  beforeAll(async () => {
    ({ app, http, restore } = await startApi({
      DATABASE_URL: undefined,
      SAMVERKAN_DATA_DIR: dataDir,
      SAMVERKAN_SEED: 'off',
      SAMVERKAN_JWT_SECRET: TEST_SECRET,
      SAMVERKAN_API_KEYS: `police-case-system:police:${hashApiKey(key)}`,
    }));
  });
  afterAll(async () => {
    await app?.close();
    restore?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const me = (authorization: string) => http().get('/me').set('Authorization', authorization);

  it('takes user, agency and role from a valid token', async () => {
    const token = tokenFor({ userId: 'anna', agency: 'school', role: 'principal' });
    const res = await me(`Bearer ${token}`).expect(200);
    expect(res.body).toEqual({ userId: 'anna', agency: 'school', role: 'principal' });
  });

  it.each([
    [
      'an expired token',
      () => tokenFor({ userId: 'a', agency: 'police', role: 'officer' }, TEST_SECRET, -10),
    ],
    [
      'a token signed with another key',
      () =>
        tokenFor(
          { userId: 'a', agency: 'police', role: 'officer' },
          'another-secret-0123456789-0123456789',
        ),
    ],
    [
      'a role that is not of the agency',
      () => tokenFor({ userId: 'a', agency: 'school', role: 'officer' } as never),
    ],
    [
      'an unknown agency',
      () => tokenFor({ userId: 'a', agency: 'nato', role: 'officer' } as never),
    ],
  ])('refuses %s with 401', async (_, token) => {
    const res = await me(`Bearer ${token()}`).expect(401);
    expect(res.body.code).toBe('AUTH.UNAUTHENTICATED');
  });

  it('authenticates an agency system by its API key, as that agency’s system role', async () => {
    const res = await me(`ApiKey ${key}`).expect(200);
    expect(res.body).toEqual({
      userId: 'system:police-case-system',
      agency: 'police',
      role: 'agency-system',
    });
    await me(`ApiKey ${key}x`).expect(401);
    await me('Basic dXNlcjpwYXNz').expect(401);
  });

  it('keeps /health open and everything else closed', async () => {
    await http().get('/health').expect(200);
    await http().get('/promises/hammaro-2023-2025').expect(401);
  });
});
