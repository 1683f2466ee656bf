import { eventStoreMigrations } from '../libs/event-store/src/sql/event-store-migrations';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { RELAY } from '../apps/api/src/relay/relay.token';
import { AppModule } from '../apps/api/src/app.module';
import { configureHttp } from '../apps/api/src/http-setup';
import { EVENT_STORE, type EventStore } from '../libs/event-store/src/event-store.port';
import { IDEMPOTENCY_STORE } from '../libs/event-store/src/idempotency.port';
import { RATE_LIMITS } from '../libs/event-store/src/rate-limits.port';
import { SECURITY_LOG } from '../libs/event-store/src/security-log.port';
import { CITIZEN_DIALOGUE_SUBMISSIONS } from '../libs/event-store/src/citizen-dialogue.port';
import { VISITS } from '../libs/event-store/src/visits.port';
import { READ_REFUSALS } from '../libs/event-store/src/read-refusals.port';
import { SIGN_IN_STORE } from '../libs/event-store/src/sign-in.port';
import { PERSONAL_DATA_CONFIRMATIONS } from '../libs/event-store/src/personal-data-confirmations.port';
import { ProjectionDaemon } from '../libs/projections/src/projection-daemon';
import { READ_MODELS } from '../apps/api/src/projections/read-models.token';
import type { Actor } from '../libs/domain/src/actor';
import { bearer, grantUsers, TEST_SECRET } from './support/api-harness';

const operator: Actor = { userId: 'drift.1', agency: 'municipality', role: 'operator' };
const officer: Actor = { userId: 'o', agency: 'police', role: 'officer' };

describe('API on the embedded default', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'samverkan-e2e-'));
  let app: INestApplication;
  const saved = { ...process.env };

  beforeAll(async () => {
    delete process.env['DATABASE_URL'];
    process.env['SAMVERKAN_DATA_DIR'] = dataDir;
    process.env['SAMVERKAN_SEED'] = 'off';
    process.env['SAMVERKAN_JWT_SECRET'] = TEST_SECRET;
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    configureHttp(app);
    await app.init();
    await grantUsers(app, [operator, officer]);
  });

  afterAll(async () => {
    await app.close();
    process.env = saved;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers GET /health with up or down to anyone, and the store state to the operator', async () => {
    const anyone = await request(app.getHttpServer()).get('/health').expect(200);
    expect(anyone.body).toEqual({ status: 'ok' });
    // An officer is no operator: still up or down only.
    const asOfficer = await request(app.getHttpServer())
      .get('/health')
      .set(bearer(officer))
      .expect(200);
    expect(asOfficer.body).toEqual({ status: 'ok' });
    // The log holds the grants of the register so far: the head is its last event.
    const store = app.get<EventStore>(EVENT_STORE);
    let written = 0;
    for await (const _ of store.readAll()) written++;
    expect(written).toBeGreaterThan(0);
    const before = await request(app.getHttpServer())
      .get('/health')
      .set(bearer(operator))
      .expect(200);
    expect(before.body).toMatchObject({
      status: 'ok',
      eventStore: {
        adapter: 'embedded',
        ready: true,
        schemaVersion: eventStoreMigrations.length,
        headPosition: written,
      },
    });
    await request(app.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });

    await store.append('promise-hammaro', [{ type: 'PromiseDrafted', data: {} }], {
      expectedRevision: 'no_stream',
      actor: { userId: 'seed', agency: 'municipality', role: 'safety-coordinator' },
    });
    const after = await request(app.getHttpServer())
      .get('/health')
      .set(bearer(operator))
      .expect(200);
    expect(after.body.eventStore.headPosition).toBe(written + 1);
  });

  it('serves the OpenAPI document', async () => {
    const doc = await request(app.getHttpServer()).get('/api/docs-json').expect(200);
    expect(doc.body.paths).toHaveProperty('/health');
    // Every write documents its refusals as problem details.
    const draft = doc.body.paths['/api/promises'].post;
    for (const status of ['400', '401', '403', '409', '422']) {
      expect(draft.responses[status].content).toHaveProperty('application/problem+json');
    }
    expect(doc.body.components.schemas.Problem.required).toContain('code');
    expect(doc.body.components.schemas).toHaveProperty('RecordActivityDto');
  });

  it('answers 503 when the store cannot be reached', async () => {
    // The register of users is in the store too: read through to the real one while it is up.
    const store = storeThatGoesDown(app.get<EventStore>(EVENT_STORE));
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(EVENT_STORE)
      .useValue(store)
      .overrideProvider(IDEMPOTENCY_STORE)
      .useValue({})
      // The counters live in the store's database, which this store does not have.
      .overrideProvider(RATE_LIMITS)
      .useValue({ hit: () => Promise.resolve({ count: 1, resetsAt: new Date() }) })
      .overrideProvider(SECURITY_LOG)
      .useValue({ record: () => Promise.resolve(), recent: () => Promise.resolve([]) })
      // So are the sign-in tables: this app's (a development token does not read them).
      .overrideProvider(SIGN_IN_STORE)
      .useValue(app.get(SIGN_IN_STORE))
      .overrideProvider(PERSONAL_DATA_CONFIRMATIONS)
      .useValue(app.get(PERSONAL_DATA_CONFIRMATIONS))
      .overrideProvider(READ_REFUSALS)
      .useValue(app.get(READ_REFUSALS))
      .overrideProvider(CITIZEN_DIALOGUE_SUBMISSIONS)
      .useValue(app.get(CITIZEN_DIALOGUE_SUBMISSIONS))
      .overrideProvider(VISITS)
      .useValue(app.get(VISITS))
      .overrideProvider(READ_MODELS)
      .useValue({ isInitialized: false })
      .overrideProvider(ProjectionDaemon)
      .useValue({ start: () => undefined, stop: () => Promise.resolve(), projections: [] })
      .overrideProvider(RELAY)
      .useValue(null)
      .compile();
    const other = moduleRef.createNestApplication({ logger: false });
    await other.init();
    try {
      await request(other.getHttpServer()).get('/health').expect(200);
      // While the store is up the operator is known from the register, and sees the details.
      const up = await request(other.getHttpServer())
        .get('/health')
        .set(bearer(operator))
        .expect(200);
      expect(up.body).toMatchObject({ status: 'ok', eventStore: { ready: true } });
      store.down = true;
      const response = await request(other.getHttpServer()).get('/health').expect(503);
      // Unauthenticated: down, and no error text (it is in the operator's view and the log).
      expect(response.body).toEqual({ status: 'unavailable' });
      const details = await request(other.getHttpServer())
        .get('/health')
        .set(bearer(operator))
        .expect(503);
      expect(details.body).toMatchObject({ status: 'unavailable', eventStore: { ready: false } });
    } finally {
      await other.close();
    }
  });
});

/**
 * A store whose database goes away: then status() fails as a dropped connection would, and so
 * does every read (the partnership's register among them). Reads go to `log` while it is up.
 */
function storeThatGoesDown(log: EventStore): Partial<EventStore> & { down: boolean } {
  const dropped = () => new Error('connection refused');
  const store = {
    down: false,
    start: () => Promise.resolve(),
    close: () => Promise.resolve(),
    streamRevision: (streamId: string) =>
      store.down ? Promise.reject(dropped()) : log.streamRevision(streamId),
    readStream: (streamId: string, options?: Parameters<EventStore['readStream']>[1]) => {
      if (store.down) throw dropped();
      return log.readStream(streamId, options);
    },
    status: () =>
      store.down
        ? Promise.reject(dropped())
        : Promise.resolve({
            adapter: 'postgres' as const,
            ready: true,
            headPosition: 0,
            schemaVersion: 1,
            detail: {},
          }),
  };
  return store;
}
