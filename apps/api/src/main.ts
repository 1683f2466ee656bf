import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { publicUrl } from '@samverkan/shared/configuration/common-settings';
import { GracefulShutdown } from './health/graceful-shutdown';
import { configureHttp } from './http-setup';
import { API_PARSERS } from './configuration-parsers';
import { exitOnConfigurationProblems } from '@samverkan/shared/configuration/validate-configuration';
import { integerSetting, textSettingOrDefault } from '@samverkan/shared/configuration/read-setting';

import { useJsonLogs } from '@samverkan/shared/logging/json-logger';

async function bootstrap(): Promise<void> {
  const logger = useJsonLogs('api');
  exitOnConfigurationProblems('api', API_PARSERS, (line, level) =>
    Logger[level](line, 'Configuration'),
  );
  const app = await NestFactory.create(AppModule, { logger });
  configureHttp(app);
  // SIGTERM/SIGINT: Nest's hooks close everything in order, then exit 0; the grace period
  // (SAMVERKAN_SHUTDOWN_GRACE_SECONDS) bounds it.
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
  app.enableShutdownHooks(signals, { useProcessExit: true });
  app.get(GracefulShutdown).listen(signals);
  const port = integerSetting(process.env, 'PORT');
  const host = textSettingOrDefault(process.env, 'HOST');
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
