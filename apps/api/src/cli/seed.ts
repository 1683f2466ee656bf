/**
 * Loads the Hammarö demo data on demand (`npm run seed`), through the same commands as the
 * API. Idempotent: steps already in the store are found and nothing is written twice.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { API_PARSERS } from '../configuration-parsers';
import { exitOnConfigurationProblems } from '@samverkan/shared/configuration/validate-configuration';
import { Seeder } from '../seed/seeder';
import { useCliJsonLogs } from '@samverkan/shared/logging/json-logger';

async function main(): Promise<void> {
  // Seed explicitly below, not through the start-up hook.
  process.env['SAMVERKAN_SEED'] = 'off';
  exitOnConfigurationProblems('api', API_PARSERS, (line, level) =>
    Logger[level](line, 'Configuration'),
  );
  const app = await NestFactory.createApplicationContext(AppModule, {
    logger: useCliJsonLogs('seed', 'info'),
  });
  try {
    const report = await app.get(Seeder).seed();
    process.stdout.write(
      `Seeded: ${report.written} of ${report.steps} steps written, ${report.alreadyThere} already there\n`,
    );
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  Logger.error(error instanceof Error ? error.message : String(error), 'Seed');
  process.exit(1);
});
