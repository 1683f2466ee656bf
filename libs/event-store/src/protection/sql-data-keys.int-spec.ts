import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { PgliteSqlClient } from '../embedded/pglite-sql-client';
import { PgSqlClient } from '../postgres/pg-sql-client';
import { requirePostgres, TestDatabases } from '../postgres/test-databases';
import type { SqlClient, SqlQueryable } from '../sql/sql-client';
import { DataKeyDestroyedError, DataKeyMissingError, type KeyState } from './data-keys.port';
import { checkedEnvelope, openField, sealField } from './field-cipher';
import { DataKeyUnwrapError, MasterKeyRing } from './master-keys';
import { SqlDataKeys } from './sql-data-keys';

const K1 = `k1:${randomBytes(32).toString('base64')}`;
const K2 = `k2:${randomBytes(32).toString('base64')}`;
const ring1 = MasterKeyRing.parse(K1);
const NEVER = '0190a6c0-0000-7000-8000-00000000dead';
const CHUNK_KEY = /^([0-9a-f-]{36})\.(\d+)$/;

/** The chunk and slot of a record key's id. */
function chunkOf(keyId: string): { chunkId: string; slot: number } {
  const match = CHUNK_KEY.exec(keyId);
  if (!match) throw new Error(`${keyId} is not a key of a chunk`);
  return { chunkId: match[1]!, slot: Number(match[2]) };
}

interface ChunkRow {
  chunk_id: string;
  key_count: number;
  wrapped_key: Uint8Array;
  master_key_id: string;
  sealed_keys: Uint8Array;
  destroyed_slots: Record<string, { reason: string; at: string; by: string }>;
}

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

    it('stores record keys in chunks, sealed only, one row per chunk, and loads many in one query', async () => {
      const taken = await keys.takeRecordKeys(20);
      const chunkIds = [...new Set(taken.map((k) => chunkOf(k.keyId).chunkId))];
      // Eight keys a chunk: 20 keys from three chunks, and no row of their own.
      expect(chunkIds).toHaveLength(3);
      const rows = await client.query<ChunkRow>(
        `select chunk_id::text as chunk_id, key_count, wrapped_key, master_key_id, sealed_keys,
                destroyed_slots
           from protection.record_key_chunks where chunk_id = any($1::uuid[])`,
        [chunkIds],
      );
      expect(rows).toHaveLength(3);
      for (const row of rows) {
        expect(row).toMatchObject({ key_count: 8, master_key_id: 'k1', destroyed_slots: {} });
        expect(row.wrapped_key).toHaveLength(60);
        expect(row.sealed_keys).toHaveLength(12 + 8 * 32 + 16);
        const stored = Buffer.from(row.sealed_keys);
        for (const k of taken) expect(stored.includes(k.key)).toBe(false);
      }
      const [{ n: own } = { n: 1 }] = await client.query<{ n: string | number }>(
        `select count(*) as n from protection.data_keys where kind = 'record'`,
      );
      expect(Number(own)).toBe(0);
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
      const { chunkId } = chunkOf(a!.keyId);
      expect(chunkOf(b!.keyId).chunkId).toBe(chunkId);
      const [row] = await client.query<ChunkRow>(
        `select destroyed_slots, sealed_keys from protection.record_key_chunks
          where chunk_id = $1`,
        [chunkId],
      );
      expect(Object.keys(row!.destroyed_slots).sort()).toEqual(
        [chunkOf(a!.keyId).slot, chunkOf(b!.keyId).slot].map(String).sort(),
      );
      for (const tombstone of Object.values(row!.destroyed_slots)) {
        expect(tombstone).toEqual({ reason: 'redacted', by: 'corr-r', at: expect.any(String) });
        expect(Number.isNaN(new Date(tombstone.at).getTime())).toBe(false);
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
      // The subject, the period and the digest key, and the live keys of the chunk (eight,
      // one destroyed): everything under k1 that is still live.
      const [{ n: live } = { n: 0 }] = await client.query<{ n: string | number }>(
        `select count(*) as n from protection.data_keys where master_key_id = 'k1'`,
      );
      expect(Number(live)).toBe(2);
      expect(await rotated.rewrap()).toBe(2 + 1 + 7);
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
        `select (select count(*) from protection.data_keys
                  where destroyed_at is null and master_key_id <> 'k2')
              + (select count(*) from protection.record_key_chunks where master_key_id <> 'k2')
              + (select count(*) from protection.digest_keys where master_key_id <> 'k2') as n`,
      );
      expect(Number(n)).toBe(0);
    });

    it('leaves the rest of its chunk unused at close, no row per key, and refuses work after', async () => {
      const pooled = new SqlDataKeys(client, { masterKeys: ring1, poolBatch: 8 });
      const [used] = await pooled.takeRecordKeys(1);
      await pooled.close();
      await pooled.close();
      const rows = await client.query<{ chunk_id: string; key_count: number }>(
        `select chunk_id::text as chunk_id, key_count from protection.record_key_chunks`,
      );
      expect(rows).toEqual([{ chunk_id: chunkOf(used!.keyId).chunkId, key_count: 8 }]);
      const [{ n } = { n: 1 }] = await client.query<{ n: string | number }>(
        `select count(*) as n from protection.data_keys where kind = 'record'`,
      );
      expect(Number(n)).toBe(0);
      // The key handed out stays readable; the rest of the chunk is never handed out again.
      expect(liveKey((await keys.load([used!.keyId])).get(used!.keyId))).toEqual(used!.key);
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

    it('makes record keys in chunks: consecutive keys are slots of one chunk, each handed out once', async () => {
      const first = await keys.takeRecordKeys(3);
      const rest = await keys.takeRecordKeys(5);
      const chunk = [...first, ...rest];
      const { chunkId } = chunkOf(chunk[0]!.keyId);
      expect(chunk.map((k) => k.keyId)).toEqual(
        Array.from({ length: 8 }, (_, slot) => `${chunkId}.${slot}`),
      );
      expect(new Set(chunk.map((k) => k.key.toString('hex'))).size).toBe(8);
      // The chunk used up, the next key comes from another.
      const [next] = await keys.takeRecordKeys(1);
      expect(chunkOf(next!.keyId).chunkId).not.toBe(chunkId);
      // Another process makes chunks of its own: no key is ever handed out twice.
      const other = another({ masterKeys: ring1, poolBatch: 8 });
      const theirs = await other.takeRecordKeys(8);
      const ours = new Set([...chunk, next!].map((k) => chunkOf(k.keyId).chunkId));
      for (const k of theirs) expect(ours.has(chunkOf(k.keyId).chunkId)).toBe(false);
      // One row per chunk, none per key.
      const [{ n } = { n: 0 }] = await client.query<{ n: string | number }>(
        'select count(*) as n from protection.record_key_chunks where chunk_id = any($1::uuid[])',
        [[...ours]],
      );
      expect(Number(n)).toBe(2);
    });

    it('gives ids that envelopes accept, and only in their one canonical form', async () => {
      const [record] = await keys.takeRecordKeys(1);
      const subject = await keys.subjectKey('SOC-env');
      const period = await keys.periodKey('prevention-talks', 2025);
      const at = { eventId: '0190a6c0-0000-7000-8000-000000000001', path: 'outcome' };
      const envelope = sealField('Vill börja i fotbollslaget', [record!, subject, period], at);
      expect(envelope.k[0]).toMatch(/^[0-9a-f-]{36}\.0$/);
      const loaded = await another({ masterKeys: ring1 }).load(envelope.k);
      expect(openField(envelope, loaded, at)).toEqual({ text: 'Vill börja i fotbollslaget' });
      const { chunkId } = chunkOf(record!.keyId);
      for (const bad of [
        `${chunkId}.01`,
        `${chunkId}.10000`,
        `${chunkId}.`,
        `${chunkId}.-1`,
        `${chunkId.toUpperCase()}.0`,
      ]) {
        expect(() => checkedEnvelope({ ...envelope, k: [bad] }, at)).toThrow(
          'lists no valid key ids',
        );
      }
      expect(checkedEnvelope({ ...envelope, k: [`${chunkId}.9999`] }, at).k).toEqual([
        `${chunkId}.9999`,
      ]);
    });

    it('destroys one slot of a chunk: its neighbours stay readable, the chunk sealed anew', async () => {
      const chunk = await keys.takeRecordKeys(8);
      const { chunkId } = chunkOf(chunk[3]!.keyId);
      const before = await client.query<ChunkRow>(
        'select wrapped_key, sealed_keys from protection.record_key_chunks where chunk_id = $1',
        [chunkId],
      );
      expect(await keys.destroy([chunk[3]!.keyId], 'redacted', 'corr-slot')).toBe(1);
      const after = await client.query<ChunkRow>(
        'select wrapped_key, sealed_keys from protection.record_key_chunks where chunk_id = $1',
        [chunkId],
      );
      // A new chunk key and new ciphertext: the old version does not open with the new key.
      expect(Buffer.from(after[0]!.wrapped_key)).not.toEqual(Buffer.from(before[0]!.wrapped_key));
      expect(Buffer.from(after[0]!.sealed_keys)).not.toEqual(Buffer.from(before[0]!.sealed_keys));
      expect(after[0]!.sealed_keys).toHaveLength(before[0]!.sealed_keys.length);

      const loaded = await keys.load(chunk.map((k) => k.keyId));
      chunk.forEach((k, slot) => {
        if (slot === 3) {
          expect(loaded.get(k.keyId)).toEqual({
            state: 'destroyed',
            reason: 'redacted',
            destroyedAt: expect.any(Date),
          });
        } else {
          expect(liveKey(loaded.get(k.keyId))).toEqual(k.key);
        }
      });
    });

    it('destroys idempotently and counts only what it destroys now, one transaction per chunk', async () => {
      const transactions: number[] = [];
      const counted: SqlClient = {
        query: (text, params, name) => client.query(text, params, name),
        execScript: (sql) => client.execScript(sql),
        transaction: (work) => {
          transactions.push(1);
          return client.transaction(work);
        },
        close: () => client.close(),
      };
      const destroyer = new SqlDataKeys(counted, { masterKeys: ring1 });
      others.push(destroyer);
      await destroyer.start();
      // Ten keys from two chunks, and a period key (a row of its own).
      const taken = await keys.takeRecordKeys(10);
      const period = await keys.periodKey('restricted-reports', 2024);
      expect(new Set(taken.map((k) => chunkOf(k.keyId).chunkId)).size).toBe(2);
      transactions.splice(0);
      const first = [taken[1]!.keyId, taken[9]!.keyId, taken[1]!.keyId, period.keyId];
      expect(await destroyer.destroy(first, 'erased', 'corr-1')).toBe(3);
      expect(transactions).toHaveLength(2);
      expect(await destroyer.destroy(first, 'erased', 'corr-2')).toBe(0);
      expect(await destroyer.destroy([taken[1]!.keyId, taken[2]!.keyId], 'erased', 'corr-3')).toBe(
        1,
      );
      // Ids never made destroy nothing, as before.
      const { chunkId } = chunkOf(taken[0]!.keyId);
      expect(await destroyer.destroy([`${NEVER}.0`, `${chunkId}.9999`], 'erased', 'corr')).toBe(0);
      // Two processes destroying the same slot at once: it is destroyed once.
      const counts = await Promise.all([
        keys.destroy([taken[5]!.keyId], 'redacted', 'corr-a'),
        destroyer.destroy([taken[5]!.keyId], 'redacted', 'corr-b'),
      ]);
      expect(counts.reduce((a, b) => a + b)).toBe(1);
      // The first destruction's tombstone stands.
      const loaded = await keys.load(taken.map((k) => k.keyId));
      expect(loaded.get(taken[1]!.keyId)).toMatchObject({ state: 'destroyed', reason: 'erased' });
      const [row] = await client.query<ChunkRow>(
        'select destroyed_slots from protection.record_key_chunks where chunk_id = $1',
        [chunkId],
      );
      expect(row!.destroyed_slots['1']).toMatchObject({ reason: 'erased', by: 'corr-1' });
      const live = taken.filter((k) => loaded.get(k.keyId)!.state === 'live');
      expect(live.map((k) => k.keyId)).toEqual([0, 3, 4, 6, 7, 8].map((i) => taken[i]!.keyId));
    });

    it('reads destroyed slots as destroyed from a new store, in one query, and tells unknown ids', async () => {
      const taken = await keys.takeRecordKeys(12);
      const subject = await keys.subjectKey('SOC-new-store');
      await keys.destroy([taken[2]!.keyId, taken[10]!.keyId], 'redacted', 'corr-r');
      await keys.close();

      const counted = countingClient(client);
      const reader = new SqlDataKeys(counted.client, { masterKeys: ring1 });
      others.push(reader);
      await reader.start();
      counted.statements.splice(0);
      const loaded = await reader.load([...taken.map((k) => k.keyId), subject.keyId]);
      expect(counted.statements).toHaveLength(1);
      taken.forEach((k, i) => {
        if (i === 2 || i === 10) {
          expect(loaded.get(k.keyId)).toMatchObject({ state: 'destroyed', reason: 'redacted' });
        } else {
          expect(liveKey(loaded.get(k.keyId))).toEqual(k.key);
        }
      });
      expect(liveKey(loaded.get(subject.keyId))).toEqual(subject.key);
      // Past the end of a chunk, in a chunk never made: never created.
      const { chunkId } = chunkOf(taken[0]!.keyId);
      const past = `${chunkId}.8`;
      await expect(reader.load([taken[0]!.keyId, past, `${NEVER}.0`])).rejects.toEqual(
        new DataKeyMissingError([past, `${NEVER}.0`]),
      );
    });

    it('rewrap with a new master key keeps chunk keys readable and destroyed slots destroyed', async () => {
      const taken = await keys.takeRecordKeys(12);
      await keys.destroy([taken[4]!.keyId], 'erased', 'corr');
      const rotated = another({ masterKeys: MasterKeyRing.parse(`${K2},${K1}`) });
      // Two chunks of eight, one key destroyed, and the digest key.
      expect(await rotated.rewrap()).toBe(15 + 1);
      const chunks = await client.query<{ master_key_id: string }>(
        'select master_key_id from protection.record_key_chunks',
      );
      expect(chunks.map((c) => c.master_key_id)).toEqual(['k2', 'k2']);

      const onlyNew = another({ masterKeys: MasterKeyRing.parse(K2) });
      const loaded = await onlyNew.load(taken.map((k) => k.keyId));
      taken.forEach((k, i) => {
        if (i === 4) expect(loaded.get(k.keyId)).toMatchObject({ state: 'destroyed' });
        else expect(liveKey(loaded.get(k.keyId))).toEqual(k.key);
      });
      // And destroys there, under the new key only.
      expect(await onlyNew.destroy([taken[5]!.keyId], 'redacted', 'corr-2')).toBe(1);
      const again = await onlyNew.load([taken[5]!.keyId, taken[6]!.keyId]);
      expect(again.get(taken[5]!.keyId)).toMatchObject({ state: 'destroyed' });
      expect(liveKey(again.get(taken[6]!.keyId))).toEqual(taken[6]!.key);
    });

    it('refuses a tampered chunk: altered keys, keys moved from another chunk, a tombstone removed', async () => {
      const taken = await keys.takeRecordKeys(16);
      const [a, b] = [chunkOf(taken[0]!.keyId).chunkId, chunkOf(taken[8]!.keyId).chunkId];
      const rowOf = async (chunkId: string): Promise<ChunkRow> =>
        (
          await client.query<ChunkRow>(
            `select wrapped_key, sealed_keys, destroyed_slots from protection.record_key_chunks
              where chunk_id = $1`,
            [chunkId],
          )
        )[0]!;
      const put = (chunkId: string, column: string, bytes: Uint8Array) =>
        client.query(
          `update protection.record_key_chunks set ${column} = decode($2, 'hex') where chunk_id = $1`,
          [chunkId, Buffer.from(bytes).toString('hex')],
        );
      const original = await rowOf(a);
      const reader = another({ masterKeys: ring1 });

      const altered = Buffer.from(original.sealed_keys);
      altered[40] = altered[40]! ^ 0x01;
      await put(a, 'sealed_keys', altered);
      await expect(reader.load([taken[1]!.keyId])).rejects.toThrow(DataKeyUnwrapError);
      await expect(reader.load([taken[1]!.keyId])).rejects.toThrow(/does not unwrap/);
      await expect(keys.destroy([taken[1]!.keyId], 'redacted', 'corr')).rejects.toThrow(
        DataKeyUnwrapError,
      );
      await put(a, 'sealed_keys', altered.subarray(0, altered.length - 32));
      await expect(reader.load([taken[1]!.keyId])).rejects.toThrow(/wrong length/);

      // B's keys, or B's keys with B's chunk key, on A's row: bound to B, they do not open on A.
      const other = await rowOf(b);
      await put(a, 'sealed_keys', other.sealed_keys);
      await expect(reader.load([taken[1]!.keyId])).rejects.toThrow(DataKeyUnwrapError);
      await put(a, 'wrapped_key', other.wrapped_key);
      await expect(reader.load([taken[1]!.keyId])).rejects.toThrow(DataKeyUnwrapError);

      await put(a, 'wrapped_key', original.wrapped_key);
      await put(a, 'sealed_keys', original.sealed_keys);
      expect(liveKey((await reader.load([taken[1]!.keyId])).get(taken[1]!.keyId))).toEqual(
        taken[1]!.key,
      );
      // A destroyed slot whose tombstone is taken away does not come back as a key.
      await keys.destroy([taken[2]!.keyId], 'redacted', 'corr');
      await client.query(
        `update protection.record_key_chunks set destroyed_slots = destroyed_slots - '2'
          where chunk_id = $1`,
        [a],
      );
      await expect(reader.load([taken[2]!.keyId])).rejects.toThrow(/erased but has no tombstone/);
      expect(liveKey((await reader.load([taken[3]!.keyId])).get(taken[3]!.keyId))).toEqual(
        taken[3]!.key,
      );
    });

    it('reads, destroys and rewraps record keys made before chunks (rows of their own)', async () => {
      const legacyId = '0190a6c0-0000-7000-8000-0000000001d5';
      const legacyKey = randomBytes(32);
      const wrapped = ring1.wrap(legacyId, legacyKey);
      await client.query(
        `insert into protection.data_keys (key_id, kind, wrapped_key, master_key_id)
         values ($1, 'record', decode($2, 'hex'), $3)`,
        [legacyId, wrapped.wrapped.toString('hex'), wrapped.masterKeyId],
      );
      const [fresh] = await keys.takeRecordKeys(1);
      const loaded = await keys.load([legacyId, fresh!.keyId]);
      expect(liveKey(loaded.get(legacyId))).toEqual(legacyKey);
      expect(liveKey(loaded.get(fresh!.keyId))).toEqual(fresh!.key);

      const rotated = another({ masterKeys: MasterKeyRing.parse(`${K2},${K1}`) });
      expect(await rotated.rewrap()).toBe(1 + 8 + 1);
      const onlyNew = another({ masterKeys: MasterKeyRing.parse(K2) });
      expect(liveKey((await onlyNew.load([legacyId])).get(legacyId))).toEqual(legacyKey);

      expect(await onlyNew.destroy([legacyId, fresh!.keyId], 'redacted', 'corr')).toBe(2);
      const after = await keys.load([legacyId, fresh!.keyId]);
      expect(after.get(legacyId)).toMatchObject({ state: 'destroyed', reason: 'redacted' });
      expect(after.get(fresh!.keyId)).toMatchObject({ state: 'destroyed', reason: 'redacted' });
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
