import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import { RequestMethod } from '@nestjs/common';
import { LocalOidcProvider } from './auth/oidc/local-oidc.service';
import { HttpMetrics } from './observability/http-metrics';
import { observeRequests } from './observability/request-log';
import { GracefulShutdown } from './health/graceful-shutdown';
import { mountOpenApi } from './openapi';
import { API_PREFIX, apiRootSegments, oldPathAliases, ROOT_ROUTES } from './web/api-prefix';
import { securityHeaders, webApp, webAppSettings } from './web/web-app';

/**
 * What the running API and the end-to-end tests both set up beyond the module: the API under
 * /api (its old paths as aliases) and the web app everywhere else, security headers, the
 * OpenAPI document, requests in flight counted for a graceful stop, and no automatic ETags (an ETag here is a stream revision,
 * set by the routes that have one; Express's body hashes would be sent back as If-Match and
 * refused).
 */
export function configureHttp(app: INestApplication, env: NodeJS.ProcessEnv = process.env): void {
  (app as NestExpressApplication).set('etag', false);
  app.use(app.get(GracefulShutdown).track);
  // First, so every request is logged and counted, the web app's and refused ones too.
  app.use(observeRequests(app.get(HttpMetrics, { strict: false })));
  // Whose address a request comes from (rate limits on public routes): the socket's, unless the
  // proxies in front are named (Express's `trust proxy`: a hop count, `loopback`, or addresses).
  const proxy = env['SAMVERKAN_TRUST_PROXY']?.trim();
  if (proxy) {
    (app as NestExpressApplication).set(
      'trust proxy',
      /^\d+$/.test(proxy) ? Number(proxy) : proxy.split(',').map((p) => p.trim()),
    );
  }
  app.use(securityHeaders);
  app.setGlobalPrefix(API_PREFIX.slice(1), {
    exclude: ROOT_ROUTES.map((path) => ({ path, method: RequestMethod.ALL })),
  });
  // The OpenAPI page moved with the routes it describes.
  app.use(oldPathAliases(new Set([...apiRootSegments(app), 'docs'])));
  app.use(webApp(webAppSettings(env)));
  app.use(cookieParser());
  // The development sign-in's provider, ahead of Nest's body parsers: it reads its own bodies.
  app.use('/oidc', (req: Request, res: Response, next: NextFunction) =>
    app.get(LocalOidcProvider).handle(req, res, next),
  );
  mountOpenApi(app);
}
