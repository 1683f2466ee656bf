import { JwtService } from '@nestjs/jwt';
import type { Actor } from '../libs/domain/src/actor';
import { hashApiKey } from '../apps/api/src/auth/api-keys';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../apps/api/src/auth/token-secret';
import { bearer, embeddedApi, TEST_SECRET, tokenFor } from './support/api-harness';

/**
 * Development tokens (HS256) and agency systems' API keys. A development token only names a
 * user and the role they wish to act in: the partnership's register, read on every request,
 * says whether they hold it and under which agency.
 */

const key = 'sk_police-case-system_0123456789abcdefghijklmnopqrstuv';
const apiKeys = `police-case-system:police:${hashApiKey(key)}`;

/** A development token with the claims given, signed with the test key unless told otherwise. */
function signed(
  claims: Record<string, unknown>,
  options: { subject?: string; expiresIn?: number; algorithm?: string } = {},
): string {
  return new JwtService({ secret: TEST_SECRET }).sign(claims, {
    issuer: TOKEN_ISSUER,
    audience: TOKEN_AUDIENCE,
    ...(options.subject === undefined ? {} : { subject: options.subject }),
    ...(options.expiresIn === undefined ? {} : { expiresIn: options.expiresIn }),
    ...(options.algorithm === undefined ? {} : { algorithm: options.algorithm as never }),
  });
}

describe('authentication: development tokens for users in the register, and agency systems’ API keys', () => {
  const principal: Actor = { userId: 'anna', agency: 'school', role: 'principal' };
  const studentHealth: Actor = { userId: 'anna', agency: 'school', role: 'student-health' };
  const officer: Actor = { userId: 'polis.a', agency: 'police', role: 'officer' };
  const schoolAdmin: Actor = {
    userId: 'admin.skola',
    agency: 'school',
    role: 'user-administrator',
  };
  /** Two roles, one revoked by the test below; and one role, revoked to none. */
  const teacher: Actor = { userId: 'larare.b', agency: 'school', role: 'teacher' };
  const teacherHealth: Actor = { userId: 'larare.b', agency: 'school', role: 'student-health' };
  const leaving: Actor = { userId: 'larare.c', agency: 'school', role: 'teacher' };

  const { http } = embeddedApi({ SAMVERKAN_SEED: 'off', SAMVERKAN_API_KEYS: apiKeys }, [
    principal,
    studentHealth,
    officer,
    schoolAdmin,
    teacher,
    teacherHealth,
    leaving,
  ]);

  const me = (authorization: string) => http().get('/me').set('Authorization', authorization);

  it('takes the user from the token and their agency and roles from the register', async () => {
    const res = await me(`Bearer ${tokenFor(principal)}`).expect(200);
    expect(res.body).toEqual({
      userId: 'anna',
      displayName: null,
      agency: 'school',
      role: 'principal',
      roles: ['principal', 'student-health'],
      pending: false,
      via: 'development-token',
    });
    // The same user acts in another role they hold by asking for it.
    const other = await me(`Bearer ${tokenFor(studentHealth)}`).expect(200);
    expect(other.body).toMatchObject({ userId: 'anna', agency: 'school', role: 'student-health' });
    // A token that asks for no role acts in the first one granted.
    const first = await me(`Bearer ${signed({}, { subject: 'anna', expiresIn: 600 })}`).expect(200);
    expect(first.body).toMatchObject({ userId: 'anna', role: 'principal' });
  });

  it('never takes the agency from the token', async () => {
    for (const agency of ['police', 'nato']) {
      const token = signed({ agency, role: 'principal' }, { subject: 'anna', expiresIn: 600 });
      const res = await me(`Bearer ${token}`).expect(200);
      expect([agency, res.body.agency]).toEqual([agency, 'school']);
    }
  });

  it.each([
    ['an expired token', () => tokenFor(officer, TEST_SECRET, -10)],
    [
      'a token signed with another key',
      () => tokenFor(officer, 'another-secret-0123456789-0123456789'),
    ],
    ['a token without an expiry', () => signed({ role: 'officer' }, { subject: officer.userId })],
    [
      'an unsigned token (alg none)',
      () =>
        signed({ role: 'officer' }, { subject: officer.userId, expiresIn: 600, algorithm: 'none' }),
    ],
    ['a token that names no user', () => signed({ role: 'officer' }, { expiresIn: 600 })],
    [
      'a token for a user the register does not know',
      () => tokenFor({ userId: 'okand.1', agency: 'police', role: 'officer' }),
    ],
  ])('refuses %s with 401', async (_, token) => {
    const res = await me(`Bearer ${token()}`).expect(401);
    expect(res.body.code).toBe('AUTH.UNAUTHENTICATED');
  });

  it('refuses a granted user a role they do not hold with 403 AUTH.ROLE_NOT_HELD', async () => {
    for (const role of ['teacher', 'officer']) {
      const res = await me(`Bearer ${tokenFor({ ...principal, role } as Actor)}`).expect(403);
      expect([role, res.body.code]).toEqual([role, 'AUTH.ROLE_NOT_HELD']);
    }
    // The officer's own token still opens what it did.
    await me(`Bearer ${tokenFor(officer)}`).expect(200);
  });

  it('refuses a revoked role on the next request, with a token issued before', async () => {
    const teacherToken = tokenFor(teacher);
    const healthToken = tokenFor(teacherHealth);
    const leavingToken = tokenFor(leaving);
    await me(`Bearer ${teacherToken}`).expect(200);
    await me(`Bearer ${leavingToken}`).expect(200);
    const revoke = (actor: Actor) =>
      http()
        .post('/partnership/user-roles/revocations')
        .set(bearer(schoolAdmin))
        .send({ ...actor, reason: 'Slutat på skolan' })
        .expect(201);

    await revoke(teacher);
    const refused = await me(`Bearer ${teacherToken}`).expect(403);
    expect(refused.body.code).toBe('AUTH.ROLE_NOT_HELD');
    // The role still held goes on.
    const still = await me(`Bearer ${healthToken}`).expect(200);
    expect(still.body).toMatchObject({ role: 'student-health', roles: ['student-health'] });

    // With the last role gone the user is unknown again.
    await revoke(leaving);
    const gone = await me(`Bearer ${leavingToken}`).expect(401);
    expect(gone.body.code).toBe('AUTH.UNAUTHENTICATED');
  });

  it('authenticates an agency system by its API key, as that agency’s system role', async () => {
    const res = await me(`ApiKey ${key}`).expect(200);
    expect(res.body).toEqual({
      userId: 'system:police-case-system',
      displayName: null,
      agency: 'police',
      role: 'agency-system',
      roles: ['agency-system'],
      pending: false,
      via: 'api-key',
    });
    await me(`ApiKey ${key}x`).expect(401);
    await me('Basic dXNlcjpwYXNz').expect(401);
  });

  it('keeps /health open and everything else closed', async () => {
    await http().get('/health').expect(200);
    await http().get('/promises/hammaro-2023-2025').expect(401);
  });
});

describe('authentication in production: no development tokens, API keys still', () => {
  // Granted, so the token is refused for being a development token and for nothing else.
  const officer: Actor = { userId: 'polis.a', agency: 'police', role: 'officer' };
  const { http } = embeddedApi(
    { SAMVERKAN_SEED: 'off', SAMVERKAN_ENV: 'production', SAMVERKAN_API_KEYS: apiKeys },
    [officer],
  );

  it('refuses a granted user’s development token with 401', async () => {
    const res = await http().get('/me').set(bearer(officer)).expect(401);
    expect(res.body.code).toBe('AUTH.UNAUTHENTICATED');
    expect(res.body.detail).toMatch(/production/);
  });

  it('accepts an agency system’s API key', async () => {
    const res = await http().get('/me').set('Authorization', `ApiKey ${key}`).expect(200);
    expect(res.body).toMatchObject({ userId: 'system:police-case-system', via: 'api-key' });
  });
});
