import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { PgliteSqlClient } from '../embedded/pglite-sql-client';
import { PgSqlClient } from '../postgres/pg-sql-client';
import { requirePostgres, TestDatabases } from '../postgres/test-databases';
import type { SqlClient, SqlQueryable } from '../sql/sql-client';
import { DataKeyDestroyedError, DataKeyMissingError, type KeyState } from './data-keys.port';
import { MasterKeyRing } from './master-keys';
import { SqlDataKeys } from './sql-data-keys';

const K1 = `k1:${randomBytes(32).toString('base64')}`;
const K2 = `k2:${randomBytes(32).toString('base64')}`;
const ring1 = MasterKeyRing.parse(K1);
const NEVER = '0190a6c0-0000-7000-8000-00000000dead';

/** The client with every statement it is given recorded, to count round trips. */
function countingClient(client: SqlClient): { client: SqlClient; statements: string[] } {
  const statements: string[] = [];
  const counted: SqlClient = {
    query<Row extends object>(text: string, params?: readonly unknown[], name?: string) {
      statements.push(text);
      return client.query<Row>(text, params, name);
    },
    execScript: (sql) => client.execScript(sql),
    transaction: <T>(work: (tx: SqlQueryable) => Promise<T>) => client.transaction(work),
    close: () => client.close(),
  };
  return { client: counted, statements };
}

const liveKey = (state: KeyState | undefined): Buffer => {
  if (state?.state !== 'live') throw new Error(`expected a live key, got ${state?.state}`);
  return state.key;
};

function dataKeysContract(name: string, open: () => Promise<SqlClient>): void {
  describe(`data keys on ${name}`, () => {
    let client: SqlClient;
    let keys: SqlDataKeys;
    const others: SqlDataKeys[] = [];
    const another = (options: ConstructorParameters<typeof SqlDataKeys>[1]) => {
      const made = new SqlDataKeys(client, options);
      others.push(made);
      return made;
    };

    beforeAll(async () => {
      client = await open();
    });
    afterAll(() => client.close());
    // One database per suite (a PGlite takes seconds to start), the key store anew per test.
    beforeEach(async () => {
      await client.query('drop schema if exists protection cascade');
      keys = new SqlDataKeys(client, { masterKeys: ring1, poolBatch: 8 });
      await keys.start();
    });
    afterEach(async () => {
      for (const k of others.splice(0)) await k.close().catch(() => undefined);
      await keys.close().catch(() => undefined);
    });

    it('starts again, and from another process at the same time, with the same digest key', async () => {
      await keys.start();
      const [a, b] = [another({ masterKeys: ring1 }), another({ masterKeys: ring1 })];
      await Promise.all([a.start(), b.start()]);
      const [ka, kb, kc] = await Promise.all([
        a.subjectKey('SOC-1'),
        b.subjectKey('SOC-1'),
        keys.subjectKey('SOC-1'),
      ]);
      expect(new Set([ka.keyId, kb.keyId, kc.keyId]).size).toBe(1);
      expect(ka.key).toEqual(kc.key);
    });

    it('hands out record keys from a pool made in batches: one statement per batch, each key once', async () => {
      const counted = countingClient(client);
      const pooled = another({ masterKeys: ring1, poolBatch: 8 });
      // Started on the plain client: only the pool's own statements are counted.
      const viaCounter = new SqlDataKeys(counted.client, { masterKeys: ring1, poolBatch: 8 });
      others.push(viaCounter);
      await viaCounter.start();
      counted.statements.splice(0);
      const taken = [];
      for (let i = 0; i < 40; i++) taken.push(...(await viaCounter.takeRecordKeys(1)));
      const inserts = counted.statements.filter((s) => s.includes('insert into protection'));
      expect(inserts.length).toBeLessThanOrEqual(40 / 8 + 1);
      expect(counted.statements).toHaveLength(inserts.length);
      expect(new Set(taken.map((k) => k.keyId)).size).toBe(40);
      for (const k of taken) expect(k.key).toHaveLength(32);
      // A large append takes its keys in one statement.
      counted.statements.splice(0);
      expect(await viaCounter.takeRecordKeys(100)).toHaveLength(100);
      expect(counted.statements.filter((s) => s.includes('insert')).length).toBeLessThanOrEqual(2);
      expect(await pooled.takeRecordKeys(0)).toEqual([]);
    });

    it('stores record keys wrapped only, and loads many in one query', async () => {
      const taken = await keys.takeRecordKeys(20);
      const [stored] = await client.query<{ n: string | number }>(
        `select count(*) as n from protection.data_keys
          where kind = 'record' and key_id = any($1::uuid[]) and master_key_id = 'k1'
            and length(wrapped_key) = 60 and scope is null`,
        [taken.map((k) => k.keyId)],
      );
      expect(Number(stored!.n)).toBe(20);
      const counted = countingClient(client);
      const reader = new SqlDataKeys(counted.client, { masterKeys: ring1 });
      others.push(reader);
      await reader.start();
      counted.statements.splice(0);
      const loaded = await reader.load([...taken.map((k) => k.keyId), taken[0]!.keyId]);
      expect(counted.statements).toHaveLength(1);
      for (const k of taken) expect(liveKey(loaded.get(k.keyId))).toEqual(k.key);
    });

    it('tells a key that never existed from a destroyed one', async () => {
      const [k] = await keys.takeRecordKeys(1);
      await expect(keys.load([k!.keyId, NEVER])).rejects.toEqual(new DataKeyMissingError([NEVER]));
      expect(await keys.destroy([k!.keyId], 'redacted', 'corr-1')).toBe(1);
      const state = (await keys.load([k!.keyId])).get(k!.keyId);
      expect(state).toEqual({
        state: 'destroyed',
        reason: 'redacted',
        destroyedAt: expect.any(Date),
      });
    });

    it('destroys record keys once, keeping a tombstone with when, why and by what', async () => {
      const [a, b, c] = await keys.takeRecordKeys(3);
      expect(await keys.destroy([a!.keyId, b!.keyId, a!.keyId], 'redacted', 'corr-r')).toBe(2);
      expect(await keys.destroy([a!.keyId], 'erased', 'corr-later')).toBe(0);
      const rows = await client.query<Record<string, unknown>>(
        `select key_id, wrapped_key, master_key_id, destroyed_reason, destroyed_by, destroyed_at
           from protection.data_keys where key_id = any($1::uuid[]) order by key_id`,
        [[a!.keyId, b!.keyId]],
      );
      for (const row of rows) {
        expect(row).toMatchObject({
          wrapped_key: null,
          master_key_id: null,
          destroyed_reason: 'redacted',
          destroyed_by: 'corr-r',
        });
        expect(row['destroyed_at']).toBeInstanceOf(Date);
      }
      const loaded = await keys.load([a!.keyId, c!.keyId]);
      expect(loaded.get(a!.keyId)).toMatchObject({ state: 'destroyed', reason: 'redacted' });
      expect(liveKey(loaded.get(c!.keyId))).toEqual(c!.key);
      expect(await keys.destroy([], 'redacted', 'corr')).toBe(0);
      await expect(keys.destroy([c!.keyId], 'redacted', ' ')).rejects.toThrow(/correlation id/);
    });

    it('keeps one key per subject, found by a keyed digest, never by the reference itself', async () => {
      const refs = ['SOC-2024-0042', 'SOC-2024-0043'];
      const concurrent = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 === 0 ? keys : another({ masterKeys: ring1 })).subjectKey(refs[0]!),
        ),
      );
      expect(new Set(concurrent.map((k) => k.keyId)).size).toBe(1);
      const other = await keys.subjectKey(refs[1]!);
      expect(other.keyId).not.toBe(concurrent[0]!.keyId);
      const rows = await client.query<{ scope: string }>(
        `select scope from protection.data_keys where kind = 'subject'`,
      );
      expect(rows).toHaveLength(2);
      for (const { scope } of rows) {
        expect(scope).toMatch(/^[0-9a-f]{64}$/);
        for (const ref of refs) expect(scope).not.toContain(ref);
      }
      const dump = JSON.stringify(
        await client.query(`select * from protection.data_keys, protection.digest_keys`),
      );
      for (const ref of refs) expect(dump).not.toContain(ref);
    });

    it("binds a talk's stream to its subject; erasure destroys the key, refuses more on the stream, and a new key serves new data", async () => {
      const planned = await keys.subjectKey('SOC-7', 'prevention-talk-t1');
      expect(await keys.subjectKeyOfStream('prevention-talk-t1')).toEqual(planned);
      expect(await keys.subjectKeyOfStream('prevention-talk-unbound')).toBeUndefined();
      // A retry of the planning binds nothing new.
      expect((await keys.subjectKey('SOC-7', 'prevention-talk-t1')).keyId).toBe(planned.keyId);

      expect(await keys.destroySubject('SOC-7', 'corr-erase')).toBe(1);
      expect(await keys.destroySubject('SOC-7', 'corr-erase')).toBe(0);
      expect((await keys.load([planned.keyId])).get(planned.keyId)).toMatchObject({
        state: 'destroyed',
        reason: 'erased',
      });
      await expect(keys.subjectKeyOfStream('prevention-talk-t1')).rejects.toEqual(
        new DataKeyDestroyedError('subject', 'erased'),
      );
      const later = await keys.subjectKey('SOC-7', 'prevention-talk-t2');
      expect(later.keyId).not.toBe(planned.keyId);
      expect(await keys.destroySubject('SOC-unknown', 'corr')).toBe(0);
    });

    it('keeps one key per retention class and year, and gallrar the years before a given one', async () => {
      const years = await Promise.all(
        [2021, 2022, 2023, 2024, 2022].map((y) => keys.periodKey('prevention-talks', y)),
      );
      expect(years[1]!.keyId).toBe(years[4]!.keyId);
      const logKey = await keys.periodKey('read-access-log', 2021);
      const rows = await client.query<{ scope: string }>(
        `select scope from protection.data_keys where kind = 'period' order by scope`,
      );
      expect(rows.map((r) => r.scope)).toEqual([
        'prevention-talks:2021',
        'prevention-talks:2022',
        'prevention-talks:2023',
        'prevention-talks:2024',
        'read-access-log:2021',
      ]);

      const gone = await keys.destroyPeriodsBefore('prevention-talks', 2024, 'corr-gallring');
      expect(gone).toEqual([
        { keyId: years[0]!.keyId, retention: 'prevention-talks', year: 2021 },
        { keyId: years[1]!.keyId, retention: 'prevention-talks', year: 2022 },
        { keyId: years[2]!.keyId, retention: 'prevention-talks', year: 2023 },
      ]);
      expect(await keys.destroyPeriodsBefore('prevention-talks', 2024, 'corr-again')).toEqual([]);
      const loaded = await keys.load([years[0]!.keyId, years[3]!.keyId, logKey.keyId]);
      expect(loaded.get(years[0]!.keyId)).toMatchObject({ state: 'destroyed', reason: 'expired' });
      expect(liveKey(loaded.get(years[3]!.keyId))).toEqual(years[3]!.key);
      expect(liveKey(loaded.get(logKey.keyId))).toEqual(logKey.key);
      // An event dated in a year already gallrad gets a new key, destroyed with its year next time.
      expect((await keys.periodKey('prevention-talks', 2022)).keyId).not.toBe(years[1]!.keyId);
      await expect(keys.periodKey('prevention-talks', 1.5)).rejects.toThrow(/integer/);
      await expect(keys.periodKey('everything' as 'prevention-talks', 2024)).rejects.toThrow(
        /Unknown retention class/,
      );
    });

    it('rotation: rewrap puts every live key under the new master key, and then the old one may go', async () => {
      const records = await keys.takeRecordKeys(3);
      const subject = await keys.subjectKey('SOC-9', 'prevention-talk-r');
      const period = await keys.periodKey('restricted-reports', 2025);
      await keys.destroy([records[2]!.keyId], 'redacted', 'corr');

      const rotated = another({ masterKeys: MasterKeyRing.parse(`${K2},${K1}`), poolBatch: 600 });
      const newKeys = await rotated.takeRecordKeys(1);
      // Eight pool keys and the three live ones, the subject, the period, and the digest key:
      // everything under k1 that is still live.
      const [{ n: live } = { n: 0 }] = await client.query<{ n: string | number }>(
        `select count(*) as n from protection.data_keys where master_key_id = 'k1'`,
      );
      expect(await rotated.rewrap()).toBe(Number(live) + 1);
      expect(await rotated.rewrap()).toBe(0);

      const onlyNew = another({ masterKeys: MasterKeyRing.parse(K2) });
      const ids = [...records, subject, period, ...newKeys].map((k) => k.keyId);
      const loaded = await onlyNew.load(ids);
      for (const k of [records[0]!, records[1]!, subject, period, ...newKeys]) {
        expect(liveKey(loaded.get(k.keyId))).toEqual(k.key);
      }
      expect(loaded.get(records[2]!.keyId)).toMatchObject({ state: 'destroyed' });
      // The digest key moved too: the subject is still found by its reference.
      expect((await onlyNew.subjectKey('SOC-9')).keyId).toBe(subject.keyId);
      const [{ n } = { n: 1 }] = await client.query<{ n: string | number }>(
        `select count(*) as n from protection.data_keys where destroyed_at is null and master_key_id <> 'k2'`,
      );
      expect(Number(n)).toBe(0);
    });

    it('deletes the pool keys it never handed out at close, and refuses work after', async () => {
      const pooled = new SqlDataKeys(client, { masterKeys: ring1, poolBatch: 8 });
      const [used] = await pooled.takeRecordKeys(1);
      await pooled.close();
      await pooled.close();
      const rows = await client.query<{ key_id: string }>(
        `select key_id from protection.data_keys where kind = 'record'`,
      );
      expect(rows.map((r) => r.key_id)).toEqual([used!.keyId]);
      await expect(pooled.takeRecordKeys(1)).rejects.toThrow('closed');
    });

    it('caches unwrapped keys only when asked: a destroy here evicts at once, one elsewhere after the time to live', async () => {
      let now = 0;
      const counted = countingClient(client);
      const cached = new SqlDataKeys(counted.client, {
        masterKeys: ring1,
        cacheTtlMs: 1000,
        now: () => now,
      });
      others.push(cached);
      const [a, b] = await keys.takeRecordKeys(2);
      await cached.load([a!.keyId, b!.keyId]);
      counted.statements.splice(0);
      await cached.load([a!.keyId, b!.keyId]);
      expect(counted.statements).toHaveLength(0);

      await cached.destroy([a!.keyId], 'redacted', 'corr-here');
      expect((await cached.load([a!.keyId])).get(a!.keyId)).toMatchObject({ state: 'destroyed' });

      // Destroyed by another process: this one sees it once its entry has expired.
      await keys.destroy([b!.keyId], 'erased', 'corr-elsewhere');
      expect((await cached.load([b!.keyId])).get(b!.keyId)).toMatchObject({ state: 'live' });
      now = 1001;
      expect((await cached.load([b!.keyId])).get(b!.keyId)).toMatchObject({
        state: 'destroyed',
        reason: 'erased',
      });

      // Off by default: every load reads the database.
      const plain = another({ masterKeys: ring1 });
      const [c] = await keys.takeRecordKeys(1);
      await plain.load([c!.keyId]);
      await keys.destroy([c!.keyId], 'redacted', 'corr');
      expect((await plain.load([c!.keyId])).get(c!.keyId)).toMatchObject({ state: 'destroyed' });
    });

    it('refuses to read keys wrapped under a master key no longer configured, naming it', async () => {
      const [k] = await keys.takeRecordKeys(1);
      const without = another({ masterKeys: MasterKeyRing.parse(K2) });
      await expect(without.load([k!.keyId])).rejects.toThrow(
        /wrapped under master key 'k1', which SAMVERKAN_MASTER_KEYS does not hold/,
      );
    });
  });
}

dataKeysContract('the embedded store', async () => new PgliteSqlClient(await PGlite.create()));

const pg = requirePostgres('the data key store suite on PostgreSQL');
pg.describe('PostgreSQL', () => {
  const databases = new TestDatabases(pg.url);
  afterAll(() => databases.dropAll());
  dataKeysContract(
    'PostgreSQL',
    async () => new PgSqlClient({ connectionString: await databases.create(), max: 5 }),
  );
});
