import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor } from '../libs/domain/src/actor';
import { apiRootSegments } from '../apps/api/src/web/api-prefix';
import { bearer, embeddedApi } from './support/api-harness';

/**
 * The API under /api with its old paths as aliases for one release, and the web app on every
 * other path: what a browser, an agency system written against the old paths, and a reload of
 * an app page each get.
 */
const officer: Actor = { userId: 'polis.web', agency: 'police', role: 'officer' };

const webDir = mkdtempSync(join(tmpdir(), 'samverkan-web-'));
mkdirSync(join(webDir, 'assets'));
writeFileSync(
  join(webDir, 'index.html'),
  '<!doctype html><html lang="sv"><head><title>Samverkan</title></head><body><div id="root"></div></body></html>',
);
writeFileSync(join(webDir, 'assets', 'index-abc123.js'), 'console.log(1)');
afterAll(() => rmSync(webDir, { recursive: true, force: true }));

describe('the API under /api and the web app beside it', () => {
  const { http, app } = embeddedApi(
    {
      SAMVERKAN_WEB_DIR: webDir,
      SAMVERKAN_MAP_TILE_URL: 'https://tiles.example.se/{z}/{x}/{y}.png',
      SAMVERKAN_MAP_ATTRIBUTION: '© Hammarö kommun',
      SAMVERKAN_MAP_ATTRIBUTION_URL: 'https://www.hammaro.se/karta',
    },
    [officer],
  );

  it('names the map tiles and their credit to anyone, cacheable for a short time', async () => {
    const res = await http().get('/api/web-settings').expect(200);
    expect(res.body).toEqual({
      mapTiles: {
        urlTemplate: 'https://tiles.example.se/{z}/{x}/{y}.png',
        attribution: { text: '© Hammarö kommun', url: 'https://www.hammaro.se/karta' },
      },
    });
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    // The same origin the app's Content Security Policy allows images from.
    const page = await http().get('/lagesbild');
    expect(page.headers['content-security-policy']).toContain(
      "img-src 'self' data: https://tiles.example.se",
    );
  });

  it("gives no page of the app a path the API's old paths take (it would answer as the API)", () => {
    const routes = readFileSync(join(__dirname, '../apps/web/src/app.tsx'), 'utf8');
    const pages = [...routes.matchAll(/\[\s*'(\/[^']*)'/g)].map((m) => m[1]!);
    expect(pages).toEqual(expect.arrayContaining(['/', '/lagesbild', '/invanare']));
    const taken = new Set([...apiRootSegments(app()), 'api', 'docs', 'health', 'assets']);
    const clashing = pages.filter((path) => taken.has(path.split('/')[1] ?? ''));
    expect(clashing).toEqual([]);
  });

  it('serves the API under /api, and an old path as an alias that says where it moved', async () => {
    const now = await http().get('/api/promises').set(bearer(officer)).expect(200);
    const old = await http().get('/promises').set(bearer(officer)).expect(200);
    expect(old.body).toEqual(now.body);
    expect(now.headers['deprecation']).toBeUndefined();
    expect(old.headers['deprecation']).toBe('true');
    expect(old.headers['sunset']).toMatch(/GMT$/);
    expect(old.headers['link']).toBe('</api/promises>; rel="successor-version"');
    // Writes too, with their query strings.
    await http()
      .get('/promises?limit=1')
      .set(bearer(officer))
      .expect(200)
      .expect('deprecation', 'true');
  });

  it('answers an unknown /api path 404 as problem details, never with the app', async () => {
    for (const path of ['/api/no-such-thing', '/api/promises/x/y/z', '/api']) {
      const res = await http().get(path).set(bearer(officer)).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.text).not.toContain('<html');
    }
  });

  it('serves the app on a reload of any app path, with its security headers', async () => {
    for (const path of ['/', '/lagesbild', '/medborgarlofte/hammaro-2023-2025', '/invanare']) {
      const res = await http().get(path).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('<div id="root">');
      expect(res.headers['cache-control']).toBe('no-cache');
      const csp = res.headers['content-security-policy'] as string;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("img-src 'self' data: https://tiles.example.se");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('serves hashed assets for a year, and a missing file 404 rather than the app', async () => {
    const asset = await http().get('/assets/index-abc123.js').expect(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    await http().get('/assets/index-gone.js').expect(404);
    const missing = await http().get('/favicon-that-is-not-there.png').expect(404);
    expect(missing.text).not.toContain('<div id="root">');
  });

  it('keeps the probes at the root, and the API answers carry a policy that runs nothing', async () => {
    await http().get('/health').expect(200);
    await http().get('/health/live').expect(200);
    const api = await http().get('/api/promises').set(bearer(officer)).expect(200);
    expect(api.headers['content-security-policy']).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expect(api.headers['x-frame-options']).toBe('DENY');
  });

  it('starts a sign-in opened at 127.0.0.1 on the public address, where the provider returns', async () => {
    const res = await http()
      .get('/api/auth/login?provider=utveckling&returnTo=/lagesbild')
      .set('Host', '127.0.0.1:3000')
      .expect(303);
    expect(res.headers['location']).toBe(
      'http://localhost:3000/api/auth/login?provider=utveckling&returnTo=/lagesbild',
    );
  });

  it('sends a write to an app path to the API router, which knows no such route', async () => {
    const res = await http().post('/lagesbild').send({}).expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('the app when it is not built', () => {
  const empty = mkdtempSync(join(tmpdir(), 'samverkan-web-none-'));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));
  const { http } = embeddedApi({ SAMVERKAN_WEB_DIR: empty });

  it('answers an app path 503 saying how to build it, while the API works', async () => {
    const res = await http().get('/lagesbild').expect(503);
    expect(res.text).toContain('npm run build:web');
    await http().get('/health').expect(200);
  });
});
