import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import type { Actor } from '../libs/domain/src/actor';
import { EVENT_STORE, type EventStore } from '../libs/event-store/src/event-store.port';
import { requireKafka } from '../libs/integration/src/kafka/require-kafka';
import { agencyTopic } from '../libs/integration/src/relay/feed-audience';
import { useJsonLogs, type JsonLogger } from '../libs/shared/src/logging/json-logger';
import { MetricsModule } from '../apps/api/src/observability/metrics.module';
import { bearer, grantUsers, startApi, TEST_SECRET, tokenFor } from './support/api-harness';

/**
 * Logs and metrics as an operator meets them: JSON lines that follow a request by its
 * correlation id into the command handler, the stored event and the Kafka message, and never
 * hold what was sent; Prometheus series for the operator only, labelled by route template.
 */

const socialWorker: Actor = { userId: 'soc.obs', agency: 'social-services', role: 'social-worker' };
const officer: Actor = { userId: 'polis.obs', agency: 'police', role: 'officer' };
const operator: Actor = { userId: 'drift.obs', agency: 'municipality', role: 'operator' };

interface LogLine {
  readonly level: string;
  readonly time: string;
  readonly service: string;
  readonly context?: string;
  readonly message: string;
  readonly correlationId?: string;
  readonly [field: string]: unknown;
}

/** The app's log as JSON lines in memory, as the process would write them to stdout. */
function capturedLog(): { logger: JsonLogger; raw: string[]; lines: () => LogLine[] } {
  const raw: string[] = [];
  const logger = useJsonLogs('api', {
    env: { SAMVERKAN_LOG_LEVEL: 'debug' },
    destination: { write: (line: string) => raw.push(line) },
  });
  return { logger, raw, lines: () => raw.map((l) => JSON.parse(l) as LogLine) };
}

const participants = [
  { agency: 'social-services', role: 'social-worker' },
  { agency: 'police', role: 'officer' },
];
const plan = (talkId: string, subjectRef: string, purpose: string) => ({
  talkId,
  subjectRef,
  plannedFor: '2024-10-03',
  participants,
  purpose,
  legalGround: { basis: 'consent' },
});

const unique = () => randomBytes(4).toString('hex');

/** A sample's value in Prometheus's text format, or undefined when the series is not there. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function appStarted(env: Record<string, string | undefined>, logger: JsonLogger) {
  const dataDir = mkdtempSync(join(tmpdir(), 'samverkan-obs-'));
  const started = await startApi(
    {
      DATABASE_URL: undefined,
      SAMVERKAN_DATA_DIR: dataDir,
      SAMVERKAN_SEED: 'off',
      SAMVERKAN_JWT_SECRET: TEST_SECRET,
      ...env,
    },
    logger,
  );
  await grantUsers(started.app, [socialWorker, officer, operator]);
  return {
    ...started,
    close: async () => {
      await started.app.close();
      started.restore();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describe('logs and metrics (embedded store)', () => {
  const log = capturedLog();
  let started: Awaited<ReturnType<typeof appStarted>>;
  const http = () => started.http();

  beforeAll(async () => {
    started = await appStarted(
      // The client's address is read from X-Forwarded-For, as behind a proxy.
      { SAMVERKAN_TRUST_PROXY: 'loopback', SAMVERKAN_METRICS_PORT: '0' },
      log.logger,
    );
  });
  afterAll(() => started?.close());

  it('follows a request by its correlation id: its line, the command handler’s and the stored event', async () => {
    const correlationId = `obs-${unique()}`;
    const talkId = `talk-${unique()}`;
    const answer = await http()
      .post('/api/prevention-talks')
      .set(bearer(socialWorker))
      .set('X-Correlation-Id', correlationId)
      .send(plan(talkId, 'SOC-1A2B3C', 'SSPF: oro'))
      .expect(201);
    expect(answer.headers['x-correlation-id']).toBe(correlationId);

    const ours = log.lines().filter((l) => l.correlationId === correlationId);
    const request = ours.find((l) => l.context === 'Http');
    expect(request).toMatchObject({
      level: 'info',
      service: 'api',
      method: 'POST',
      route: '/api/prevention-talks',
      status: 201,
    });
    expect(typeof request?.durationMs).toBe('number');
    expect(Date.parse(request!.time)).not.toBeNaN();
    // Written inside the command handler, which was given no id: the request's context has it.
    expect(ours.find((l) => l.context === 'Commands')?.message).toMatch(
      /^Appended PreventionTalkPlanned through position \d+$/,
    );
    const store = started.app.get<EventStore>(EVENT_STORE);
    const stored = [];
    for await (const e of store.readStream(`prevention-talk-${talkId}`)) stored.push(e);
    expect(stored.map((e) => e.correlationId)).toEqual([correlationId]);
  });

  it('never logs what was sent: free text, a young person’s reference, ids in paths, query values, a token, a cookie, the client’s address', async () => {
    const secret = {
      subjectRef: `SOC-${unique().toUpperCase()}`,
      purpose: `Oro för Kalle Anka ${unique()}`,
      outcome: `Bor på Storgatan ${unique()}`,
      pathId: `talk-${unique()}`,
      query: `syfte-${unique()}`,
      cookie: `cookie-${unique()}`,
      address: '198.51.100.23',
    };
    const token = tokenFor(socialWorker);
    const correlationIds: string[] = [];
    const send = <T extends { set(name: string, value: string): T }>(request: T): T => {
      const id = `pd-${unique()}`;
      correlationIds.push(id);
      return request.set('X-Correlation-Id', id).set('X-Forwarded-For', secret.address);
    };
    const talkId = `talk-${unique()}`;
    await send(http().post('/api/prevention-talks'))
      .set('Authorization', `Bearer ${token}`)
      .send(plan(talkId, secret.subjectRef, secret.purpose))
      .expect(201);
    await send(http().post(`/api/prevention-talks/${talkId}/held`))
      .set('Authorization', `Bearer ${token}`)
      .send({
        heldOn: '2024-10-03',
        participants,
        guardiansPresent: true,
        outcome: secret.outcome,
        agreedFollowUp: [],
      })
      // Refused (no consent recorded yet) after the body was read and validated.
      .expect(422);
    await send(http().get(`/api/prevention-talks/${talkId}?purpose=${secret.query}`))
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    // A 404 on a path whose id could be a person's reference, a refused token, a stale cookie.
    await send(http().get(`/api/prevention-talks/${secret.pathId}?purpose=${secret.query}`))
      .set('Authorization', `Bearer ${token}`)
      .expect(404);
    await send(http().get('/api/me')).set('Authorization', `Bearer ${token}x`).expect(401);
    await send(http().get('/api/me'))
      .set('Cookie', `samverkan_session=${secret.cookie}`)
      .expect(401);

    // The requests were logged (so the search below looks at real lines), each with its id.
    const requestLines = log.lines().filter((l) => l.context === 'Http');
    for (const id of correlationIds) {
      expect(requestLines.some((l) => l.correlationId === id)).toBe(true);
    }
    expect(requestLines.map((l) => l.route)).toContain('/api/prevention-talks/:talkId');
    const everything = log.raw.join('');
    for (const [what, value] of Object.entries({ ...secret, token })) {
      if (everything.includes(value)) throw new Error(`the log holds the ${what}: ${value}`);
    }
  });

  it('shows the operator the store’s appends and conflicts, requests by route template, projection lag and the process', async () => {
    const talkId = `talk-${unique()}`;
    await http()
      .post('/api/prevention-talks')
      .set(bearer(socialWorker))
      .send(plan(talkId, 'SOC-9Z8Y7X', 'SSPF'))
      .expect(201);
    // A caller that decided on an old revision (If-Match) is refused.
    await http()
      .post(`/api/prevention-talks/${talkId}/participants`)
      .set(bearer(socialWorker))
      .set('If-Match', '"7"')
      .send({ participants, reason: 'Polisen deltar' })
      .expect(409);
    // A writer the store itself refuses: the stream is not where it expected.
    const store = started.app.get<EventStore>(EVENT_STORE);
    await expect(
      store.append(`prevention-talk-${talkId}`, [{ type: 'PreventionTalkPlanned', data: {} }], {
        expectedRevision: 'no_stream',
        actor: socialWorker,
      }),
    ).rejects.toMatchObject({ code: 'EVENT_STORE.WRONG_EXPECTED_REVISION' });
    const missing = `talk-${unique()}`;
    await http()
      .get(`/api/prevention-talks/${missing}?purpose=drift`)
      .set(bearer(socialWorker))
      .expect(404);

    const scrape = await http().get('/metrics').set(bearer(operator)).expect(200);
    expect(scrape.headers['content-type']).toMatch(/^text\/plain/);
    const text = scrape.text;
    expect(
      sample(text, 'samverkan_event_store_appends_total{adapter="embedded",outcome="appended"}'),
    ).toBeGreaterThan(0);
    expect(
      sample(text, 'samverkan_event_store_appends_total{adapter="embedded",outcome="conflict"}'),
    ).toBe(1);
    expect(
      sample(text, 'samverkan_event_store_concurrency_conflicts_total{adapter="embedded"}'),
    ).toBe(1);
    expect(
      sample(text, 'samverkan_event_store_append_duration_seconds_count{adapter="embedded"}'),
    ).toBeGreaterThan(1);
    expect(
      sample(
        text,
        'samverkan_http_requests_total{method="GET",route="/api/prevention-talks/:talkId",status="404"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(
        text,
        'samverkan_http_requests_total{method="POST",route="/api/prevention-talks/:talkId/participants",status="409"}',
      ),
    ).toBe(1);
    expect(text).toContain('samverkan_http_request_duration_seconds_bucket{le="0.005"');
    // The lag of every projection the API runs, and the process's own series.
    expect(sample(text, 'samverkan_projection_lag_events{projection="audit-trail"}')).toEqual(
      expect.any(Number),
    );
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    // Labels never carry ids, and a path that matches no route has one fixed label.
    expect(text).not.toContain(missing);
    expect(text).not.toContain(talkId);
    await http().get(`/api/no-such-thing/${missing}`).set(bearer(operator));
    const after = (await http().get('/metrics').set(bearer(operator)).expect(200)).text;
    expect(after).toMatch(/samverkan_http_requests_total\{method="GET",route="\(no route\)"/);
    expect(after).not.toContain(missing);

    // Anyone else learns nothing from it.
    const refused = await http().get('/metrics').set(bearer(officer)).expect(403);
    const anonymous = await http().get('/metrics').expect(401);
    for (const body of [refused.text, anonymous.text]) expect(body).not.toContain('samverkan_');

    // SAMVERKAN_METRICS_PORT: the same page without credentials, on a port of its own.
    const port = started.app.get(MetricsModule).boundPort();
    const own = await new Promise<string>((resolve, reject) =>
      get(`http://127.0.0.1:${port}/metrics`, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(body))));
      }).on('error', reject),
    );
    expect(own).toContain('samverkan_event_store_appends_total{adapter="embedded"');
  });
});

const kafka = requireKafka('the logs and metrics suite’s Kafka part');

kafka.describe('logs and metrics with the relay (Kafka)', () => {
  const log = capturedLog();
  const partnership = `obs-${unique()}`;
  let started: Awaited<ReturnType<typeof appStarted>>;
  let consumer: Consumer | undefined;

  beforeAll(async () => {
    started = await appStarted(
      {
        SAMVERKAN_RELAY: 'on',
        KAFKA_BROKERS: kafka.brokers.join(','),
        SAMVERKAN_PARTNERSHIP_ID: partnership,
      },
      log.logger,
    );
  });
  afterAll(async () => {
    await consumer?.disconnect().catch(() => undefined);
    await started?.close();
  });

  it('carries the correlation id into the Kafka message’s headers and the relay’s line, and shows the relay’s lag', async () => {
    const correlationId = `obs-kafka-${unique()}`;
    const talkId = `talk-${unique()}`;
    const written = await started
      .http()
      .post('/api/prevention-talks')
      .set(bearer(socialWorker))
      .set('X-Correlation-Id', correlationId)
      .send(plan(talkId, 'SOC-4D5E6F', 'SSPF'))
      .expect(201);
    const eventId = (written.body as { events: { eventId: string }[] }).events[0]!.eventId;

    const client = new Kafka({ brokers: kafka.brokers, logLevel: logLevel.NOTHING });
    consumer = client.consumer({ groupId: `obs-${unique()}` });
    await consumer.connect();
    await consumer.subscribe({
      topics: [agencyTopic(partnership, 'social-services', true)],
      fromBeginning: true,
    });
    const headers = await new Promise<Record<string, string>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the talk never reached Kafka')), 60_000);
      void consumer!.run({
        eachMessage: ({ message }) => {
          const event = JSON.parse(message.value!.toString()) as { id: string };
          if (event.id === eventId) {
            clearTimeout(timer);
            resolve(
              Object.fromEntries(
                Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
              ),
            );
          }
          return Promise.resolve();
        },
      });
    });
    expect(headers['ce_correlationid']).toBe(correlationId);
    expect(headers['content-type']).toMatch(/^application\/cloudevents\+json/);
    expect(
      log
        .lines()
        .find((l) => l.context === 'Relay' && l.eventId === eventId && l.level === 'debug'),
    ).toMatchObject({ correlationId, message: expect.stringMatching(/^Published/) });

    const text = (await started.http().get('/metrics').set(bearer(operator)).expect(200)).text;
    expect(sample(text, 'samverkan_relay_lag_events')).toEqual(expect.any(Number));
    expect(sample(text, 'samverkan_relay_up')).toBe(1);
    expect(sample(text, 'samverkan_relay_outages_total')).toBe(0);
    expect(sample(text, 'samverkan_relay_position')).toBeGreaterThanOrEqual(
      (written.body as { globalPosition: number }).globalPosition,
    );
  });
});
