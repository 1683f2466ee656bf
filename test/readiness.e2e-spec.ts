import type { Actor } from '../libs/domain/src/actor';
import { requirePostgres, TestDatabases } from '../libs/event-store/src/postgres/test-databases';
import { until } from '../libs/shared/src/eventually';
import { TcpProxy } from '../libs/shared/src/testing/tcp-proxy';
import { bearer, grantUsers, startApi, TEST_SECRET } from './support/api-harness';

const pg = requirePostgres('the readiness suite (PostgreSQL through a proxy)');

const operator: Actor = { userId: 'drift.1', agency: 'municipality', role: 'operator' };
const auditor: Actor = { userId: 'rev.1', agency: 'municipality', role: 'auditor' };

/**
 * The API on PostgreSQL through a TCP proxy in this process: cutting the proxy takes the
 * database away from this API only (the shared server beside the other suites keeps running).
 * Projections are off, so the read models stay where they are: what read-your-writes waits for.
 */
pg.describe('readiness on PostgreSQL', () => {
  const databases = new TestDatabases(pg.url);
  let proxy: TcpProxy;
  let api: Awaited<ReturnType<typeof startApi>>;

  beforeAll(async () => {
    const url = await databases.create();
    const server = new URL(pg.url!);
    proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
    api = await startApi({
      DATABASE_URL: proxy.rewrite(url),
      SAMVERKAN_JWT_SECRET: TEST_SECRET,
      SAMVERKAN_PROJECTIONS: 'off',
    });
    await grantUsers(api.app, [operator, auditor]);
  });

  afterAll(async () => {
    await proxy?.restore();
    await api?.app.close();
    api?.restore();
    await proxy?.stop();
    await databases.dropAll();
  });

  it('answers 503 while PostgreSQL cannot be reached and 200 once it is back; liveness never asks it', async () => {
    const up = await api.http().get('/ready').set(bearer(operator)).expect(200);
    expect(up.body).toMatchObject({
      status: 'ok',
      eventStore: { status: 'up', adapter: 'postgres' },
      readModels: { status: 'up' },
      projections: { status: 'up' },
    });
    // The projections run elsewhere (off here): each one's lag is shown, not a reason for 503.
    expect(up.body.projections['audit-trail'].lag).toBe(up.body.eventStore.headPosition);
    await api.http().get('/ready').expect(200, { status: 'ok' });

    await proxy.cut();
    // Anyone learns that it is down, nothing more; the older name says the same.
    const down = await api.http().get('/ready').expect(503);
    expect(down.body).toEqual({ status: 'unavailable' });
    await api.http().get('/health').expect(503, { status: 'unavailable' });
    await api.http().get('/health/live').expect(200, { status: 'ok' });

    await proxy.restore();
    // The pools open new connections: ready again without a restart.
    await until('ready again', async () => {
      const response = await api.http().get('/ready');
      return response.status === 200 ? true : undefined;
    });
    const back = await api.http().get('/ready').set(bearer(operator)).expect(200);
    expect(back.body).toMatchObject({ eventStore: { status: 'up' }, readModels: { status: 'up' } });
  }, 60_000);

  it('answers a read that waits for a position the read models have not reached with 503 and Retry-After', async () => {
    const head = (await api.http().get('/ready').set(bearer(operator)).expect(200)).body.eventStore
      .headPosition as number;
    expect(head).toBeGreaterThan(0);
    const response = await api
      .http()
      .get(`/api/audit-trail?waitFor=${head}&timeoutMs=200`)
      .set(bearer(auditor))
      .expect(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body).toMatchObject({ code: 'PROJECTIONS.NOT_YET_APPLIED', status: 503 });
    // The API itself is ready: one read model behind is no reason to leave the balancer.
    await api.http().get('/ready').expect(200);
  }, 30_000);
});
