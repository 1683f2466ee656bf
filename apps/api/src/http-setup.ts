import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mountOpenApi } from './openapi';

/**
 * What the running API and the end-to-end tests both set up beyond the module: the OpenAPI
 * document, clean shutdown, and no automatic ETags (an ETag here is a stream revision, set by
 * the routes that have one; Express's body hashes would be sent back as If-Match and refused).
 */
export function configureHttp(app: INestApplication): void {
  (app as NestExpressApplication).set('etag', false);
  app.enableShutdownHooks();
  mountOpenApi(app);
}
