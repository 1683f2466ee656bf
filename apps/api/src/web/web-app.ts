import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { textSettingOrDefault } from '@samverkan/shared/configuration/read-setting';
import { API_PREFIX, ROOT_ROUTES } from './api-prefix';

/** Where the app's maps get their background, and whom it credits; null: no tiles. */
export interface MapTiles {
  readonly urlTemplate: string;
  readonly attribution: { readonly text: string; readonly url: string | null };
}

export interface WebAppSettings {
  /** The built app (`npm run build:web`): index.html and its assets. */
  readonly dir: string;
  /** The origin map tiles are loaded from, the one host besides the app's own it may reach. */
  readonly tileOrigin: string | undefined;
  /** The tiles the app's maps draw on (`GET /api/web-settings`); null for none. */
  readonly mapTiles: MapTiles | null;
}

export function webAppSettings(env: NodeJS.ProcessEnv = process.env): WebAppSettings {
  const tiles = textSettingOrDefault(env, 'SAMVERKAN_MAP_TILE_URL');
  let tileOrigin: string | undefined;
  if (tiles !== 'none') {
    const example = tiles.replace(/\{[a-z]\}/g, '0');
    const url = URL.canParse(example) ? new URL(example) : undefined;
    if (
      !url ||
      (url.protocol !== 'https:' && url.hostname !== '127.0.0.1' && url.hostname !== 'localhost')
    ) {
      throw new Error('SAMVERKAN_MAP_TILE_URL must be an https URL (or "none" for no tiles)');
    }
    tileOrigin = url.origin;
  }
  const attributionUrl = textSettingOrDefault(env, 'SAMVERKAN_MAP_ATTRIBUTION_URL');
  return {
    dir: resolve(textSettingOrDefault(env, 'SAMVERKAN_WEB_DIR')),
    tileOrigin,
    mapTiles:
      tiles === 'none'
        ? null
        : {
            urlTemplate: tiles,
            attribution: {
              text: textSettingOrDefault(env, 'SAMVERKAN_MAP_ATTRIBUTION'),
              url: attributionUrl === 'none' ? null : attributionUrl,
            },
          },
  };
}

/**
 * The Content Security Policy of the app's pages: scripts, styles and data from the app's own
 * origin only, images also from the tile server, and no framing (clickjacking).
 */
export function appContentSecurityPolicy(settings: WebAppSettings): string {
  const images = ["'self'", 'data:', ...(settings.tileOrigin ? [settings.tileOrigin] : [])];
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${images.join(' ')}`,
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** What every response carries: no sniffing, no framing, no referrer leaving the service. */
export function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'geolocation=(self), camera=(), microphone=()');
  // API answers are data, never a page: nothing in them may load or run anything. The OpenAPI
  // page (Swagger UI) sets up its own.
  if (req.path.startsWith(`${API_PREFIX}/`) && !req.path.startsWith(`${API_PREFIX}/docs`)) {
    res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  }
  next();
}

/** Paths the app never serves: the API, the development sign-in provider, the probes. */
function belongsToServer(path: string): boolean {
  if (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)) return true;
  if (path === '/oidc' || path.startsWith('/oidc/')) return true;
  const route = path.replace(/^\/+|\/+$/g, '');
  return (ROOT_ROUTES as readonly string[]).includes(route);
}

/**
 * The web app: its hashed assets cached for a year, and index.html for every other GET of a
 * path that is not the server's, so a reload of any app path opens the app there. Without a
 * built app, such a path answers 503 saying how to build it.
 */
export function webApp(settings: WebAppSettings): express.Router {
  const router = express.Router();
  const csp = appContentSecurityPolicy(settings);
  const indexFile = resolve(settings.dir, 'index.html');
  let index: Buffer | undefined;
  const indexHtml = (): Buffer | undefined =>
    (index ??= existsSync(indexFile) ? readFileSync(indexFile) : undefined);

  const besideIndex = express.static(settings.dir, { index: false, maxAge: '1h' });
  router.use(
    '/assets',
    express.static(resolve(settings.dir, 'assets'), {
      index: false,
      immutable: true,
      maxAge: '365d',
      setHeaders: (res) => res.setHeader('Content-Security-Policy', csp),
    }),
    // A missing asset is a 404, never the app's page in its place.
    (_req: Request, res: Response) => {
      res.status(404).type('text/plain').send('Not found');
    },
  );
  router.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || belongsToServer(req.path)) {
      return next();
    }
    res.setHeader('Content-Security-Policy', csp);
    // A file the app ships beside index.html (the icon, robots.txt).
    if (/\.[a-z0-9]+$/i.test(req.path)) {
      return besideIndex(req, res, () => res.status(404).type('text/plain').send('Not found'));
    }
    const html = indexHtml();
    res.setHeader('Cache-Control', 'no-cache');
    if (!html) {
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send(
          'The web app is not built: run `npm run build:web` (npm start builds it when needed).',
        );
      return;
    }
    res.status(200).type('text/html; charset=utf-8').send(html);
  });
  return router;
}
