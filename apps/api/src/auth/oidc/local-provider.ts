import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type { JWK } from 'jose' with { 'resolution-mode': 'import' };
import type * as OidcProvider from 'oidc-provider' with { 'resolution-mode': 'import' };
import type {
  AdapterFactory,
  ClientMetadata,
  Configuration,
  ErrorOut,
  KoaContextWithOIDC,
  Provider,
  ResourceServer,
} from 'oidc-provider' with { 'resolution-mode': 'import' };

/**
 * The development-only OpenID provider: a real oidc-provider (the certified implementation) with
 * demo accounts picked on a Swedish page instead of passwords, so the relying-party side of the
 * platform runs the same code path locally as against a real identity provider.
 */

export interface DemoAccount {
  readonly subject: string;
  readonly displayName: string;
  /** Swedish, e.g. 'Kommunpolis, Polisen'. */
  readonly description: string;
}

export interface LocalProviderOptions {
  /** Absolute URL including the mount path, e.g. http://localhost:3000/oidc. */
  readonly issuer: string;
  readonly clients: readonly {
    clientId: string;
    clientSecret: string;
    redirectUris: string[];
    postLogoutRedirectUris: string[];
    grantTypes?: string[];
  }[];
  readonly accounts: readonly DemoAccount[];
  /** JSON file holding the private signing JWKS; created when missing, so restarts keep keys. */
  readonly keysFile: string;
  /** Signs the provider's cookies; at least 32 characters. */
  readonly cookieSecret: string;
}

export interface LocalProvider {
  readonly issuer: string;
  /** A request handler (req, res) to mount on an express app under the issuer's path, e.g. `expressApp.use('/oidc', provider.handler)`. */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** Rotates the signing key: a new key signs from now on, the previous one stays published in the JWKS (so tokens already issued still verify); persists to keysFile. */
  rotateSigningKey(): Promise<void>;
}

/** The resource indicator (RFC 8707 wants an absolute URI) under which the API is known here. */
export const SAMVERKAN_API_RESOURCE = 'urn:samverkan:api';
/** The `aud` of access tokens for the API; the same value as TOKEN_AUDIENCE of the dev tokens. */
export const SAMVERKAN_API_AUDIENCE = 'samverkan-api';

const SIGNING_ALG = 'RS256';
const MIN_COOKIE_SECRET_LENGTH = 32;
const MAX_FORM_BYTES = 8 * 1024;
const HOUR = 60 * 60;
const INTERACTION_ROUTE = /^\/interaction\/([\w-]+)(\/login)?$/;

type SigningJwk = JWK & { kid: string; alg: string; use: 'sig' };
type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;
type OidcModule = typeof OidcProvider;

const logger = new Logger('LocalOidcProvider');

export async function createLocalProvider(options: LocalProviderOptions): Promise<LocalProvider> {
  validate(options);
  const oidc = await import('oidc-provider');
  const issuer = options.issuer;
  const mountPath = new URL(issuer).pathname.replace(/\/$/, '');
  const accounts = new Map(options.accounts.map((account) => [account.subject, account]));
  // Development only: everything (sessions, grants, opaque tokens) lives in this process's memory
  // and is gone on restart. One store for all Provider instances, so that rotating the signing key
  // (which builds a new instance, its keys being fixed at construction) keeps users signed in.
  const adapter = await sharedMemoryAdapter();

  const configuration = (keys: readonly SigningJwk[]): Configuration => ({
    adapter,
    jwks: { keys: keys.map((key) => ({ ...key })) },
    clients: options.clients.map(clientMetadata),
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    responseTypes: ['code'],
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['name'] },
    // The relying party takes the name from the ID token and never calls userinfo.
    conformIdTokenClaims: false,
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      return (
        account && {
          accountId: account.subject,
          claims: () => ({ sub: account.subject, name: account.displayName }),
        }
      );
    },
    cookies: {
      keys: [options.cookieSecret],
      // The API shares the origin; names of our own keep clear of its cookies.
      names: {
        session: 'samverkan_op_session',
        interaction: 'samverkan_op_interaction',
        resume: 'samverkan_op_resume',
      },
    },
    interactions: { url: (_ctx, interaction) => `${mountPath}/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => SAMVERKAN_API_RESOURCE,
        useGrantedResource: () => false,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== SAMVERKAN_API_RESOURCE) throw new oidc.errors.InvalidTarget();
          return API_RESOURCE_SERVER;
        },
      },
    },
    // Given explicitly, also because each default the library falls back to prints a notice.
    ttl: {
      AccessToken: HOUR,
      AuthorizationCode: 60,
      ClientCredentials: HOUR,
      IdToken: HOUR,
      Interaction: HOUR,
      Session: 10 * HOUR,
      Grant: 10 * HOUR,
      RefreshToken: 10 * HOUR,
    },
    clientBasedCORS: () => false,
    renderError,
  });

  const build = (keys: readonly SigningJwk[]) => {
    const provider = new oidc.Provider(issuer, configuration(keys));
    provider.on('server_error', (_ctx, error) => logger.error(error.stack ?? String(error)));
    return { provider, callback: provider.callback() };
  };

  let keys = await loadOrCreateKeys(options.keysFile);
  let current = build(keys);
  let rotation: Promise<void> = Promise.resolve();

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { provider, callback } = current;
    const match = INTERACTION_ROUTE.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (!match?.[1]) return callback(req, res);
    const uid = match[1];
    if (match[2]) {
      if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
      return login(provider, accounts, oidc, req, res, uid);
    }
    if (req.method !== 'GET') return methodNotAllowed(res, 'GET');
    const interaction = await findInteraction(oidc, provider, req, res, uid);
    if (!interaction) return;
    if (interaction.prompt.name === 'consent') {
      return grantConsent(provider, interaction, req, res);
    }
    if (interaction.prompt.name !== 'login') {
      return sendPage(res, 400, 'Något gick fel', '<p>Okänt steg i inloggningen.</p>');
    }
    const action = `${mountPath}/interaction/${encodeURIComponent(uid)}/login`;
    return sendPage(res, 200, 'Logga in (utvecklingsläge)', loginForm(action, options.accounts));
  };

  return {
    issuer,
    handler: (req, res) => {
      route(req, res).catch((error: unknown) => {
        logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
        if (res.headersSent) return void res.destroy();
        sendPage(res, 500, 'Något gick fel', '<p>Ett oväntat fel inträffade.</p>');
      });
    },
    rotateSigningKey: () => {
      const run = rotation.then(async () => {
        const next = [await generateSigningKey(), ...keys.slice(0, 1)];
        // Persisted first: if that fails, the running keys stay those on disk.
        await persistKeys(options.keysFile, next);
        keys = next;
        current = build(next);
      });
      rotation = run.catch(() => undefined);
      return run;
    },
  };
}

const API_RESOURCE_SERVER: ResourceServer = {
  scope: 'api',
  audience: SAMVERKAN_API_AUDIENCE,
  accessTokenFormat: 'jwt',
  jwt: { sign: { alg: SIGNING_ALG } },
};

function validate(options: LocalProviderOptions): void {
  if (!URL.canParse(options.issuer)) throw new Error('issuer must be an absolute URL');
  if (options.cookieSecret.length < MIN_COOKIE_SECRET_LENGTH) {
    throw new Error(`cookieSecret must be at least ${MIN_COOKIE_SECRET_LENGTH} characters`);
  }
  const subjects = new Set(options.accounts.map((account) => account.subject));
  if (
    options.accounts.length === 0 ||
    subjects.size !== options.accounts.length ||
    subjects.has('')
  ) {
    throw new Error('accounts must be at least one, with distinct non-empty subjects');
  }
}

function clientMetadata(client: LocalProviderOptions['clients'][number]): ClientMetadata {
  const grantTypes = client.grantTypes ?? ['authorization_code'];
  return {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    grant_types: [...grantTypes],
    // A client_credentials-only client has no front channel at all.
    response_types: grantTypes.includes('authorization_code') ? ['code'] : [],
    redirect_uris: [...client.redirectUris],
    post_logout_redirect_uris: [...client.postLogoutRedirectUris],
    token_endpoint_auth_method: 'client_secret_basic',
  };
}

async function sharedMemoryAdapter(): Promise<AdapterFactory> {
  // Deep import of the library's own adapter (the package has no exports map); a variable keeps
  // TypeScript from looking for declarations it does not ship.
  const specifier: string = 'oidc-provider/lib/adapters/memory_adapter.js';
  const memory = (await import(specifier)) as {
    createMemoryAdapter: (clockTolerance?: number) => AdapterFactory;
  };
  return memory.createMemoryAdapter();
}

async function findInteraction(
  oidc: OidcModule,
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
): Promise<Interaction | undefined> {
  try {
    const interaction = await provider.interactionDetails(req, res);
    if (interaction.uid === uid) return interaction;
  } catch (error) {
    if (!(error instanceof oidc.errors.SessionNotFound)) throw error;
  }
  sendPage(
    res,
    400,
    'Inloggningen har gått ut',
    '<p>Inloggningen hittades inte eller har gått ut. Börja om från tjänsten du kom ifrån.</p>',
  );
  return undefined;
}

async function login(
  provider: Provider,
  accounts: ReadonlyMap<string, DemoAccount>,
  oidc: OidcModule,
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
): Promise<void> {
  const form = await readForm(req);
  if (!form) return sendPage(res, 413, 'För stor begäran', '<p>Formuläret var för stort.</p>');
  const interaction = await findInteraction(oidc, provider, req, res, uid);
  if (!interaction) return;
  if (interaction.prompt.name !== 'login') {
    return sendPage(res, 400, 'Något gick fel', '<p>Inloggningen väntar inte på ett konto.</p>');
  }
  const account = accounts.get(form.get('subject') ?? '');
  if (!account) {
    return sendPage(res, 400, 'Okänt konto', '<p>Kontot finns inte bland demokontona.</p>');
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: account.subject } },
    { mergeWithLastSubmission: false },
  );
}

/** Consent is implied in development: grant what was asked, as oidc-provider's express example. */
async function grantConsent(
  provider: Provider,
  interaction: Interaction,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const accountId = interaction.session?.accountId;
  const clientId = interaction.params['client_id'];
  if (!accountId || typeof clientId !== 'string') {
    return sendPage(res, 400, 'Något gick fel', '<p>Inloggningen saknar konto eller klient.</p>');
  }
  const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId, clientId });
  const details = interaction.prompt.details;
  const scope = strings(details['missingOIDCScope']);
  if (scope.length > 0) grant.addOIDCScope(scope);
  const claims = strings(details['missingOIDCClaims']);
  if (claims.length > 0) grant.addOIDCClaims(claims);
  const resourceScopes = details['missingResourceScopes'];
  if (resourceScopes && typeof resourceScopes === 'object') {
    for (const [indicator, scopes] of Object.entries(resourceScopes)) {
      grant.addResourceScope(indicator, strings(scopes));
    }
  }
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { consent: existing ? {} : { grantId } },
    { mergeWithLastSubmission: true },
  );
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
}

/** The urlencoded body, read here because the handler is mounted raw; undefined if too large. */
async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  // An upstream parser (express.urlencoded, Nest's default) may have consumed the stream already.
  const parsed: unknown = (req as { body?: unknown }).body;
  if (!req.readable && parsed && typeof parsed === 'object') {
    return new URLSearchParams(
      Object.entries(parsed).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function loginForm(action: string, accounts: readonly DemoAccount[]): string {
  const buttons = accounts
    .map(
      (account) =>
        `<li><button type="submit" name="subject" value="${escapeHtml(account.subject)}">` +
        `<strong>${escapeHtml(account.displayName)}</strong>` +
        `<span>${escapeHtml(account.description)}</span></button></li>`,
    )
    .join('');
  return (
    '<p>Utvecklingsläge: välj ett demokonto att logga in som. Inget lösenord behövs; ' +
    'den här inloggningen finns bara i utvecklingsmiljön.</p>' +
    `<form method="post" action="${escapeHtml(action)}">` +
    `<fieldset><legend>Demokonton</legend><ul>${buttons}</ul></fieldset></form>`
  );
}

function logoutSource(ctx: KoaContextWithOIDC, form: string): void {
  // `form` is the provider's own hidden form (with its xsrf token), not user input.
  setPage(
    ctx,
    'Logga ut',
    `${form}<p>Vill du logga ut från Samverkan (utvecklingsläge)?</p>` +
      '<p><button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Ja, logga ut</button> ' +
      '<button type="submit" form="op.logoutForm">Nej, förbli inloggad</button></p>',
  );
}

function postLogoutSuccessSource(ctx: KoaContextWithOIDC): void {
  setPage(ctx, 'Du är utloggad', '<p>Du har loggat ut från utvecklingsinloggningen.</p>');
}

function renderError(ctx: KoaContextWithOIDC, out: ErrorOut): void {
  const rows = Object.entries(out)
    .map(([key, value]) => `<dt>${escapeHtml(key)}</dt><dd>${escapeHtml(String(value))}</dd>`)
    .join('');
  setPage(ctx, 'Något gick fel', `<p>Begäran kunde inte genomföras.</p><dl>${rows}</dl>`);
}

function setPage(ctx: KoaContextWithOIDC, title: string, body: string): void {
  for (const [name, value] of Object.entries(PAGE_HEADERS)) ctx.set(name, value);
  ctx.type = 'html';
  ctx.body = page(title, body);
}

function sendPage(res: ServerResponse, status: number, title: string, body: string): void {
  const html = page(title, body);
  res.statusCode = status;
  for (const [name, value] of Object.entries(PAGE_HEADERS)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(html));
  res.end(html);
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('Allow', allow);
  sendPage(res, 405, 'Metoden stöds inte', '<p>Den här adressen tar inte emot den metoden.</p>');
}

// No form-action: browsers apply it to the redirects after the submit, which lead to the client.
const PAGE_HEADERS = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

/** Every caller passes body markup built from escaped values; the title is escaped here. */
function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Samverkan</title>
<style>
body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
ul{list-style:none;padding:0}li{margin:.5rem 0}fieldset{border:0;padding:0}
button{display:block;width:100%;text-align:left;padding:.75rem 1rem;font:inherit;cursor:pointer}
li button span{display:block}button:focus-visible{outline:3px solid #005fcc;outline-offset:2px}
</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`=]/g, (char) => `&#${char.charCodeAt(0)};`);
}

async function generateSigningKey(): Promise<SigningJwk> {
  const { calculateJwkThumbprint, exportJWK, generateKeyPair } = await import('jose');
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: SIGNING_ALG, use: 'sig' };
}

async function loadOrCreateKeys(file: string): Promise<SigningJwk[]> {
  const existing = await readKeys(file);
  if (existing) return existing;
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  try {
    // 'wx': of two processes starting together only one writes a key set; the other reads it.
    await writeFile(file, serializeKeys([await generateSigningKey()]), {
      mode: 0o600,
      flag: 'wx',
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const created = await readKeys(file);
  if (!created) throw new Error(`${file} disappeared while it was being created`);
  return created;
}

/** The keys in the file, undefined if there is none. */
async function readKeys(file: string): Promise<SigningJwk[] | undefined> {
  for (let attempt = 1; ; attempt += 1) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return parseKeys(text, file);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      // Another process may have created the file a moment ago and still be writing it.
      if (attempt >= 20) throw new Error(`${file} is not valid JSON`, { cause: error });
      await delay(50);
    }
  }
}

async function persistKeys(file: string, keys: readonly SigningJwk[]): Promise<void> {
  // Write aside and rename: a reader never sees a half-written file.
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, serializeKeys(keys), { mode: 0o600, flag: 'wx' });
  try {
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

function serializeKeys(keys: readonly SigningJwk[]): string {
  return `${JSON.stringify({ keys }, null, 2)}\n`;
}

function parseKeys(text: string, file: string): SigningJwk[] {
  const parsed = JSON.parse(text) as { keys?: unknown };
  const keys = Array.isArray(parsed.keys) ? (parsed.keys as unknown[]) : [];
  const valid = keys.filter(
    (key): key is SigningJwk =>
      typeof key === 'object' &&
      key !== null &&
      typeof (key as SigningJwk).kid === 'string' &&
      typeof (key as SigningJwk).d === 'string' &&
      (key as SigningJwk).alg === SIGNING_ALG,
  );
  if (valid.length === 0 || valid.length !== keys.length) {
    throw new Error(`${file} must hold a JWKS of private ${SIGNING_ALG} keys with a kid`);
  }
  return valid;
}
