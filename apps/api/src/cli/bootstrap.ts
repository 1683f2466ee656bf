/**
 * The one-time start of administration: makes someone who has signed in the first safety
 * coordinator, forming the partnership first if the log has none.
 *   npm run bootstrap                      lists who signed in and waits for a role
 *   npm run bootstrap -- --user <user id> [--name "..." --municipality "..." --police-area "..."]
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { API_PARSERS } from '../configuration-parsers';
import { exitOnConfigurationProblems } from '@samverkan/shared/configuration/validate-configuration';
import { PartnershipBootstrap } from '../auth/bootstrap';
import { useCliJsonLogs } from '@samverkan/shared/logging/json-logger';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  process.env['SAMVERKAN_SEED'] = 'off';
  process.env['SAMVERKAN_RELAY'] = 'off';
  exitOnConfigurationProblems('api', API_PARSERS, (line, level) =>
    Logger[level](line, 'Configuration'),
  );
  const app = await NestFactory.createApplicationContext(AppModule, {
    logger: useCliJsonLogs('bootstrap', 'warn'),
  });
  try {
    const bootstrap = app.get(PartnershipBootstrap);
    const userId = option('user');
    if (!userId) {
      const pending = await bootstrap.pending();
      process.stdout.write(
        pending.length === 0
          ? 'No one has signed in yet: sign in at /api/auth/login first, then run this again.\n'
          : `Signed in and waiting for a role (newest first):\n${pending
              .map(
                (p) =>
                  `  ${p.userId}  ${p.displayName ?? '(no name)'}  ${p.issuer}  ${p.lastSeen.toISOString()}`,
              )
              .join('\n')}\nRun: npm run bootstrap -- --user <user id>\n`,
      );
      return;
    }
    const name = option('name');
    const municipality = option('municipality');
    const policeArea = option('police-area');
    await bootstrap.appointFirstCoordinator(
      userId,
      name && municipality && policeArea ? { name, municipality, policeArea } : undefined,
    );
    process.stdout.write(
      `${userId} is the safety coordinator: they grant each agency's first user administrator.\n`,
    );
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  Logger.error(error instanceof Error ? error.message : String(error), 'Bootstrap');
  process.exit(1);
});
