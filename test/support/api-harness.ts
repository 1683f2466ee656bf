import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { Actor } from '../../libs/domain/src/actor';
import { AppModule } from '../../apps/api/src/app.module';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../apps/api/src/auth/token-secret';
import { configureHttp } from '../../apps/api/src/http-setup';
import { CommandBus } from '@nestjs/cqrs';
import { PartnershipBootstrap } from '../../apps/api/src/auth/bootstrap';
import { UserRegister } from '../../apps/api/src/auth/user-register';
import {
  HandlePartnershipCommand,
  partnershipId,
} from '../../apps/api/src/agencies/partnership.command-handler';
import type { PartnershipCommand } from '../../libs/domain/src/agencies/agencies.commands';
import type { WithoutIssued } from '../../apps/api/src/commands/command-meta';
import type { AgencyCode } from '../../libs/domain/src/agencies/agencies';
import { COORDINATOR_GRANTED } from '../../libs/domain/src/agencies/partnership.decider';
import { newSealKey } from '../../libs/event-store/src/tamper-evidence/seal-keys';

export const TEST_SECRET = 'e2e-secret-0123456789-0123456789-0123456789';

/**
 * The API as `npm start` runs it, on the database or data folder the environment names; silent
 * unless given a logger (a suite that reads the log).
 */
export async function startApi(
  env: Record<string, string | undefined>,
  logger: LoggerService | false = false,
): Promise<{
  app: INestApplication;
  http: () => ReturnType<typeof request>;
  restore: () => void;
}> {
  const saved = { ...process.env };
  // The Kafka relay runs only in the suites that ask for it (KAFKA_BROKERS is set in CI).
  for (const [k, v] of Object.entries({
    SAMVERKAN_RELAY: 'off',
    SAMVERKAN_IDENTITY_KEY: TEST_IDENTITY_KEY,
    // Production requires the key that signs the log's sealed blocks.
    SAMVERKAN_SEAL_KEY: TEST_SEAL_KEY,
    // Development tokens sign the suites' users in, also on PostgreSQL (where the default is
    // production); the suites of production set it themselves.
    SAMVERKAN_ENV: 'development',
    ...env,
  })) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  let app: INestApplication;
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger });
    configureHttp(app);
    await app.init();
  } catch (error) {
    // A start refused (a test of configuration) leaves the environment as it found it.
    process.env = saved;
    throw error;
  }
  return {
    app,
    http: () => request(app.getHttpServer() as Parameters<typeof request>[0]),
    restore: () => {
      process.env = saved;
    },
  };
}

export const TEST_IDENTITY_KEY = 'e2e-identity-key-0123456789-0123456789';

/** The suites' key for signing sealed blocks, made once per run. */
export const TEST_SEAL_KEY = newSealKey().privateKey;

/**
 * A development token (HS256) naming a user and the role they act in: it opens nothing unless
 * the partnership's register grants that user the role (see `grantUsers`).
 */
export function tokenFor(actor: Actor, secret = TEST_SECRET, expiresIn = 3600): string {
  return new JwtService({ secret }).sign(
    { role: actor.role },
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
export function embeddedApi(
  env: Record<string, string | undefined>,
  users: readonly Actor[] = [],
): {
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
    if (users.length > 0) await grantUsers(started.app, users);
  });
  afterAll(async () => {
    await started?.app.close();
    started?.restore();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { http: () => started!.http(), app: () => started!.app };
}

export const TEST_COORDINATOR: Actor = {
  userId: 'test-coordinator',
  agency: 'municipality',
  role: 'safety-coordinator',
};

const TEST_PARTNERSHIP = {
  name: 'Testsamverkan',
  municipality: 'Testkommun',
  policeArea: 'Lokalpolisområde Test',
};

/**
 * Grants the actors their roles in the app's partnership register, the way people would: the
 * bootstrap makes a first coordinator (forming the partnership if the log has none), the
 * coordinator brings in each agency and appoints its first user administrator, who grants the
 * roles. Users and roles granted already are left as they are.
 */
export async function grantUsers(app: INestApplication, actors: readonly Actor[]): Promise<void> {
  const register = app.get(UserRegister);
  const commands = app.get(CommandBus);
  let state = await register.current();
  if (state.status === 'none' || state.users.size === 0) {
    await app
      .get(PartnershipBootstrap)
      .appointFirstCoordinator(TEST_COORDINATOR.userId, TEST_PARTNERSHIP);
    state = await register.current();
  }
  if (state.status !== 'formed') throw new Error('The partnership was not formed');
  const coordinatorId =
    [...state.users].find(([, u]) => u.roles.includes('safety-coordinator'))?.[0] ??
    TEST_COORDINATOR.userId;
  const coordinator: Actor = { ...TEST_COORDINATOR, userId: coordinatorId };
  const send = async (by: Actor, command: WithoutIssued<PartnershipCommand>) => {
    const meta = { actor: by, at: new Date(), correlationId: `grant-${Math.random()}` };
    await commands.execute(
      new HandlePartnershipCommand(partnershipId(), { ...command, by, at: meta.at }, meta),
    );
  };
  for (const actor of actors) {
    state = await register.current();
    if (state.status !== 'formed') throw new Error('The partnership was not formed');
    if (state.users.get(actor.userId)?.roles.includes(actor.role)) continue;
    const agency: AgencyCode = actor.agency;
    if (!state.agencies.has(agency)) {
      await send(coordinator, { type: 'JoinAgency', agency, name: `Test: ${agency}` });
    }
    const admin = [...state.users].find(
      ([, u]) => u.agency === agency && u.roles.includes('user-administrator'),
    )?.[0];
    const administrator: Actor = {
      userId: admin ?? `test-admin-${agency}`,
      agency,
      role: 'user-administrator',
    };
    if (!admin) {
      await send(coordinator, { type: 'GrantUserRole', ...administrator });
      if (actor.userId === administrator.userId && actor.role === 'user-administrator') continue;
    }
    // Roles that reach across the partnership: the coordinator grants them.
    await send(COORDINATOR_GRANTED.includes(actor.role) ? coordinator : administrator, {
      type: 'GrantUserRole',
      ...actor,
    });
  }
}
