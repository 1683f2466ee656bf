import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { publicUrl } from './auth/oidc/issuers';
import { configureHttp } from './http-setup';
import { useJsonLogs } from '@samverkan/shared/logging/json-logger';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: useJsonLogs('api') });
  configureHttp(app);
  const port = Number(process.env['PORT'] ?? 3000);
  const host = process.env['HOST'] ?? '127.0.0.1';
  await app.listen(port, host);
  Logger.log(
    `Samverkan API on http://${host}:${port} (the app: ${publicUrl()}/, health: /health, OpenAPI: /api/docs)`,
    'Bootstrap',
  );
}

bootstrap().catch((error: unknown) => {
  Logger.error(
    error instanceof Error ? (error.stack ?? error.message) : String(error),
    'Bootstrap',
  );
  process.exit(1);
});
