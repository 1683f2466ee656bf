import express from 'express';
import request from 'supertest';
import {
  clearSessionCookie,
  sessionSettings,
  setSessionCookie,
  type SessionSettings,
} from './sessions';

// An int-spec, not a unit spec: supertest listens on a loopback port to drive the real express
// response, and unit specs here do no I/O at all.

const HTTPS = { SAMVERKAN_PUBLIC_URL: 'https://samverkan.kommun.example' };
const HTTP = { SAMVERKAN_PUBLIC_URL: 'http://samverkan.internal:8080' };
const ID = 'a'.repeat(43);

describe('sessionSettings', () => {
  it('given nothing configured, idles out after 30 minutes and ends after 10 hours', () => {
    expect(sessionSettings({})).toMatchObject({ idleSeconds: 30 * 60, absoluteSeconds: 10 * 3600 });
  });

  it('given blank variables, keeps the defaults rather than refusing them', () => {
    expect(
      sessionSettings({ SAMVERKAN_SESSION_IDLE_MINUTES: ' ', SAMVERKAN_SESSION_HOURS: '' }),
    ).toMatchObject({ idleSeconds: 30 * 60, absoluteSeconds: 10 * 3600 });
  });

  it('takes the idle minutes and the hours from the environment, bounds included', () => {
    expect(
      sessionSettings({ SAMVERKAN_SESSION_IDLE_MINUTES: ' 15 ', SAMVERKAN_SESSION_HOURS: '8' }),
    ).toMatchObject({ idleSeconds: 15 * 60, absoluteSeconds: 8 * 3600 });
    expect(
      sessionSettings({ SAMVERKAN_SESSION_IDLE_MINUTES: '1', SAMVERKAN_SESSION_HOURS: '1' }),
    ).toMatchObject({ idleSeconds: 60, absoluteSeconds: 3600 });
    expect(
      sessionSettings({ SAMVERKAN_SESSION_IDLE_MINUTES: '1440', SAMVERKAN_SESSION_HOURS: '168' }),
    ).toMatchObject({ idleSeconds: 24 * 3600, absoluteSeconds: 7 * 24 * 3600 });
  });

  it.each(['0', '-5', '1.5', 'thirty', '1441'])(
    'refuses SAMVERKAN_SESSION_IDLE_MINUTES=%s rather than guess what was meant',
    (value) => {
      expect(() => sessionSettings({ SAMVERKAN_SESSION_IDLE_MINUTES: value })).toThrow(
        'SAMVERKAN_SESSION_IDLE_MINUTES: must be an integer from 1 to 1440',
      );
    },
  );

  it.each(['0', '-1', '2.5', 'ten', '169'])('refuses SAMVERKAN_SESSION_HOURS=%s', (value) => {
    expect(() => sessionSettings({ SAMVERKAN_SESSION_HOURS: value })).toThrow(
      'SAMVERKAN_SESSION_HOURS: must be an integer from 1 to 168',
    );
  });

  it('given an https public URL, makes the cookie Secure under the __Host- prefix', () => {
    expect(sessionSettings(HTTPS)).toMatchObject({
      secure: true,
      cookieName: '__Host-samverkan_session',
    });
  });

  it('given an http public URL or none (localhost), makes a plain cookie a browser keeps over http', () => {
    // A __Host- or Secure cookie set over http would be dropped by the browser: no sign-in at all.
    for (const env of [HTTP, {}, { PORT: '4000' }]) {
      expect(sessionSettings(env)).toMatchObject({
        secure: false,
        cookieName: 'samverkan_session',
      });
    }
  });
});

/** Set-Cookie of one response as name, value and attributes (lower-case names). */
function parseSetCookie(header: string): {
  name: string;
  value: string;
  attributes: Map<string, string>;
} {
  const [pair, ...rest] = header.split(';').map((p) => p.trim());
  const eq = pair!.indexOf('=');
  const attributes = new Map<string, string>();
  for (const part of rest) {
    const at = part.indexOf('=');
    if (at < 0) attributes.set(part.toLowerCase(), '');
    else attributes.set(part.slice(0, at).toLowerCase(), part.slice(at + 1));
  }
  return { name: pair!.slice(0, eq), value: pair!.slice(eq + 1), attributes };
}

async function setCookieOf(
  settings: SessionSettings,
  path: '/set' | '/clear',
): Promise<ReturnType<typeof parseSetCookie>> {
  const app = express();
  app.get('/set', (_req, res) => {
    setSessionCookie(res, settings, ID);
    res.sendStatus(204);
  });
  app.get('/clear', (_req, res) => {
    clearSessionCookie(res, settings);
    res.sendStatus(204);
  });
  const response = await request(app).get(path).expect(204);
  const headers = response.headers['set-cookie'] as unknown as string[] | undefined;
  expect(headers).toHaveLength(1);
  return parseSetCookie(headers![0]!);
}

describe('the session cookie on a real express response', () => {
  it('given https, sets an HttpOnly, Secure, SameSite=Lax cookie on / for the absolute lifetime', async () => {
    const settings = sessionSettings({ ...HTTPS, SAMVERKAN_SESSION_HOURS: '8' });
    const before = Date.now();
    const cookie = await setCookieOf(settings, '/set');
    expect(cookie.name).toBe('__Host-samverkan_session');
    expect(cookie.value).toBe(ID);
    const a = cookie.attributes;
    expect(a.has('httponly')).toBe(true); // scripts (an XSS) cannot read the session id
    expect(a.has('secure')).toBe(true);
    expect(a.get('samesite')).toBe('Lax');
    expect(a.get('path')).toBe('/');
    // A __Host- cookie with a Domain is refused by browsers.
    expect(a.has('domain')).toBe(false);
    expect(a.get('max-age')).toBe(String(8 * 3600));
    const expires = Date.parse(a.get('expires')!);
    expect(expires).toBeGreaterThanOrEqual(before + 8 * 3600 * 1000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 8 * 3600 * 1000 + 1000);
  });

  it('given http, sets the same cookie without Secure, under the plain name', async () => {
    const cookie = await setCookieOf(sessionSettings(HTTP), '/set');
    expect(cookie.name).toBe('samverkan_session');
    expect(cookie.attributes.has('secure')).toBe(false);
    expect(cookie.attributes.has('httponly')).toBe(true);
    expect(cookie.attributes.get('samesite')).toBe('Lax');
    expect(cookie.attributes.get('path')).toBe('/');
    expect(cookie.attributes.get('max-age')).toBe(String(10 * 3600));
  });

  it.each([
    ['https', HTTPS, '__Host-samverkan_session', true],
    ['http', HTTP, 'samverkan_session', false],
  ])(
    'given %s, clears the cookie with an expiry in 1970 and the attributes it was set with',
    async (_, env, name, secure) => {
      const cookie = await setCookieOf(sessionSettings(env), '/clear');
      expect(cookie.name).toBe(name);
      expect(cookie.value).toBe('');
      expect(new Date(cookie.attributes.get('expires')!).getUTCFullYear()).toBe(1970);
      // A positive Max-Age would win over Expires and keep the cookie alive.
      expect(cookie.attributes.get('max-age') ?? '0').toBe('0');
      // The browser replaces a cookie only with one of the same name, path (and, for __Host-,
      // Secure); a clearing cookie on another path would leave the session cookie in place.
      expect(cookie.attributes.get('path')).toBe('/');
      expect(cookie.attributes.has('secure')).toBe(secure);
      expect(cookie.attributes.has('httponly')).toBe(true);
      expect(cookie.attributes.get('samesite')).toBe('Lax');
    },
  );
});
