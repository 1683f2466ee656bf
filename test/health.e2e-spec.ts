import { eventStoreMigrations } from '../libs/event-store/src/sql/event-store-migrations';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../apps/api/src/app.module';
import { configureHttp } from '../apps/api/src/http-setup';
import { EVENT_STORE, type EventStore } from '../libs/event-store/src/event-store.port';
import { ProjectionDaemon } from '../libs/projections/src/projection-daemon';
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
        status: 'up',
        adapter: 'embedded',
        schemaVersion: eventStoreMigrations.length,
        headPosition: written,
      },
      readModels: { status: 'up' },
    });
    // Each projection's position and lag, shown: the read models follow the log in-process.
    const { status: projectionsUp, ...projections } = before.body.projections;
    expect(projectionsUp).toBe('up');
    expect(Object.keys(projections).sort()).toEqual(
      app
        .get(ProjectionDaemon)
        .projections.map((p) => p.name)
        .sort(),
    );
    // /ready is the same answer; /health stays as its older name.
    const ready = await request(app.getHttpServer())
      .get('/ready')
      .set(bearer(operator))
      .expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', eventStore: { headPosition: written } });
    await request(app.getHttpServer()).get('/ready').expect(200, { status: 'ok' });
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
});
