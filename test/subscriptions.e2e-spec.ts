import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Actor } from '../libs/domain/src/actor';
import { requirePostgres, TestDatabases } from '../libs/event-store/src/postgres/test-databases';
import { requireKafka } from '../libs/integration/src/kafka/require-kafka';
import { bearer, startApi, TEST_SECRET } from './support/api-harness';

const pg = requirePostgres('the subscriptions end-to-end suite (PostgreSQL)');
const kafka = requireKafka('the subscriptions end-to-end suite (Kafka)');

pg.describe('GET /subscriptions', () => {
  kafka.describe('with the relay in the API process', () => {
    const databases = new TestDatabases(pg.url);
    let app: INestApplication | undefined;
    let restore: (() => void) | undefined;

    afterAll(async () => {
      await app?.close();
      restore?.();
      await databases.dropAll();
    });

    it('shows the relay catching up with the seeded log: checkpoint, lag and state, and each agency’s topics', async () => {
      const partnership = `e2e-${randomBytes(3).toString('hex')}`;
      const started = await startApi({
        DATABASE_URL: await databases.create(),
        SAMVERKAN_JWT_SECRET: TEST_SECRET,
        SAMVERKAN_SEED: 'auto',
        SAMVERKAN_PARTNERSHIP_ID: partnership,
        SAMVERKAN_RELAY: 'on',
        KAFKA_BROKERS: kafka.brokers.join(','),
      });
      ({ app, restore } = started);
      const auditor: Actor = { userId: 'rev.1', agency: 'municipality', role: 'auditor' };
      const deadline = Date.now() + 60_000;
      let body: {
        relay: { position: number; headPosition: number; lag: number; state: string };
        topics: string[];
      };
      for (;;) {
        body = (await started.http().get('/subscriptions').set(bearer(auditor)).expect(200)).body;
        if (body.relay.headPosition > 0 && body.relay.lag === 0) break;
        if (Date.now() > deadline) throw new Error(`relay not caught up: ${JSON.stringify(body)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(body.relay).toMatchObject({ state: 'running', position: body.relay.headPosition });
      expect(body.topics).toContain(`samverkan.${partnership}.police.restricted`);
      expect(body.topics).toContain(`samverkan.${partnership}.social-services.events`);
      await started.http().get('/subscriptions').expect(401);
    });
  });
});
