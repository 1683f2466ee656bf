import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { Actor } from '../../libs/domain/src/actor';
import { AppModule } from '../../apps/api/src/app.module';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../apps/api/src/auth/token-secret';
import { configureHttp } from '../../apps/api/src/http-setup';

export const TEST_SECRET = 'e2e-secret-0123456789-0123456789-0123456789';

/** The API as `npm start` runs it, on the database or data folder the environment names. */
export async function startApi(env: Record<string, string | undefined>): Promise<{
  app: INestApplication;
  http: () => ReturnType<typeof request>;
  restore: () => void;
}> {
  const saved = { ...process.env };
  // The Kafka relay runs only in the suites that ask for it (KAFKA_BROKERS is set in CI).
  for (const [k, v] of Object.entries({ SAMVERKAN_RELAY: 'off', ...env })) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  configureHttp(app);
  await app.init();
  return {
    app,
    http: () => request(app.getHttpServer() as Parameters<typeof request>[0]),
    restore: () => {
      process.env = saved;
    },
  };
}

export function tokenFor(actor: Actor, secret = TEST_SECRET, expiresIn = 3600): string {
  return new JwtService({ secret }).sign(
    { agency: actor.agency, role: actor.role },
    { subject: actor.userId, issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, expiresIn },
  );
}

export const bearer = (actor: Actor): { Authorization: string } => ({
  Authorization: `Bearer ${tokenFor(actor)}`,
});

/**
 * A describe block's app on a fresh embedded data folder: `api()` once `beforeAll` has run,
 * the folder removed after.
 */
export function embeddedApi(env: Record<string, string | undefined>): {
  http: () => ReturnType<typeof request>;
  app: () => INestApplication;
} {
  const dataDir = mkdtempSync(join(tmpdir(), 'samverkan-e2e-'));
  let started: Awaited<ReturnType<typeof startApi>> | undefined;
  beforeAll(async () => {
    started = await startApi({
      DATABASE_URL: undefined,
      SAMVERKAN_DATA_DIR: dataDir,
      SAMVERKAN_JWT_SECRET: TEST_SECRET,
      ...env,
    });
  });
  afterAll(async () => {
    await started?.app.close();
    started?.restore();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { http: () => started!.http(), app: () => started!.app };
}
