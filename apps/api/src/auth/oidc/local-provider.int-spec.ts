import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import type * as OpenIdClient from 'openid-client' with { 'resolution-mode': 'import' };
import { CookieJar } from '../../../../../test/support/browser';
import {
  createLocalProvider,
  SAMVERKAN_API_AUDIENCE,
  type DemoAccount,
  type LocalProvider,
} from './local-provider';

/**
 * The local provider driven end to end over HTTP by the real openid-client, the way a browser
 * (redirects followed by hand, a small cookie jar) and the relying party would.
 */

const WEB_CLIENT = { clientId: 'samverkan-web', clientSecret: 'webbhemlighet-for-test-0123456789' };
const AGENCY_CLIENT = {
  clientId: 'byra-system',
  clientSecret: 'byrahemlighet-for-test-0123456789',
};
const ACCOUNTS: DemoAccount[] = [
  { subject: 'demo-polis', displayName: 'Anna Lindqvist', description: 'Kommunpolis, Polisen' },
  {
    subject: 'demo-soc',
    displayName: 'Erik Öberg',
    description: 'Socialsekreterare, Socialtjänsten & fritid',
  },
  { subject: 'demo-escape', displayName: '<script>alert(1)</script>', description: '"citat"' },
];

type Config = OpenIdClient.Configuration;
let client: typeof OpenIdClient;
let server: Server;
let origin: string;
let issuer: string;
let redirectUri: string;
let postLogoutRedirectUri: string;
let directory: string;
let keysFile: string;
let provider: LocalProvider;
let config: Config;

beforeAll(async () => {
  client = await import('openid-client');
  directory = await mkdtemp(join(tmpdir(), 'samverkan-oidc-'));
  keysFile = join(directory, 'nycklar', 'oidc-jwks.json');
  const app = express();
  server = createServer(app);
  // The issuer names the port, so it is learnt before the provider exists.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = `${origin}/oidc`;
  redirectUri = `${origin}/callback`;
  postLogoutRedirectUri = `${origin}/utloggad`;
  provider = await createLocalProvider({
    issuer,
    clients: [
      {
        ...WEB_CLIENT,
        redirectUris: [redirectUri],
        postLogoutRedirectUris: [postLogoutRedirectUri],
      },
      {
        ...AGENCY_CLIENT,
        redirectUris: [],
        postLogoutRedirectUris: [],
        grantTypes: ['client_credentials'],
      },
    ],
    accounts: ACCOUNTS,
    keysFile,
    cookieSecret: 'kakhemlighet-for-test-0123456789abcdef',
  });
  app.use('/oidc', provider.handler);
  config = await discover();
});

afterAll(async () => {
  jest.restoreAllMocks();
  await new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
  await rm(directory, { recursive: true, force: true });
});

// openid-client skips the ID token's signature when it comes straight from the token endpoint
// (TLS vouches for it); enableNonRepudiationChecks makes it verify against the JWKS, which is
// what the key rotation is about.
const discover = (): Promise<Config> =>
  client.discovery(new URL(issuer), WEB_CLIENT.clientId, WEB_CLIENT.clientSecret, undefined, {
    execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks],
  });

interface Visit {
  /** The last response fetched (a page, or the redirect that left the provider). */
  readonly response: Response;
  readonly html: string;
  /** Where the provider sent the browser outside itself (the client's URIs), if it did. */
  readonly leftTo?: URL;
}

class Browser {
  readonly jar = new CookieJar();

  /** Fetches and follows redirects within the provider; stops at a page or at a client's URI. */
  async visit(target: URL | string, form?: Record<string, string>): Promise<Visit> {
    let url = new URL(target, origin);
    let init: RequestInit = form
      ? {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form).toString(),
        }
      : { method: 'GET' };
    for (let hops = 0; hops < 10; hops += 1) {
      const headers = new Headers(init.headers);
      const cookie = this.jar.header(url);
      if (cookie) headers.set('cookie', cookie);
      const response = await fetch(url, { ...init, headers, redirect: 'manual' });
      this.jar.store(url, response);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        return { response, html: await response.text() };
      }
      await response.arrayBuffer();
      const next = new URL(location, url);
      if (!next.pathname.startsWith('/oidc/')) return { response, html: '', leftTo: next };
      url = next;
      init = { method: 'GET' };
    }
    throw new Error('too many redirects');
  }
}

interface Authorization {
  readonly callback: URL;
  readonly verifier: string;
  readonly state: string;
}

const loginPageTitle = /<title>Logga in \(utvecklingsläge\) – Samverkan<\/title>/;

/** An authorization request with PKCE, the demo login page if shown, back to the redirect_uri. */
async function authorize(
  browser: Browser,
  configuration: Config,
  subject: string | undefined,
  extra: Record<string, string> = {},
): Promise<Authorization> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(configuration, {
    redirect_uri: redirectUri,
    scope: 'openid profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...extra,
  });
  let visit = await browser.visit(url);
  if (subject !== undefined) {
    expect(visit.response.status).toBe(200);
    expect(visit.html).toMatch(loginPageTitle);
    const action = /<form method="post" action="([^"]+)">/.exec(visit.html)?.[1];
    expect(action).toMatch(/^\/oidc\/interaction\/[\w-]+\/login$/);
    visit = await browser.visit(action!, { subject });
  }
  expect(visit.leftTo?.origin + (visit.leftTo?.pathname ?? '')).toBe(redirectUri);
  return { callback: visit.leftTo!, verifier, state };
}

async function signIn(browser: Browser, configuration: Config, subject?: string, extra = {}) {
  const { callback, verifier, state } = await authorize(browser, configuration, subject, extra);
  expect(callback.searchParams.get('code')).toBeTruthy();
  return client.authorizationCodeGrant(configuration, callback, {
    pkceCodeVerifier: verifier,
    expectedState: state,
  });
}

const kidOf = (jwt: string): unknown =>
  (JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()) as { kid?: unknown }).kid;

async function publishedKids(): Promise<string[]> {
  const response = await fetch(config.serverMetadata().jwks_uri!);
  const jwks = (await response.json()) as { keys: Record<string, unknown>[] };
  for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
  return jwks.keys.map((key) => String(key['kid']));
}

describe('the local OpenID provider', () => {
  const browser = new Browser();
  let firstIdToken: string;

  it('publishes discovery for code flow with PKCE S256, both secret methods and logout', () => {
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(issuer);
    expect(metadata.response_types_supported).toEqual(['code']);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect([...(metadata.token_endpoint_auth_methods_supported ?? [])].sort()).toEqual([
      'client_secret_basic',
      'client_secret_post',
    ]);
    expect(metadata.end_session_endpoint).toBe(`${issuer}/session/end`);
    expect(metadata.grant_types_supported).toContain('client_credentials');
  });

  it('creates the key file with mode 0600', async () => {
    const keys = JSON.parse(await readFile(keysFile, 'utf8')) as { keys: { kid: string }[] };
    expect(keys.keys).toHaveLength(1);
    expect((await stat(keysFile)).mode & 0o777).toBe(0o600);
    expect(await publishedKids()).toEqual([keys.keys[0]!.kid]);
  });

  it('renders an escaped Swedish login page with a button per demo account', async () => {
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const { response, html } = await new Browser().visit(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html).toContain('<html lang="sv">');
    expect(html).toContain('<h1>Logga in (utvecklingsläge)</h1>');
    expect(html.match(/<button type="submit" name="subject"/g)).toHaveLength(3);
    expect(html).toContain('value="demo-polis"><strong>Anna Lindqvist</strong>');
    expect(html).toContain('<span>Kommunpolis, Polisen</span>');
    expect(html).toContain('Socialtjänsten &#38; fritid');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).not.toContain('<script');
    expect(html).toContain('&#34;citat&#34;');
  });

  it('runs the code flow with PKCE and puts sub and name in the ID token', async () => {
    const tokens = await signIn(browser, config, 'demo-polis');
    expect(tokens.claims()).toMatchObject({
      iss: issuer,
      aud: WEB_CLIENT.clientId,
      sub: 'demo-polis',
      name: 'Anna Lindqvist',
    });
    firstIdToken = tokens.id_token!;
    expect(kidOf(firstIdToken)).toBe((await publishedKids())[0]);
  });

  it('refuses an authorization request without PKCE', async () => {
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile',
    });
    const { leftTo } = await new Browser().visit(url);
    expect(leftTo?.searchParams.get('error')).toBe('invalid_request');
    expect(leftTo?.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('answers 400 to an unknown subject at login', async () => {
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const visitor = new Browser();
    const page = await visitor.visit(url);
    const action = /<form method="post" action="([^"]+)">/.exec(page.html)![1]!;
    const { response, html } = await visitor.visit(action, { subject: 'okand-person' });
    expect(response.status).toBe(400);
    expect(html).toContain('<html lang="sv">');
    expect(html).toContain('<h1>Okänt konto</h1>');
  });

  it('answers 400 at an interaction without its cookie', async () => {
    const response = await fetch(`${issuer}/interaction/finns-inte`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Inloggningen har gått ut');
  });

  it('rotates the signing key: the new one signs, both are published, both kinds of client verify', async () => {
    const [oldKid] = await publishedKids();
    await provider.rotateSigningKey();
    const kids = await publishedKids();
    expect(kids).toHaveLength(2);
    expect(kids[1]).toBe(oldKid);
    const newKid = kids[0];
    expect(newKid).not.toBe(oldKid);
    const stored = JSON.parse(await readFile(keysFile, 'utf8')) as { keys: { kid: string }[] };
    expect(stored.keys.map((key) => key.kid)).toEqual(kids);
    expect((await stat(keysFile)).mode & 0o777).toBe(0o600);

    // The session from before the rotation still holds: no login page, straight back with a code.
    const fresh = await discover();
    const viaFresh = await signIn(browser, fresh);
    expect(kidOf(viaFresh.id_token!)).toBe(newKid);
    expect(viaFresh.claims()).toMatchObject({ sub: 'demo-polis', name: 'Anna Lindqvist' });

    // The original Configuration still caches the one-key JWKS; oauth4webapi refetches on an
    // unknown kid only once that cache is at least 60 s old, so the clock is moved on 61 s.
    const now = Date.now.bind(Date);
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now() + 61_000);
    try {
      // Another person's browser: signing in as someone else in the same browser would first
      // end the current session through a script-submitted form, which this jar does not run.
      const viaOriginal = await signIn(new Browser(), config, 'demo-soc');
      expect(kidOf(viaOriginal.id_token!)).toBe(newKid);
      expect(viaOriginal.claims()).toMatchObject({ sub: 'demo-soc', name: 'Erik Öberg' });
    } finally {
      clock.mockRestore();
    }
  });

  it('keeps the keys across a restart from the same key file', async () => {
    const app = express();
    const restarted = await createLocalProvider({
      issuer: `${origin}/oidc-omstart`,
      clients: [],
      accounts: ACCOUNTS,
      keysFile,
      cookieSecret: 'en-annan-kakhemlighet-0123456789abcdef',
    });
    app.use('/oidc-omstart', restarted.handler);
    const other = createServer(app);
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const port = (other.address() as AddressInfo).port;
      const jwks = (await (await fetch(`http://127.0.0.1:${port}/oidc-omstart/jwks`)).json()) as {
        keys: { kid: string }[];
      };
      expect(jwks.keys.map((key) => key.kid)).toEqual(await publishedKids());
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('logs out through the end-session endpoint after confirmation', async () => {
    const { id_token } = await signIn(browser, config);
    const state = client.randomState();
    const endSession = client.buildEndSessionUrl(config, {
      id_token_hint: id_token!,
      post_logout_redirect_uri: postLogoutRedirectUri,
      state,
    });
    expect(endSession.pathname).toBe('/oidc/session/end');

    // The provider asks before it ends the session (a GET alone must not log anyone out).
    const confirm = await browser.visit(endSession);
    expect(confirm.response.status).toBe(200);
    expect(confirm.html).toContain('<html lang="sv">');
    expect(confirm.html).toContain('Ja, logga ut');
    const action = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(
      confirm.html,
    )?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.html)?.[1];
    expect(action).toBe(`${issuer}/session/end/confirm`);
    expect(xsrf).toBeTruthy();

    const done = await browser.visit(action!, { xsrf: xsrf!, logout: 'yes' });
    expect(done.leftTo?.origin + (done.leftTo?.pathname ?? '')).toBe(postLogoutRedirectUri);
    expect(done.leftTo?.searchParams.get('state')).toBe(state);

    // The session is gone: the next authorization shows the login page again.
    const again = await authorize(browser, config, 'demo-polis');
    expect(again.callback.searchParams.get('code')).toBeTruthy();
  });

  it('issues a JWT access token for samverkan-api by client_credentials', async () => {
    const { createRemoteJWKSet, jwtVerify, decodeProtectedHeader } = await import('jose');
    const agency = await client.discovery(
      new URL(issuer),
      AGENCY_CLIENT.clientId,
      undefined,
      client.ClientSecretBasic(AGENCY_CLIENT.clientSecret),
      { execute: [client.allowInsecureRequests] },
    );
    const tokens = await client.clientCredentialsGrant(agency, { scope: 'api' });
    expect(tokens.token_type).toBe('bearer');
    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({
      typ: 'at+jwt',
      alg: 'RS256',
      kid: (await publishedKids())[0],
    });
    const jwks = createRemoteJWKSet(new URL(agency.serverMetadata().jwks_uri!));
    const { payload } = await jwtVerify(tokens.access_token, jwks, {
      issuer,
      audience: SAMVERKAN_API_AUDIENCE,
    });
    expect(payload).toMatchObject({ aud: 'samverkan-api', client_id: 'byra-system', scope: 'api' });

    // The web client is not registered for this grant (oidc-provider answers invalid_request).
    await expect(client.clientCredentialsGrant(config)).rejects.toMatchObject({
      error: 'invalid_request',
      error_description: 'requested grant type is not allowed for this client',
    });
  });
});
