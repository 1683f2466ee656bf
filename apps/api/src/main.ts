import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { publicUrl } from './auth/oidc/issuers';
import { GracefulShutdown } from './health/graceful-shutdown';
import { configureHttp } from './http-setup';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule, { bufferLogs: false });
  configureHttp(app);
  // SIGTERM/SIGINT: Nest's hooks close everything in order, then exit 0; the grace period
  // (SAMVERKAN_SHUTDOWN_GRACE_SECONDS) bounds it.
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
  app.enableShutdownHooks(signals, { useProcessExit: true });
  app.get(GracefulShutdown).listen(signals);
  const port = Number(process.env['PORT'] ?? 3000);
  const host = process.env['HOST'] ?? '127.0.0.1';
  await app.listen(port, host);
  Logger.log(
    `Samverkan API on http://${host}:${port} (the app: ${publicUrl()}/, readiness: /ready, liveness: /health/live, OpenAPI: /api/docs)`,
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
