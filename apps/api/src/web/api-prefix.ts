import type { INestApplication } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';

/** Every API route lives under this prefix; the web app owns every other path. */
export const API_PREFIX = '/api';

/**
 * Routes that stay at the root: the probes load balancers and orchestrators are set up with,
 * and the metrics Prometheus scrapes.
 */
export const ROOT_ROUTES = ['ready', 'health', 'health/live', 'metrics'] as const;

/** The last release in which the old paths (without /api) still answer. */
const ALIAS_SUNSET = 'Wed, 30 Jun 2027 00:00:00 GMT';

/**
 * The first path segments of the API's routes, read from the controllers' metadata: what an
 * old path (before the API moved under /api) may begin with. Read from the routes themselves so
 * that a new controller is aliased without a list to keep.
 */
export function apiRootSegments(app: INestApplication): Set<string> {
  const segments = new Set<string>();
  const first = (...parts: unknown[]): string | undefined =>
    parts
      .flatMap((p) => (Array.isArray(p) ? (p as unknown[]) : [p]))
      .filter((p): p is string => typeof p === 'string')
      .join('/')
      .split('/')
      .find((s) => s !== '');
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!type) continue;
      const base: unknown = Reflect.getMetadata(PATH_METADATA, type);
      const proto = type.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path: unknown = Reflect.getMetadata(PATH_METADATA, handler);
        if (path === undefined) continue;
        const segment = first(base, path);
        if (segment) segments.add(segment);
      }
    }
  }
  return segments;
}

/**
 * Old paths answer for one release: `/promises/…` is served as `/api/promises/…`, with a
 * `Deprecation` header, its `Sunset` and a link to the new path, so agency systems see the move
 * in their logs before the aliases go.
 */
export function oldPathAliases(
  segments: ReadonlySet<string>,
): (req: Request, res: Response, next: NextFunction) => void {
  const root = new Set<string>(ROOT_ROUTES);
  return (req, res, next) => {
    const path = req.path;
    if (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)) return next();
    const segment = path.split('/')[1] ?? '';
    const route = path.replace(/^\/+|\/+$/g, '');
    if (!segments.has(segment) || root.has(route)) return next();
    const successor = `${API_PREFIX}${req.url}`;
    res.setHeader('Deprecation', 'true');
    res.setHeader('Sunset', ALIAS_SUNSET);
    res.setHeader('Link', `<${API_PREFIX}${path}>; rel="successor-version"`);
    req.url = successor;
    next();
  };
}
