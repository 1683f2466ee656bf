import { Client } from 'pg';
import type { Actor } from '../libs/domain/src/actor';
import { requirePostgres, TestDatabases } from '../libs/event-store/src/postgres/test-databases';
import { grantUsers, tokenFor } from './support/api-harness';
import { listeningApi, type Started } from './support/listening-api';

/**
 * The browser's live stream (server-sent events) over real HTTP: notifications only, only for
 * what the reader may read, resumable with Last-Event-ID, and ended when the reader's role is
 * revoked.
 */
const officer: Actor = { userId: 'polis.live', agency: 'police', role: 'officer' };
const principal: Actor = { userId: 'rektor.live', agency: 'school', role: 'principal' };
const policeAdmin: Actor = {
  userId: 'admin.polis.live',
  agency: 'police',
  role: 'user-administrator',
};

const report = (reportId: string, description: string, sharedWith: string[] = []) => ({
  reportId,
  placeIds: ['skoghall-centrum'],
  problemArea: 'vandalism-burglary',
  period: { from: '2026-11-01', to: '2026-11-30' },
  trend: 'rising',
  severity: 'medium',
  description,
  source: 'own-observation',
  sensitivity: sharedWith.length > 0 ? 'restricted' : 'open',
  sharedWith,
});

/** Server-sent events as they arrive, parsed. */
class EventStream {
  readonly events: { id?: string; event: string; data: string }[] = [];
  raw = '';
  ended = false;
  private readonly aborted = new AbortController();

  static async open(base: string, actor: Actor, lastEventId?: string): Promise<EventStream> {
    const stream = new EventStream();
    const res = await fetch(`${base}/api/live`, {
      headers: {
        Authorization: `Bearer ${tokenFor(actor)}`,
        ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}),
      },
      signal: stream.aborted.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    void stream.read(res.body!);
    return stream;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body) {
        this.raw += decoder.decode(chunk, { stream: true });
        const blocks = this.raw.split('\n\n');
        this.raw = blocks.pop()!;
        for (const block of blocks) {
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((l) => !l.startsWith(':') && l.includes(':'))
              .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
          ) as Record<string, string>;
          if (fields['event']) {
            this.events.push({
              id: fields['id'],
              event: fields['event'],
              data: fields['data'] ?? '',
            });
          }
        }
      }
    } catch {
      // Aborted by the test.
    }
    this.ended = true;
  }

  notifications(): { position: number; type: string; streamId: string }[] {
    return this.events
      .filter((e) => e.event === 'notification')
      .map((e) => JSON.parse(e.data) as { position: number; type: string; streamId: string });
  }

  async until(done: () => boolean, what: string, ms = 10_000): Promise<void> {
    for (let waited = 0; !done(); waited += 50) {
      if (waited > ms)
        throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(this.events)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  close(): void {
    this.aborted.abort();
  }
}

describe('the live stream for browsers', () => {
  let api: Started;
  const streams: EventStream[] = [];

  beforeAll(async () => {
    api = await listeningApi({ SAMVERKAN_LIVE_RECHECK_SECONDS: '1' });
    // The officer is an analyst too: after the revocation they are still a user, in another role.
    await grantUsers(api.app, [officer, { ...officer, role: 'analyst' }, principal, policeAdmin]);
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await api?.stop();
  });

  const post = (path: string, actor: Actor, body: unknown) =>
    fetch(`${api.base}/api${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokenFor(actor)}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('tells a reader what changed in what they may read, and nothing of its content', async () => {
    const police = await EventStream.open(api.base, officer);
    streams.push(police);
    expect(
      (await post('/situation-reports', principal, report('live-open-1', 'Klotter vid gaveln.')))
        .status,
    ).toBe(201);
    // Restricted to social services: the police may not know it exists.
    const hidden = await post(
      '/situation-reports',
      principal,
      report('live-hidden-1', 'Oro kring en elev.', ['social-services']),
    );
    expect(hidden.status).toBe(201);
    expect(
      (await post('/situation-reports', principal, report('live-open-2', 'Krossad ruta.'))).status,
    ).toBe(201);
    await police.until(() => police.notifications().length >= 2, 'two notifications');
    const heard = police.notifications();
    expect(heard.map((n) => n.streamId)).toEqual([
      'situation-report-live-open-1',
      'situation-report-live-open-2',
    ]);
    expect(heard[0]!.type).toBe('SituationReported');
    const everything = JSON.stringify(police.events);
    for (const secret of ['Klotter', 'Krossad', 'live-hidden-1', 'Oro kring']) {
      expect(everything).not.toContain(secret);
    }
    // The school's own stream, opened after, resumes from the first: it hears the other two.
    const school = await EventStream.open(api.base, principal, String(heard[0]!.position));
    streams.push(school);
    await school.until(() => school.notifications().length >= 2, 'the resumed notifications');
    expect(school.notifications().map((n) => n.streamId)).toEqual([
      'situation-report-live-hidden-1',
      'situation-report-live-open-2',
    ]);
  });

  it('ends the stream when the reader’s role is revoked', async () => {
    const police = await EventStream.open(api.base, officer);
    streams.push(police);
    const revoked = await post('/partnership/user-roles/revocations', policeAdmin, {
      userId: officer.userId,
      agency: 'police',
      role: 'officer',
      reason: 'Slutat i lokalpolisområdet',
    });
    expect(revoked.status).toBe(201);
    await police.until(() => police.ended, 'the stream to end', 10_000);
    const end = police.events.find((e) => e.event === 'end');
    expect(JSON.parse(end!.data)).toEqual({ reason: 'role-revoked' });
    // And nothing after it, even as the log goes on.
    expect(
      (await post('/situation-reports', principal, report('live-after', 'Nytt.'))).status,
    ).toBe(201);
    await new Promise((r) => setTimeout(r, 500));
    expect(police.notifications().map((n) => n.streamId)).not.toContain(
      'situation-report-live-after',
    );
  });

  it('refuses a stream without credentials', async () => {
    const res = await fetch(`${api.base}/api/live`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

/**
 * A notification makes the browser read its view again, so it must not arrive before the view
 * has the event: on PostgreSQL, with the situation picture's projection held (its lease taken by
 * the test), the report's notification waits, and comes once the projection has applied it.
 */
const pg = requirePostgres('the live stream waiting for the views (PostgreSQL)');
const databases = new TestDatabases(pg.url);

pg.describe('the live stream on PostgreSQL', () => {
  let api: Started;
  let lease: Client;
  const streams: EventStream[] = [];
  const LEASE = 'samverkan.projection.situation-picture';

  beforeAll(async () => {
    const url = await databases.create();
    api = await listeningApi({ DATABASE_URL: url, SAMVERKAN_SEED: 'auto' });
    await grantUsers(api.app, [officer, principal]);
    lease = new Client({ connectionString: url });
    await lease.connect();
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await lease?.end();
    await api?.stop();
    await databases.dropAll();
  });

  const post = (path: string, actor: Actor, body: unknown) =>
    fetch(`${api.base}/api${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokenFor(actor)}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const picture = async () => {
    const res = await fetch(`${api.base}/api/situation-picture`, {
      headers: { Authorization: `Bearer ${tokenFor(officer)}` },
    });
    expect(res.status).toBe(200);
    return JSON.stringify(await res.json());
  };

  it('tells a reader of a change only once their view shows it', async () => {
    const police = await EventStream.open(api.base, officer);
    streams.push(police);
    // The projection's lease: the API's runner skips it while the test holds it.
    await lease.query('select pg_advisory_lock(hashtext($1))', [LEASE]);
    expect(
      (await post('/situation-reports', principal, report('held-1', 'Trasig belysning.'))).status,
    ).toBe(201);
    // Long enough for the notification to have come had it not waited (it comes within
    // milliseconds otherwise), well inside the 5 s it waits for the views at most.
    await new Promise((r) => setTimeout(r, 1500));
    expect(police.notifications().map((n) => n.streamId)).toEqual([]);
    expect(await picture()).not.toContain('held-1');

    await lease.query('select pg_advisory_unlock(hashtext($1))', [LEASE]);
    // Another report wakes the projection at once (it looks again every 5 s otherwise).
    expect(
      (await post('/situation-reports', principal, report('held-2', 'Klotter på bron.'))).status,
    ).toBe(201);
    await police.until(
      () => police.notifications().some((n) => n.streamId === 'situation-report-held-1'),
      "the held report's notification",
    );
    // Read at once, without waitFor, as the browser does when told.
    expect(await picture()).toContain('held-1');
  });
});
