import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import {
  LOCAL_SYSTEM_CLIENT_ID,
  LocalOidcProvider,
  localProviderEnabled,
  localSecretFor,
} from '../apps/api/src/auth/oidc/local-oidc.service';
import { createLocalProvider, type LocalProvider } from '../apps/api/src/auth/oidc/local-provider';
import { demoAdministrator } from '../apps/api/src/seed/demo-users';
import { seedActors } from '../apps/api/src/seed/seed-step';
import { requirePostgres, TestDatabases } from '../libs/event-store/src/postgres/test-databases';
import type { Actor } from '../libs/domain/src/actor';
import { bearer, grantUsers, startApi, TEST_SECRET } from './support/api-harness';
import { Browser, freePort } from './support/browser';
import { listeningApi, type Started } from './support/listening-api';

/**
 * Sign-in as a municipality runs it, end to end over HTTP: the authorization code flow with
 * PKCE against the development provider (a real oidc-provider), the session it opens, CSRF,
 * sign-out, bearer tokens from trusted issuers, and the register deciding on every request.
 */

const PROMISE = '/promises/hammaro-2023-2025';
const jose = () => import('jose');

/** A client-credentials access token for an agency system, from a provider's token endpoint. */
async function systemToken(issuer: string, clientId: string, secret: string): Promise<string> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api' }).toString(),
  });
  const body = (await response.json()) as { access_token?: string };
  expect(response.status).toBe(200);
  return body.access_token!;
}

const kidOf = (jwt: string): unknown =>
  (JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()) as { kid?: unknown }).kid;

describe('sign-in through the development provider, on the seeded embedded store', () => {
  let api: Started;
  let http: () => ReturnType<typeof request>;
  // A second provider the partnership trusts for the police only.
  let policeServer: Server;
  let policeProvider: LocalProvider;
  let policeIssuer: string;
  const policeDir = mkdtempSync(join(tmpdir(), 'samverkan-police-idp-'));
  const POLICE_SYSTEM = {
    clientId: 'polisens-system',
    secret: 'polisens-hemlighet-0123456789-abcdef',
  };

  beforeAll(async () => {
    const app = express();
    policeServer = createServer(app);
    const port = await freePort();
    const apiPort = await freePort();
    policeIssuer = `http://127.0.0.1:${port}/oidc`;
    policeProvider = await createLocalProvider({
      issuer: policeIssuer,
      clients: [
        {
          // The police's provider also signs people in to the service (code flow).
          clientId: 'samverkan-polis',
          clientSecret: POLICE_SYSTEM.secret,
          redirectUris: [`http://127.0.0.1:${apiPort}/api/auth/callback`],
          postLogoutRedirectUris: [`http://127.0.0.1:${apiPort}/`],
        },
        {
          clientId: POLICE_SYSTEM.clientId,
          clientSecret: POLICE_SYSTEM.secret,
          redirectUris: [],
          postLogoutRedirectUris: [],
          grantTypes: ['client_credentials'],
        },
      ],
      accounts: [{ subject: 'polis-1', displayName: 'Polis Ett', description: 'Polis' }],
      keysFile: join(policeDir, 'keys.json'),
      cookieSecret: 'polisens-kakhemlighet-0123456789-abcdef',
    });
    app.use('/oidc', policeProvider.handler);
    await new Promise<void>((resolve) => policeServer.listen(port, '127.0.0.1', resolve));
    api = await listeningApi(
      {
        SAMVERKAN_SEED: 'auto',
        SAMVERKAN_OIDC_ISSUERS: JSON.stringify([
          {
            id: 'polisen',
            name: 'Polisen (test)',
            issuer: policeIssuer,
            clientId: 'samverkan-polis',
            clientSecret: POLICE_SYSTEM.secret,
            agencies: ['police'],
          },
        ]),
      },
      apiPort,
    );
    http = () => request(api.base);
  });

  afterAll(async () => {
    await api?.stop();
    await new Promise((resolve) => policeServer?.close(resolve));
    rmSync(policeDir, { recursive: true, force: true });
  });

  it('lists the trusted providers, the development one among them', async () => {
    const res = await http().get('/auth/providers').expect(200);
    expect(res.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: 'utveckling',
          signIn: '/api/auth/login?provider=utveckling',
        }),
        expect.objectContaining({ id: 'polisen', agencies: ['police'] }),
      ]),
    );
  });

  it('signs a demo user in with the code flow and PKCE, opens a session cookie, and serves the API on it', async () => {
    const browser = new Browser(api.base);
    const visit = await browser.signIn(seedActors.municipalPoliceOfficer.userId, '/me');
    // The service sent the browser to the provider with a PKCE challenge (S256), state and nonce.
    const toProvider = new URL(visit.loginTrail[0]!.response.headers.get('location')!);
    expect(toProvider.origin + toProvider.pathname).toBe(`${api.base}/oidc/auth`);
    expect(toProvider.searchParams.get('code_challenge_method')).toBe('S256');
    expect(toProvider.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(toProvider.searchParams.get('state')).toBeTruthy();
    expect(toProvider.searchParams.get('nonce')).toBeTruthy();
    expect(toProvider.searchParams.get('redirect_uri')).toBe(`${api.base}/api/auth/callback`);

    // The callback opened the session: httpOnly, SameSite=Lax, not Secure over plain http.
    const callback = visit.trail.find((step) => step.url.pathname === '/api/auth/callback');
    expect(callback?.response.status).toBe(303);
    const cookie = callback!.response.headers
      .getSetCookie()
      .find((c) => c.startsWith('samverkan_session='));
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; Max-Age=36000/);
    expect(cookie).not.toMatch(/; Secure/);

    expect(visit.response.status).toBe(200);
    expect(JSON.parse(visit.body)).toEqual({
      userId: 'kommunpolis.hammaro',
      displayName: 'Demo Kommunpolis',
      agency: 'police',
      role: 'municipal-police-officer',
      roles: ['municipal-police-officer'],
      pending: false,
      via: 'session',
    });
    const promise = await browser.visit(PROMISE);
    expect(promise.response.status).toBe(200);
    expect(JSON.parse(promise.body)).toMatchObject({ status: 'in_force' });
  });

  it('refuses a change made with the session cookie without its CSRF token, and makes it with the token', async () => {
    const browser = new Browser(api.base);
    await browser.signIn(seedActors.youthWorker.userId);
    const refused = await browser.visit('/auth/session/role', { json: { role: 'youth-worker' } });
    expect(refused.response.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'AUTH.CSRF' });
    const wrong = await browser.visit('/auth/session/role', {
      json: { role: 'youth-worker' },
      headers: { 'x-csrf-token': 'x'.repeat(43) },
    });
    expect(wrong.response.status).toBe(403);

    const session = JSON.parse((await browser.visit('/auth/session')).body) as {
      csrfToken: string;
    };
    expect(session.csrfToken).toMatch(/^[\w-]{43}$/);
    const made = await browser.visit('/auth/session/role', {
      json: { role: 'youth-worker' },
      headers: { 'x-csrf-token': session.csrfToken },
    });
    expect(made.response.status).toBe(200);
  });

  it('lets a user with several roles act in one at a time, switchable, and never in a role not held', async () => {
    const admin = demoAdministrator('police');
    await http()
      .post('/partnership/user-roles')
      .set(bearer(admin))
      .send({ userId: seedActors.policeOfficer.userId, agency: 'police', role: 'analyst' })
      .expect(201);
    const browser = new Browser(api.base);
    await browser.signIn(seedActors.policeOfficer.userId);
    const session = JSON.parse((await browser.visit('/auth/session')).body) as {
      csrfToken: string;
      roles: string[];
      activeRole: string;
    };
    expect(session.roles).toEqual(['officer', 'analyst']);
    expect(session.activeRole).toBe('officer');
    const headers = { 'x-csrf-token': session.csrfToken };
    expect(
      (await browser.visit('/auth/session/role', { json: { role: 'analyst' }, headers })).response
        .status,
    ).toBe(200);
    expect(JSON.parse((await browser.visit('/me')).body)).toMatchObject({ role: 'analyst' });
    const refused = await browser.visit('/auth/session/role', {
      json: { role: 'area-chief' },
      headers,
    });
    expect(refused.response.status).toBe(403);
    expect(JSON.parse((await browser.visit('/me')).body)).toMatchObject({ role: 'analyst' });

    // The active role revoked: the next request is refused, not quietly moved to another role.
    await http()
      .post('/partnership/user-roles/revocations')
      .set(bearer(admin))
      .send({
        userId: seedActors.policeOfficer.userId,
        agency: 'police',
        role: 'analyst',
        reason: 'Analysuppdraget avslutat',
      })
      .expect(201);
    const after = await browser.visit(PROMISE);
    expect(after.response.status).toBe(403);
    expect(JSON.parse(after.body)).toMatchObject({ code: 'AUTH.ROLE_NOT_HELD' });
    // Not stuck: they may still choose a role they hold (or sign out).
    const back = await browser.visit('/auth/session/role', { json: { role: 'officer' }, headers });
    expect(back.response.status).toBe(200);
    expect((await browser.visit(PROMISE)).response.status).toBe(200);
  });

  it('signs out: the session ends, the cookie is cleared, and the provider’s end-session endpoint is reached', async () => {
    const browser = new Browser(api.base);
    await browser.signIn(seedActors.principal.userId);
    const sessionCookie = browser.jar.get('samverkan_session')!;
    const { csrfToken } = JSON.parse((await browser.visit('/auth/session')).body) as {
      csrfToken: string;
    };
    const out = await browser.visit('/auth/logout', {
      json: {},
      headers: { 'x-csrf-token': csrfToken },
    });
    expect(out.response.status).toBe(200);
    const cleared = out.response.headers
      .getSetCookie()
      .find((c) => c.startsWith('samverkan_session='));
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
    const { endSessionUrl } = JSON.parse(out.body) as { endSessionUrl: string };
    const end = new URL(endSessionUrl);
    expect(end.origin + end.pathname).toBe(`${api.base}/oidc/session/end`);
    // The ID token is not kept (it holds the provider's subject): the client id names us.
    expect(end.searchParams.get('id_token_hint')).toBeNull();
    expect(end.searchParams.get('client_id')).toBe('samverkan-dev');
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${api.base}/`);
    // The provider answers with its sign-out confirmation (it signs out on a POST, not a GET).
    const atProvider = await browser.visit(endSessionUrl);
    expect(atProvider.response.status).toBe(200);
    expect(atProvider.body).toMatch(/<html lang="sv"/);

    expect(browser.jar.get('samverkan_session')).toBeUndefined();
    await http().get('/me').set('Cookie', `samverkan_session=${sessionCookie}`).expect(401);
  });

  it('takes an agency system’s client-credentials token: pending until its administrator grants it, and still after the provider rotates its key', async () => {
    const issuer = `${api.base}/oidc`;
    const secret = localSecretFor('system-client');
    const token = await systemToken(issuer, LOCAL_SYSTEM_CLIENT_ID, secret);
    const me = await http().get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body).toMatchObject({ pending: true, agency: null, role: null, via: 'bearer' });
    const systemId = (me.body as { userId: string }).userId;
    expect(systemId).toMatch(/^u-[a-z]{24}$/);
    const refused = await http().get(PROMISE).set('Authorization', `Bearer ${token}`).expect(403);
    expect(refused.body).toMatchObject({ code: 'AUTH.NO_ROLE' });

    // The administrator sees it as pending, and grants it by its id.
    const admin = demoAdministrator('social-services');
    const users = await http().get('/partnership/users').set(bearer(admin)).expect(200);
    expect(
      (users.body as { pending: { userId: string }[] }).pending.map((p) => p.userId),
    ).toContain(systemId);
    await http()
      .post('/partnership/user-roles')
      .set(bearer(admin))
      .send({ userId: systemId, agency: 'social-services', role: 'agency-system' })
      .expect(201);
    await http().get(PROMISE).set('Authorization', `Bearer ${token}`).expect(200);

    await api.app.get(LocalOidcProvider).rotateSigningKey();
    const rotated = await systemToken(issuer, LOCAL_SYSTEM_CLIENT_ID, secret);
    expect(kidOf(rotated)).not.toEqual(kidOf(token));
    await http().get(PROMISE).set('Authorization', `Bearer ${rotated}`).expect(200);
    // Tokens signed with the key before the rotation still verify until they expire.
    await http().get(PROMISE).set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('refuses a token from an issuer the partnership does not trust for the user’s agency', async () => {
    const token = await systemToken(policeIssuer, POLICE_SYSTEM.clientId, POLICE_SYSTEM.secret);
    const me = await http().get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    const userId = (me.body as { userId: string }).userId;
    // Granted by the school: the police's provider may not vouch for a user of the school.
    await http()
      .post('/partnership/user-roles')
      .set(bearer(demoAdministrator('school')))
      .send({ userId, agency: 'school', role: 'agency-system' })
      .expect(201);
    const refused = await http().get(PROMISE).set('Authorization', `Bearer ${token}`).expect(401);
    expect(refused.body).toMatchObject({ code: 'AUTH.UNAUTHENTICATED' });
    expect((refused.body as { detail: string }).detail).toMatch(
      /may not vouch for users of school/,
    );
  });

  it('lets a user administrator issue an API key for an agency system, shown once and refused from the request after its revocation', async () => {
    const admin = demoAdministrator('police');
    await http()
      .post('/partnership/api-keys')
      .set(bearer(seedActors.policeChief))
      .send({ systemId: 'polisens-arendesystem', label: 'Ärendesystemet' })
      .expect(403);
    const issued = await http()
      .post('/partnership/api-keys')
      .set(bearer(admin))
      .send({ systemId: 'polisens-arendesystem', label: 'Ärendesystemet' })
      .expect(201);
    const { key, keyId } = issued.body as { key: string; keyId: string };
    expect(key).toMatch(/^svk_[\w-]{43}$/);
    const me = await http().get('/me').set('Authorization', `ApiKey ${key}`).expect(200);
    expect(me.body).toMatchObject({
      userId: 'system:police:polisens-arendesystem',
      agency: 'police',
      role: 'agency-system',
      via: 'api-key',
    });
    const listed = await http().get('/partnership/api-keys').set(bearer(admin)).expect(200);
    expect(listed.body).toEqual([
      expect.objectContaining({ keyId, systemId: 'polisens-arendesystem', revokedAt: null }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(key);
    // Another agency's administrator cannot revoke it, nor learn that it exists.
    await http()
      .post(`/partnership/api-keys/${keyId}/revocation`)
      .set(bearer(demoAdministrator('school')))
      .expect(404);
    await http().get(PROMISE).set('Authorization', `ApiKey ${key}`).expect(200);
    await http().post(`/partnership/api-keys/${keyId}/revocation`).set(bearer(admin)).expect(200);
    await http().get(PROMISE).set('Authorization', `ApiKey ${key}`).expect(401);
  });

  it('answers a forged or replayed callback 401 and keeps it in the security log without what was sent', async () => {
    const operator: Actor = {
      userId: 'drift.inloggning',
      agency: 'municipality',
      role: 'operator',
    };
    await grantUsers(api.app, [operator]);
    const forged = await http().get(
      '/api/auth/callback?state=forged-state-value&code=stolen-code-value',
    );
    expect(forged.status).toBe(401);
    // A real flow's callback, replayed: its state was used once and is gone.
    const browser = new Browser(api.base);
    const visit = await browser.signIn(seedActors.youthWorker.userId);
    const callback = visit.trail.find((step) => step.url.pathname === '/api/auth/callback')!;
    await http()
      .get(callback.url.pathname + callback.url.search)
      .expect(401);
    const log = await http().get('/security-log').set(bearer(operator)).expect(200);
    const entries = log.body as unknown[];
    expect(entries).toContainEqual(
      expect.objectContaining({
        kind: 'authentication-failed',
        route: '/api/auth/callback',
        status: 401,
      }),
    );
    const text = JSON.stringify(log.body);
    expect(text).not.toContain('forged-state-value');
    expect(text).not.toContain('stolen-code-value');
    expect(text).not.toContain(callback.url.searchParams.get('code')!);
  });

  it('completes a sign-in only in the browser that started it (no login CSRF)', async () => {
    const started = new Browser(api.base);
    const stopped = await started.signIn(
      seedActors.principal.userId,
      '/me',
      (url) => url.pathname === '/api/auth/callback',
    );
    const callback = new URL(stopped.response.headers.get('location')!, api.base);
    expect(callback.pathname).toBe('/api/auth/callback');
    // Another browser led to the same callback (a link in a mail) is refused, and opens nothing.
    const victim = new Browser(api.base);
    const refused = await victim.visit(callback.pathname + callback.search);
    expect(refused.response.status).toBe(401);
    expect(victim.jar.get('samverkan_session')).toBeUndefined();
    // The browser that started it completes it.
    const done = await started.visit(callback.pathname + callback.search);
    expect(done.response.status).toBe(200);
    expect(JSON.parse(done.body)).toMatchObject({ userId: seedActors.principal.userId });
  });

  it('ends the session a browser had when it signs in again, so a known session id opens nothing', async () => {
    const browser = new Browser(api.base);
    await browser.signIn(seedActors.youthWorker.userId);
    const before = browser.jar.get('samverkan_session')!;
    // The provider remembers the browser (single sign-on): no login page the second time.
    const again = await browser.visit('/api/auth/login?provider=utveckling&returnTo=/me');
    expect(JSON.parse(again.body)).toMatchObject({ userId: seedActors.youthWorker.userId });
    const after = browser.jar.get('samverkan_session')!;
    expect(after).not.toBe(before);
    await http().get('/me').set('Cookie', `samverkan_session=${before}`).expect(401);
    await http().get('/me').set('Cookie', `samverkan_session=${after}`).expect(200);
  });

  it('ends a session whose provider may not vouch for the agency the user is granted afterwards', async () => {
    // A person signs in through the police's provider (another origin) and waits for a role.
    const browser = new Browser(api.base);
    const login = await browser.visit('/api/auth/login?provider=polisen&returnTo=/me');
    const action = /<form method="post" action="([^"]+)">/.exec(login.body)?.[1];
    const at = login.trail[login.trail.length - 1]!.url;
    const me = await browser.visit(new URL(action!.replace(/&amp;/g, '&'), at).href, {
      form: { subject: 'polis-1' },
    });
    const { userId, pending } = JSON.parse(me.body) as { userId: string; pending: boolean };
    expect(pending).toBe(true);
    // The school grants them a school role: the police's provider does not vouch for the school.
    await http()
      .post('/partnership/user-roles')
      .set(bearer(demoAdministrator('school')))
      .send({ userId, agency: 'school', role: 'teacher' })
      .expect(201);
    const refused = await browser.visit('/me');
    expect(refused.response.status).toBe(401);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'AUTH.UNAUTHENTICATED' });
    // The session is gone, not just refused once.
    await http()
      .post('/partnership/user-roles/revocations')
      .set(bearer(demoAdministrator('school')))
      .send({ userId, agency: 'school', role: 'teacher', reason: 'Fel myndighet' })
      .expect(201);
    expect((await browser.visit('/me')).response.status).toBe(401);
  });

  it('refuses bearer tokens without an expiry, expired, unsigned, signed with another key or for another audience', async () => {
    const { importJWK, SignJWT, generateKeyPair, UnsecuredJWT } = await jose();
    const issuer = `${api.base}/oidc`;
    const token = await systemToken(
      issuer,
      LOCAL_SYSTEM_CLIENT_ID,
      localSecretFor('system-client'),
    );
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
      sub: string;
    };
    // The provider's own signing key, from its key file: only the claims are wrong below.
    const { keys } = JSON.parse(readFileSync(join(api.dataDir, 'oidc-dev-keys.json'), 'utf8')) as {
      keys: (Record<string, unknown> & { kid: string; alg?: string })[];
    };
    const providerKey = await importJWK(keys[0]!, 'RS256');
    const signed = (payload: Record<string, unknown>, key = providerKey, kid = keys[0]!.kid) =>
      new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
    const base = { iss: issuer, sub: claims.sub, aud: 'samverkan-api' };
    const now = Math.floor(Date.now() / 1000);

    // The control: the same key and claims with an expiry are accepted.
    await http()
      .get(PROMISE)
      .set('Authorization', `Bearer ${await signed({ ...base, exp: now + 300 })}`)
      .expect(200);

    const refusals: [string, string][] = [
      ['no expiry', await signed({ ...base, iat: now })],
      ['expired', await signed({ ...base, iat: now - 7200, exp: now - 3600 })],
      ['another audience', await signed({ ...base, aud: 'another-api', exp: now + 300 })],
      ['unsigned (alg none)', new UnsecuredJWT({ ...base, exp: now + 300 }).encode()],
      [
        'another key under the same key id',
        await signed({ ...base, exp: now + 300 }, (await generateKeyPair('RS256')).privateKey),
      ],
      [
        'an issuer not trusted',
        await signed({ ...base, iss: 'https://idp.example.org', exp: now + 300 }),
      ],
    ];
    for (const [what, jwt] of refusals) {
      const res = await http().get(PROMISE).set('Authorization', `Bearer ${jwt}`);
      expect([what, res.status]).toEqual([what, 401]);
    }
  });
});

describe('sign-in in production', () => {
  it('refuses to run the local provider in production (the service does not start)', () => {
    expect(() =>
      localProviderEnabled({ SAMVERKAN_ENV: 'production', SAMVERKAN_LOCAL_OIDC: 'on' }),
    ).toThrow('SAMVERKAN_LOCAL_OIDC=on is refused in production');
    expect(localProviderEnabled({ SAMVERKAN_ENV: 'production' })).toBe(false);
    expect(localProviderEnabled({ SAMVERKAN_ENV: 'development' })).toBe(true);
  });

  it('runs no local provider and offers only the configured issuers', async () => {
    const api = await listeningApi({ SAMVERKAN_SEED: 'off', SAMVERKAN_ENV: 'production' });
    try {
      await request(api.base).get('/oidc/.well-known/openid-configuration').expect(404);
      const providers = await request(api.base).get('/auth/providers').expect(200);
      expect(providers.body).toEqual([]);
      const unknown = await request(api.base)
        .get('/api/auth/login?provider=utveckling')
        .expect(422);
      expect(unknown.body).toMatchObject({ code: 'AUTH.UNKNOWN_PROVIDER' });
    } finally {
      await api.stop();
    }
  });
});

describe('a user who signs in before anyone granted them a role', () => {
  let api: Started;
  const socialAdmin = demoAdministrator('social-services');

  beforeAll(async () => {
    api = await listeningApi({ SAMVERKAN_SEED: 'off' });
    await grantUsers(api.app, [socialAdmin]);
  });
  afterAll(async () => api?.stop());

  it('waits as pending, is shown to their agency’s user administrator by name, and works once granted', async () => {
    const http = () => request(api.base);
    const browser = new Browser(api.base);
    const me = await browser.signIn(seedActors.socialWorker.userId, '/me');
    expect(JSON.parse(me.body)).toMatchObject({
      userId: seedActors.socialWorker.userId,
      displayName: 'Demo Socialsekreterare',
      pending: true,
      roles: [],
    });
    const refused = await browser.visit('/situation-picture');
    expect(refused.response.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'AUTH.NO_ROLE' });

    const users = await http().get('/partnership/users').set(bearer(socialAdmin)).expect(200);
    expect((users.body as { pending: unknown[] }).pending).toContainEqual(
      expect.objectContaining({
        userId: seedActors.socialWorker.userId,
        displayName: 'Demo Socialsekreterare',
        provider: 'Utvecklingsinloggning (demoanvändare)',
      }),
    );
    // Someone who is not a user administrator sees no one.
    await grantUsers(api.app, [seedActors.fieldWorker]);
    await http().get('/partnership/users').set(bearer(seedActors.fieldWorker)).expect(403);

    await http()
      .post('/partnership/user-roles')
      .set(bearer(socialAdmin))
      .send({
        userId: seedActors.socialWorker.userId,
        agency: 'social-services',
        role: 'social-worker',
      })
      .expect(201);
    const granted = await browser.visit('/me');
    expect(JSON.parse(granted.body)).toMatchObject({ pending: false, role: 'social-worker' });
    expect((await browser.visit('/situation-picture')).response.status).toBe(200);

    await http()
      .post('/partnership/user-roles/revocations')
      .set(bearer(socialAdmin))
      .send({
        userId: seedActors.socialWorker.userId,
        agency: 'social-services',
        role: 'social-worker',
        reason: 'Slutat',
      })
      .expect(201);
    expect((await browser.visit('/situation-picture')).response.status).toBe(403);
  });

  it('keeps the session across a restart of the service (it lives in the database)', async () => {
    const browser = new Browser(api.base);
    await browser.signIn(seedActors.socialWorker.userId, '/me');
    const port = new URL(api.base).port;
    await api.app.close();
    const again = await startApi({
      DATABASE_URL: undefined,
      SAMVERKAN_DATA_DIR: api.dataDir,
      SAMVERKAN_JWT_SECRET: TEST_SECRET,
      PORT: port,
      SAMVERKAN_PUBLIC_URL: api.base,
      SAMVERKAN_SEED: 'off',
    });
    await again.app.listen(Number(port), '127.0.0.1');
    api.app = again.app;
    const me = await browser.visit('/me');
    expect(me.response.status).toBe(200);
    expect(JSON.parse(me.body)).toMatchObject({ userId: seedActors.socialWorker.userId });
    again.restore();
  });
});

const pg = requirePostgres('the sign-in suite on PostgreSQL (two API instances)');

pg.describe('two API instances on one PostgreSQL database', () => {
  const databases = new TestDatabases(pg.url);
  const officer: Actor = { userId: 'polis.tva-instanser', agency: 'police', role: 'officer' };
  let first: Awaited<ReturnType<typeof startApi>>;
  let second: Awaited<ReturnType<typeof startApi>>;

  beforeAll(async () => {
    const url = await databases.create();
    const env = { DATABASE_URL: url, SAMVERKAN_JWT_SECRET: TEST_SECRET, SAMVERKAN_SEED: 'off' };
    first = await startApi(env);
    second = await startApi(env);
    await grantUsers(first.app, [officer]);
  });
  afterAll(async () => {
    await second?.app.close();
    second?.restore();
    await first?.app.close();
    first?.restore();
    await databases.dropAll();
  });

  it('refuses on the other instance’s next request a role revoked through one', async () => {
    await second.http().get('/situation-picture').set(bearer(officer)).expect(200);
    await first
      .http()
      .post('/partnership/user-roles/revocations')
      .set(bearer({ userId: 'test-admin-police', agency: 'police', role: 'user-administrator' }))
      .send({ ...officer, reason: 'Ny tjänst' })
      .expect(201);
    await second.http().get('/situation-picture').set(bearer(officer)).expect(401);
    // And a grant through the second holds on the first's next request.
    await second
      .http()
      .post('/partnership/user-roles')
      .set(bearer({ userId: 'test-admin-police', agency: 'police', role: 'user-administrator' }))
      .send(officer)
      .expect(201);
    await first.http().get('/situation-picture').set(bearer(officer)).expect(200);
  });
});
