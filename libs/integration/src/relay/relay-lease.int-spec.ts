import { randomBytes } from 'node:crypto';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { createEventStore } from '@samverkan/event-store/event-store.config';
import type { EventStore, ReadAllOptions } from '@samverkan/event-store/event-store.port';
import { requirePostgres, TestDatabases } from '@samverkan/event-store/postgres/test-databases';
import { type SqlEventStore } from '@samverkan/event-store/sql/sql-event-store';
import { appendPartnershipLog } from '@samverkan/projections/testing/partnership-log';
import { until } from '@samverkan/shared/eventually';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { Client } from 'pg';
import { requireKafka } from '../kafka/require-kafka';
import { agencyTopics } from './feed-audience';
import { Relay, type RelayStatus } from './relay';
import { PostgresRelayLease, relayLeaseKey } from './relay-lease';
import { consume, countOf, expectedFor } from './testing/relay-feed';

const pg = requirePostgres('the relay lease suite (PostgreSQL)');
const kafka = requireKafka('the relay lease suite (Kafka)');

/** Holds a relay's reads of the log while closed (each read waits until it opens again). */
interface ReadGate {
  close(): void;
  open(): void;
  passed(): Promise<void>;
}

function readGate(): ReadGate {
  let gate: Promise<void> = Promise.resolve();
  let release = (): void => undefined;
  return {
    close: () => {
      gate = new Promise((resolve) => (release = resolve));
    },
    open: () => release(),
    passed: () => gate,
  };
}

/** The store, with `readAll` waiting at the gate: the relay reads its batches with it. */
function gatedReads(store: EventStore, gate: ReadGate): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'readAll') {
        return (options?: ReadAllOptions) =>
          (async function* () {
            await gate.passed();
            yield* target.readAll(options);
          })();
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

/**
 * A TCP hop to PostgreSQL that can be cut the way a network partition cuts it: the client's
 * side stays open and hears nothing more, so it goes on believing its session is there.
 */
async function partitionableHop(target: URL): Promise<{
  url: string;
  partition(): void;
  close(): Promise<void>;
}> {
  const pairs: [Socket, Socket][] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    pairs.push([client, upstream]);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    partition() {
      for (const [client, upstream] of pairs.splice(0)) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        // Whatever the server sends from now on (its goodbye included) never arrives.
        upstream.removeAllListeners('end');
        upstream.removeAllListeners('error');
        upstream.on('error', () => undefined);
        upstream.on('data', () => undefined);
        client.on('data', () => undefined);
        client.on('end', () => client.destroy());
      }
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        // A cut-off connection never ends by itself: the server would wait for it.
        for (const socket of sockets) socket.destroy();
      }),
  };
}

pg.describe('relays that both believe they lead', () => {
  kafka.describe('on a real Kafka broker', () => {
    const databases = new TestDatabases(pg.url);
    const client = new Kafka({
      clientId: 'relay-lease-test',
      brokers: kafka.brokers,
      logLevel: logLevel.NOTHING,
    });
    const consumers: Consumer[] = [];
    const relays: Relay[] = [];
    const stores: EventStore[] = [];
    let url: string;
    let db: Client;

    beforeAll(async () => {
      url = await databases.create();
      db = new Client({ connectionString: url });
      await db.connect();
    });
    afterAll(async () => {
      for (const relay of relays) await relay.stop().catch(() => undefined);
      for (const consumer of consumers) await consumer.disconnect().catch(() => undefined);
      for (const store of stores) await store.close();
      await db?.end();
      await databases.dropAll();
    });

    /** A relay as a process of its own would run it: its own pool and its own lease session. */
    const startRelay = async (
      partnershipId: string,
      options: { leaseUrl?: string; leaseCheckMs?: number; reads?: ReadGate } = {},
    ): Promise<{ relay: Relay; store: EventStore }> => {
      const store = await createEventStore({
        adapter: 'postgres',
        connectionString: url,
        poolSize: 5,
      });
      await store.start();
      stores.push(store);
      const relayStore = options.reads ? gatedReads(store, options.reads) : store;
      const relay = new Relay(relayStore, (store as SqlEventStore).sqlClient, client, {
        partnershipId,
        batchSize: 50,
        lease: new PostgresRelayLease(options.leaseUrl ?? url, relayLeaseKey(partnershipId)),
        ...(options.leaseCheckMs ? { leaseCheckMs: options.leaseCheckMs } : {}),
      });
      relays.push(relay);
      await relay.start();
      return { relay, store };
    };
    const inState = (relay: Relay, state: RelayStatus['state']) =>
      until(`the relay ${state}`, async () => {
        // A standby's status fails while the checkpoint it shows cannot be read.
        const status = await relay.status().catch(() => undefined);
        return status?.state === state ? status : undefined;
      });
    const checkpoint = async (partnershipId: string): Promise<number> => {
      const { rows } = await db.query<{ position: string }>(
        `select position from relay.checkpoints where name = $1`,
        [`relay:${partnershipId}`],
      );
      return Number(rows[0]!.position);
    };
    /** Waits until the relays' checkpoint has reached `position`. */
    const checkpointReaches = (what: string, partnershipId: string, position: number) =>
      until(what, async () => ((await checkpoint(partnershipId)) >= position ? true : undefined));

    it('one cut off from its lease session publishes on from a stale checkpoint while a standby takes over: the checkpoint never moves back, the stale one stands down at its refused compare-and-set, and every event arrives', async () => {
      const partnershipId = `l${randomBytes(4).toString('hex')}`;
      const hop = await partitionableHop(new URL(url));
      try {
        // The first asks after its lease only every ten minutes: cut off, it believes it leads.
        const firstReads = readGate();
        const first = await startRelay(partnershipId, {
          leaseUrl: hop.url,
          leaseCheckMs: 600_000,
          reads: firstReads,
        });
        const part1 = await appendPartnershipLog(first.store, {
          promises: 1,
          activities: 60,
          reports: 10,
          prefix: 'a-',
        });
        await checkpointReaches('the first relay past part 1', partnershipId, part1);
        const second = await startRelay(partnershipId);
        await inState(second.relay, 'standby');
        expect((await first.relay.status()).state).toBe('running');

        // Every move of the checkpoint, as the table sees it.
        await db.query(`
          create table public.checkpoint_moves (seq serial, old_position bigint, new_position bigint);
          create function public.note_move() returns trigger language plpgsql as $$
          begin insert into public.checkpoint_moves (old_position, new_position)
                values (old.position, new.position); return new; end $$;
          create trigger note_move after update on relay.checkpoints
            for each row execute function public.note_move();`);

        // The first's lease session ends at the server; the first hears nothing of it.
        hop.partition();
        const cutAt = Date.now();
        const { rows: ended } = await db.query<{ ended: boolean }>(
          `select pg_terminate_backend(l.pid) as ended
             from pg_locks l where l.locktype = 'advisory' and l.granted
              and l.objid::bigint = (hashtext($1)::bigint & 4294967295)`,
          [relayLeaseKey(partnershipId)],
        );
        expect(ended).toEqual([{ ended: true }]);
        await inState(second.relay, 'running');
        const takeoverMs = Date.now() - cutAt;
        process.stdout.write(`relay takeover after the lease session ended: ${takeoverMs} ms\n`);
        expect((await first.relay.status()).state).toBe('running'); // both believe they lead

        // New events that only the second may read at first: it publishes them and moves the
        // checkpoint past the first's stale one while the first, still believing it leads, waits
        // for its read. Then the first reads them too, publishes them again (at least once) and
        // its compare-and-set from the stale checkpoint is refused. Left to race, the first could
        // win every compare-and-set on a quiet machine and stand down only at its lease check.
        firstReads.close();
        await inState(second.relay, 'running');
        const part2 = await appendPartnershipLog(second.store, {
          promises: 0,
          activities: 0,
          reports: 5,
          prefix: 'b-',
        });
        await checkpointReaches('the second relay past the new events', partnershipId, part2);
        expect((await first.relay.status()).state).toBe('running'); // still believes it leads
        firstReads.open();
        await inState(first.relay, 'standby');
        expect(await first.relay.status()).toMatchObject({ state: 'standby' });
        await until('the standby leading again', async () =>
          (await second.relay.status()).state === 'running' &&
          (await checkpoint(partnershipId)) >= part2
            ? true
            : undefined,
        );

        const { rows: moves } = await db.query<{ old_position: string; new_position: string }>(
          `select old_position, new_position from public.checkpoint_moves order by seq`,
        );
        expect(moves.length).toBeGreaterThan(0);
        expect(moves.filter((m) => Number(m.new_position) <= Number(m.old_position))).toEqual([]);

        const topics = agencyTopics(partnershipId, 'police');
        const expected = await expectedFor(first.store, partnershipId, topics, part2);
        const received = await consume(client, consumers, topics, countOf(expected));
        expect(received.inconsistentDuplicates).toBe(0);
        expect(received.byStream).toEqual(expected);
      } finally {
        await hop.close();
      }
    }, 180_000);

    it('a checkpoint that cannot be read is an outage, never position 0: the relay taking over holds, then publishes only what came after the checkpoint', async () => {
      const partnershipId = `c${randomBytes(4).toString('hex')}`;
      const leader = await startRelay(partnershipId);
      const part1 = await appendPartnershipLog(leader.store, {
        promises: 1,
        activities: 40,
        reports: 10,
        prefix: 'c-',
      });
      await checkpointReaches('the leader past part 1', partnershipId, part1);
      const standby = await startRelay(partnershipId);
      await inState(standby.relay, 'standby');
      const stored = await checkpoint(partnershipId);

      // The checkpoint table out of reach just as the standby takes over.
      await db.query(`alter table relay.checkpoints rename to checkpoints_away`);
      await leader.relay.stop();
      const part2 = await appendPartnershipLog(leader.store, {
        promises: 0,
        activities: 0,
        reports: 8,
        prefix: 'd-',
      });
      const down = await inState(standby.relay, 'store-unreachable');
      expect(down.lastError).toMatch(/relay\.checkpoints/);
      expect(down.published).toBe(0);
      await db.query(`alter table relay.checkpoints_away rename to checkpoints`);

      await checkpointReaches('the new leader past part 2', partnershipId, part2);
      let after = 0;
      for await (const _event of standby.store.readAll({ after: stored })) after++;
      const resumed = await until('the new leader counting what it published', async () => {
        const status = await standby.relay.status();
        return status.published >= after ? status : undefined;
      });
      // Exactly what came after the checkpoint: from 0 it would have sent part 1 again too.
      expect(resumed).toMatchObject({ state: 'running', published: after });
    }, 120_000);
  });
});
