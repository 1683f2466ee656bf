import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { randomBytesFromPool } from './random-bytes';
import {
  RETENTION_CLASSES,
  type DestructionReason,
  type RetentionClass,
} from '@samverkan/domain/personal-fields';
import { uuidv7 } from '@samverkan/shared/ids';
import type { Migration } from '../sql/event-store-migrations';
import { migrate } from '../sql/migration-runner';
import type { SqlClient } from '../sql/sql-client';
import {
  type DataKey,
  DataKeyDestroyedError,
  type DataKeyKind,
  DataKeyMissingError,
  type DataKeys,
  type DestroyedPeriod,
  type KeyState,
} from './data-keys.port';
import { DataKeyUnwrapError, type MasterKeyRing } from './master-keys';
import type { ErasureLedger } from './erasure-ledger';

export const PROTECTION_SCHEMA = 'protection';

const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'data keys, subject streams and the subject digest key',
    sql: `
create table protection.data_keys (
  key_id uuid primary key,
  kind text not null check (kind in ('record', 'subject', 'period')),
  -- subject: HMAC digest of the pseudonymous reference (never the reference); period: class:year
  scope text,
  wrapped_key bytea,
  master_key_id text,
  created_at timestamptz not null default now(),
  destroyed_at timestamptz,
  destroyed_reason text check (destroyed_reason in ('erased', 'redacted', 'expired')),
  destroyed_by text,
  constraint data_keys_scope check ((kind = 'record') = (scope is null)),
  constraint data_keys_live_or_tombstone check (
    (destroyed_at is null and destroyed_reason is null and destroyed_by is null
      and wrapped_key is not null and master_key_id is not null)
    or (destroyed_at is not null and destroyed_reason is not null and destroyed_by is not null
      and wrapped_key is null and master_key_id is null))
);
-- One live key per subject and per period; after a destruction a new one may be made.
create unique index data_keys_live_scope on protection.data_keys (kind, scope)
  where destroyed_at is null and scope is not null;
create index data_keys_master_key on protection.data_keys (master_key_id)
  where destroyed_at is null;

-- Streams whose every event is about one data subject (a talk): bound on the first event.
create table protection.subject_streams (
  stream_id text primary key,
  key_id uuid not null references protection.data_keys (key_id),
  bound_at timestamptz not null default now()
);

-- The key of the subject references' digests: stable across master key rotations.
create table protection.digest_keys (
  name text primary key,
  wrapped_key bytea not null,
  master_key_id text not null,
  created_at timestamptz not null default now()
);
`,
  },
  {
    version: 2,
    name: 'record keys in chunks',
    sql: `
-- Record keys made from this version on: one row per chunk of keys, the key id of each being
-- '<chunk_id>.<slot>'. Record keys made before stay rows of data_keys.
create table protection.record_key_chunks (
  chunk_id uuid primary key,
  key_count integer not null check (key_count between 1 and 10000),
  -- The chunk's own key, wrapped under a master key like a data key (bound to 'chunk:<id>').
  wrapped_key bytea not null,
  master_key_id text not null,
  -- IV, then every slot's 32-byte key in slot order (a destroyed slot's as zeros) encrypted in
  -- one AES-256-GCM operation under the chunk's key (bound to the chunk id), then the tag.
  sealed_keys bytea not null,
  created_at timestamptz not null default now(),
  -- The tombstones of destroyed slots: {"<slot>": {"reason": ..., "at": ..., "by": ...}}.
  destroyed_slots jsonb not null default '{}'::jsonb
);
`,
  },
];

export interface SqlDataKeysOptions {
  readonly masterKeys: MasterKeyRing;
  /** Record keys per chunk: one row and one round trip make this many (default 256). */
  readonly poolBatch?: number;
  /**
   * How long an unwrapped key may be reused from memory, in ms. 0 (the default) reads the
   * database every time. A destroy in this process evicts at once; a destroy in another
   * process is seen here only once the entry expires (see docs/protection-notes.md).
   */
  readonly cacheTtlMs?: number;
  /** Milliseconds now, for the cache (tests control it). */
  readonly now?: () => number;
  /**
   * Where each destruction is written down before it is made, outside what backups copy, so a
   * restore can destroy the keys again (see erasure-ledger.ts). None: a store no backup copies.
   */
  readonly ledger?: ErasureLedger;
}

const DIGEST_KEY = 'subject-ref';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ZERO_KEY = Buffer.alloc(KEY_BYTES);
const CACHE_LIMIT = 10_000;
const SCOPED_KEY_ATTEMPTS = 5;
const REWRAP_BATCH = 500;
/** Chunks re-wrapped per round trip: 256 keys are 8 KiB each. */
const CHUNK_REWRAP_BATCH = 50;
/** A record key in a chunk: `<chunk uuid>.<slot>` (see field-cipher's KEY_ID). */
const CHUNK_KEY_ID =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(0|[1-9][0-9]{0,3})$/;

interface KeyRow {
  key_id: string;
  wrapped_key: Uint8Array | null;
  master_key_id: string | null;
  destroyed_reason: DestructionReason | null;
  destroyed_at: Date | string | null;
}

interface Tombstone {
  readonly reason: DestructionReason;
  readonly at: string;
  readonly by: string;
}

interface ChunkRow {
  chunk_id: string;
  key_count: number;
  wrapped_key: Uint8Array;
  master_key_id: string;
  sealed_keys: Uint8Array;
  destroyed_slots: Readonly<Record<string, Tombstone>>;
}

/** A row of either kind, as `load` reads both in one statement. */
interface LoadRow {
  id: string;
  wrapped_key: Uint8Array | null;
  master_key_id: string | null;
  destroyed_reason: DestructionReason | null;
  destroyed_at: Date | string | null;
  key_count: number | null;
  sealed_keys: Uint8Array | null;
  destroyed_slots: Readonly<Record<string, Tombstone>> | null;
}

/** A chunk's keys sealed for storage: the chunk key wrapped, the keys under it. */
interface SealedChunk {
  readonly wrappedKey: Buffer;
  readonly masterKeyId: string;
  readonly sealed: Buffer;
}

/**
 * The data keys in schema `protection` of the log's database (server or embedded), migrated
 * like the log.
 *
 * Record keys are made in chunks (`poolBatch` keys, 256 by default): one row of
 * `protection.record_key_chunks` holds them all, encrypted in one AES-GCM operation under the
 * chunk's own key, which is wrapped under the current master key. A chunk is committed before
 * any of its keys is handed out, so an event never refers to a key that is not stored; each key
 * is handed out once, by the process that made the chunk. Keys not handed out when the process
 * ends are simply never used: the rest of a chunk encrypts nothing, reveals nothing and costs no
 * row of its own. Subject and period keys (and record keys made before chunks) are rows of
 * `protection.data_keys`.
 */
export class SqlDataKeys implements DataKeys {
  private started: Promise<Buffer> | undefined;
  private closed = false;
  private readonly pool: DataKey[] = [];
  private refilling: Promise<void> | undefined;
  private readonly batch: number;
  private readonly ttl: number;
  private readonly now: () => number;
  /** keyId → key, when the cache is on. */
  private readonly keyCache = new Map<string, { state: KeyState; expires: number }>();
  /** 'subject:<digest>' | 'period:<scope>' | 'stream:<id>' → key, when the cache is on. */
  private readonly scopeCache = new Map<string, { key: DataKey; expires: number }>();

  constructor(
    private readonly client: SqlClient,
    private readonly options: SqlDataKeysOptions,
  ) {
    this.batch = options.poolBatch ?? 256;
    this.ttl = options.cacheTtlMs ?? 0;
    this.now = options.now ?? Date.now;
    if (!Number.isInteger(this.batch) || this.batch < 1 || this.batch > 10_000) {
      throw new Error('poolBatch must be an integer from 1 to 10000');
    }
  }

  async start(): Promise<void> {
    await this.digestKey();
    await this.options.ledger?.start();
  }

  /** Writes the destruction into the ledger before it is made (see ErasureLedger). */
  private async writeDown(
    keyIds: readonly string[],
    reason: DestructionReason,
    correlationId: string,
  ): Promise<void> {
    if (!this.options.ledger || keyIds.length === 0) return;
    await this.options.ledger.record({
      at: new Date().toISOString(),
      keyIds: [...new Set(keyIds)],
      reason,
      by: correlationId,
    });
  }

  /** Migrates, then loads (or makes) the key the subject digests are keyed with. */
  private digestKey(): Promise<Buffer> {
    this.assertOpen();
    this.started ??= (async () => {
      await migrate(this.client, PROTECTION_SCHEMA, migrations);
      const made = this.options.masterKeys.wrap(`digest:${DIGEST_KEY}`, randomBytes(KEY_BYTES));
      // Two processes starting together: the first insert wins and both read it.
      await this.client.query(
        `insert into protection.digest_keys (name, wrapped_key, master_key_id)
         values ($1, decode($2, 'hex'), $3) on conflict (name) do nothing`,
        [DIGEST_KEY, made.wrapped.toString('hex'), made.masterKeyId],
      );
      const [row] = await this.client.query<{ wrapped_key: Uint8Array; master_key_id: string }>(
        'select wrapped_key, master_key_id from protection.digest_keys where name = $1',
        [DIGEST_KEY],
      );
      return this.options.masterKeys.unwrap(`digest:${DIGEST_KEY}`, {
        masterKeyId: row!.master_key_id,
        wrapped: Buffer.from(row!.wrapped_key),
      });
    })();
    this.started.catch(() => {
      // A failed start may be retried by the next call.
      this.started = undefined;
    });
    return this.started;
  }

  async takeRecordKeys(count: number): Promise<DataKey[]> {
    if (!Number.isInteger(count) || count < 0) throw new Error('count must be an integer >= 0');
    this.assertOpen();
    if (count === 0) return [];
    await this.digestKey();
    while (this.pool.length < count) await this.refill(count - this.pool.length);
    const taken = this.pool.splice(0, count);
    if (this.pool.length < Math.ceil(this.batch / 4) && !this.refilling) {
      // Made ahead so the next appends need no round trip. A failure here is not lost: the
      // next take that finds the pool short refills in the foreground and throws it.
      this.refill(0).catch(() => undefined);
    }
    if (this.ttl > 0) {
      for (const key of taken) this.remember(key.keyId, { state: 'live', key: key.key });
    }
    return taken;
  }

  /** Joins the refill under way, or starts one. */
  private refill(atLeast: number): Promise<void> {
    if (!this.refilling) {
      // Cleared in a later tick, so a batch that fails at once does not stay the one under way.
      this.refilling = this.makeChunks(atLeast).finally(() => {
        this.refilling = undefined;
      });
    }
    return this.refilling;
  }

  /** One chunk (or as many as `atLeast` keys need) made, sealed and stored in one statement. */
  private async makeChunks(atLeast: number): Promise<void> {
    const size = this.batch;
    const made = Array.from({ length: Math.max(1, Math.ceil(atLeast / size)) }, () => {
      const chunkId = uuidv7();
      const keys = randomBytesFromPool(size * KEY_BYTES);
      return { chunkId, keys, sealed: this.sealChunk(chunkId, keys) };
    });
    try {
      // The blobs as binary parameters (a Buffer is sent as it is, not as text): half the
      // bytes of hex on the wire, and no encoding on either side.
      await this.client.query(
        `insert into protection.record_key_chunks
           (chunk_id, key_count, wrapped_key, master_key_id, sealed_keys)
         values ${made.map((_, i) => chunkValues(i * 5)).join(', ')}`,
        made.flatMap((m) => [
          m.chunkId,
          size,
          m.sealed.wrappedKey,
          m.sealed.masterKeyId,
          m.sealed.sealed,
        ]),
        made.length === 1 ? 'protection_record_key_chunk' : undefined,
      );
      // Handed out only once committed: an event must never name a key that is not stored.
      for (const { chunkId, keys } of made) {
        for (let slot = 0; slot < size; slot++) {
          this.pool.push({
            keyId: `${chunkId}.${slot}`,
            key: Buffer.from(keys.subarray(slot * KEY_BYTES, (slot + 1) * KEY_BYTES)),
          });
        }
      }
    } finally {
      for (const m of made) m.keys.fill(0);
    }
  }

  /**
   * The chunk's keys encrypted in one AES-GCM operation under a new chunk key, bound to the
   * chunk id, and that key wrapped under the current master key. (The ring wraps 32-byte data
   * keys only, hence the chunk key between them.) A new chunk key every time: a chunk re-sealed
   * after a destruction does not open with a copy of the key of its earlier version.
   */
  private sealChunk(chunkId: string, keys: Buffer): SealedChunk {
    const chunkKey = randomBytesFromPool(KEY_BYTES);
    try {
      const wrapped = this.options.masterKeys.wrap(`chunk:${chunkId}`, chunkKey);
      const iv = randomBytesFromPool(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', chunkKey, iv);
      cipher.setAAD(chunkBinding(chunkId));
      const sealed = Buffer.concat([iv, cipher.update(keys), cipher.final(), cipher.getAuthTag()]);
      return { wrappedKey: wrapped.wrapped, masterKeyId: wrapped.masterKeyId, sealed };
    } finally {
      chunkKey.fill(0);
    }
  }

  /** The chunk's keys (`key_count` × 32 bytes), or DataKeyUnwrapError; the caller zeroes them. */
  private openChunk(row: ChunkRow): Buffer {
    const chunkKey = this.options.masterKeys.unwrap(`chunk:${row.chunk_id}`, {
      masterKeyId: row.master_key_id,
      wrapped: Buffer.from(row.wrapped_key),
    });
    try {
      const sealed = bufferOf(row.sealed_keys);
      if (sealed.length !== IV_BYTES + Number(row.key_count) * KEY_BYTES + TAG_BYTES) {
        throw new DataKeyUnwrapError(
          `Record key chunk ${row.chunk_id} is stored with the wrong length`,
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', chunkKey, sealed.subarray(0, IV_BYTES));
        decipher.setAAD(chunkBinding(row.chunk_id));
        decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
        return Buffer.concat([
          decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
          decipher.final(),
        ]);
      } catch {
        throw new DataKeyUnwrapError(
          `Record key chunk ${row.chunk_id} does not unwrap: its stored keys were altered or belong to another chunk`,
        );
      }
    } finally {
      chunkKey.fill(0);
    }
  }

  async subjectKey(subjectRef: string, streamId?: string): Promise<DataKey> {
    if (typeof subjectRef !== 'string' || subjectRef === '') {
      throw new Error('A subject reference is a non-empty string');
    }
    const digest = this.subjectDigest(subjectRef, await this.digestKey());
    const cacheKey = `subject:${digest}`;
    const cached = this.cachedScope(cacheKey);
    if (cached && streamId === undefined) return cached;
    const key = await this.liveScopedKey('subject', digest, streamId);
    this.rememberScope(cacheKey, key);
    if (streamId !== undefined) this.rememberScope(`stream:${streamId}`, key);
    return key;
  }

  async subjectKeyOfStream(streamId: string): Promise<DataKey | undefined> {
    await this.digestKey();
    const cached = this.cachedScope(`stream:${streamId}`);
    if (cached) return cached;
    const [row] = await this.client.query<KeyRow>(
      `select k.key_id, k.wrapped_key, k.master_key_id, k.destroyed_reason, k.destroyed_at
         from protection.subject_streams s join protection.data_keys k using (key_id)
        where s.stream_id = $1`,
      [streamId],
    );
    if (!row) return undefined;
    const state = this.stateOf(row);
    if (state.state === 'destroyed') throw new DataKeyDestroyedError('subject', state.reason);
    const key = { keyId: row.key_id, key: state.key };
    this.rememberScope(`stream:${streamId}`, key);
    return key;
  }

  async periodKey(retention: RetentionClass, year: number): Promise<DataKey> {
    checkPeriod(retention, year);
    await this.digestKey();
    const scope = `${retention}:${year}`;
    const cached = this.cachedScope(`period:${scope}`);
    if (cached) return cached;
    const key = await this.liveScopedKey('period', scope);
    this.rememberScope(`period:${scope}`, key);
    return key;
  }

  /**
   * The live key of a scope, made if there is none, in one statement (and the stream bound to
   * it). A writer racing us may commit the scope's key after this statement's snapshot: then
   * neither the insert nor the select yields a row, and the next attempt sees it.
   */
  private async liveScopedKey(
    kind: Exclude<DataKeyKind, 'record'>,
    scope: string,
    streamId?: string,
  ): Promise<DataKey> {
    for (let attempt = 1; attempt <= SCOPED_KEY_ATTEMPTS; attempt++) {
      const keyId = uuidv7();
      const fresh = randomBytes(KEY_BYTES);
      const wrapped = this.options.masterKeys.wrap(keyId, fresh);
      const [row] = await this.client.query<KeyRow>(
        `with created as (
           insert into protection.data_keys (key_id, kind, scope, wrapped_key, master_key_id)
           values ($1, $2, $3, decode($4, 'hex'), $5)
           on conflict (kind, scope) where destroyed_at is null and scope is not null do nothing
           returning key_id, wrapped_key, master_key_id),
         found as (
           select key_id, wrapped_key, master_key_id from created
           union all
           select key_id, wrapped_key, master_key_id from protection.data_keys
            where kind = $2 and scope = $3 and destroyed_at is null
           limit 1),
         bound as (
           insert into protection.subject_streams (stream_id, key_id)
           select $6::text, key_id from found where $6::text is not null
           on conflict (stream_id) do nothing)
         select key_id, wrapped_key, master_key_id,
                null::text as destroyed_reason, null::timestamptz as destroyed_at
           from found`,
        [
          keyId,
          kind,
          scope,
          wrapped.wrapped.toString('hex'),
          wrapped.masterKeyId,
          streamId ?? null,
        ],
      );
      if (!row) continue;
      if (row.key_id === keyId) return { keyId, key: fresh };
      const state = this.stateOf(row);
      if (state.state === 'live') return { keyId: row.key_id, key: state.key };
    }
    throw new Error(
      `No live ${kind} key could be made or found after ${SCOPED_KEY_ATTEMPTS} tries`,
    );
  }

  async load(keyIds: readonly string[]): Promise<ReadonlyMap<string, KeyState>> {
    await this.digestKey();
    const found = new Map<string, KeyState>();
    const plain: string[] = [];
    const chunks = new Map<string, Set<number>>();
    for (const keyId of new Set(keyIds)) {
      const cached = this.cachedKey(keyId);
      if (cached) found.set(keyId, cached);
      else addKeyId(keyId, plain, chunks);
    }
    if (plain.length === 0 && chunks.size === 0) return found;
    // One round trip for both kinds of row: keys of their own, and chunks of record keys.
    const rows = await this.client.query<LoadRow>(
      `select key_id::text as id, wrapped_key, master_key_id, destroyed_reason, destroyed_at,
              null::integer as key_count, null::bytea as sealed_keys, null::jsonb as destroyed_slots
         from protection.data_keys where key_id = any($1::uuid[])
       union all
       select chunk_id::text, wrapped_key, master_key_id, null, null,
              key_count, sealed_keys, destroyed_slots
         from protection.record_key_chunks where chunk_id = any($2::uuid[])`,
      [plain, [...chunks.keys()]],
      'protection_load_keys_v2',
    );
    for (const row of rows) {
      const states: (readonly [string, KeyState])[] =
        row.sealed_keys === null
          ? [[row.id, this.stateOf({ ...row, key_id: row.id })]]
          : this.chunkStates(
              {
                chunk_id: row.id,
                key_count: Number(row.key_count),
                wrapped_key: row.wrapped_key!,
                master_key_id: row.master_key_id!,
                sealed_keys: row.sealed_keys,
                destroyed_slots: row.destroyed_slots ?? {},
              },
              chunks.get(row.id) ?? new Set(),
            );
      for (const [keyId, state] of states) {
        found.set(keyId, state);
        this.remember(keyId, state);
      }
    }
    const missing = [...new Set(keyIds)].filter((id) => !found.has(id));
    if (missing.length > 0) throw new DataKeyMissingError(missing);
    return found;
  }

  /**
   * The states of the wanted slots of one chunk, unwrapped once (and not at all when every
   * wanted slot is destroyed). A slot past the chunk's end is left out: the caller reports it
   * missing.
   */
  private chunkStates(row: ChunkRow, slots: ReadonlySet<number>): [string, KeyState][] {
    const states: [string, KeyState][] = [];
    let keys: Buffer | undefined;
    try {
      for (const slot of slots) {
        if (slot >= row.key_count) continue;
        const keyId = `${row.chunk_id}.${slot}`;
        const tombstone = row.destroyed_slots[String(slot)];
        if (tombstone) {
          states.push([
            keyId,
            { state: 'destroyed', reason: tombstone.reason, destroyedAt: new Date(tombstone.at) },
          ]);
          continue;
        }
        keys ??= this.openChunk(row);
        const key = Buffer.from(keys.subarray(slot * KEY_BYTES, (slot + 1) * KEY_BYTES));
        // Zeros are what destroy leaves: without a tombstone, the row was altered.
        if (key.equals(ZERO_KEY)) {
          throw new DataKeyUnwrapError(`Record key ${keyId} is erased but has no tombstone`);
        }
        states.push([keyId, { state: 'live', key }]);
      }
      return states;
    } finally {
      keys?.fill(0);
    }
  }

  async destroy(
    keyIds: readonly string[],
    reason: DestructionReason,
    correlationId: string,
  ): Promise<number> {
    checkDestruction(reason, correlationId);
    await this.digestKey();
    if (keyIds.length === 0) return 0;
    const plain: string[] = [];
    const chunks = new Map<string, Set<number>>();
    for (const keyId of new Set(keyIds)) addKeyId(keyId, plain, chunks);
    await this.writeDown(keyIds, reason, correlationId);
    let destroyed = 0;
    try {
      if (plain.length > 0) {
        const rows = await this.client.query<{ key_id: string }>(
          `update protection.data_keys
              set wrapped_key = null, master_key_id = null, destroyed_at = now(),
                  destroyed_reason = $2, destroyed_by = $3
            where key_id = any($1::uuid[]) and destroyed_at is null
            returning key_id`,
          [plain, reason, correlationId],
        );
        destroyed += rows.length;
      }
      // In the order of their ids, so two destroys over the same chunks never deadlock.
      for (const chunkId of [...chunks.keys()].sort()) {
        destroyed += await this.destroySlots(chunkId, chunks.get(chunkId)!, reason, correlationId);
      }
    } finally {
      // Evicted even if another process destroyed them first: this one must stop using them.
      this.forget(keyIds);
    }
    return destroyed;
  }

  /**
   * Destroys slots of one chunk in one transaction: the row is locked, its keys unwrapped, the
   * slots' keys overwritten with zeros, the rest sealed anew (under a new chunk key and the
   * current master key) and the tombstones recorded. What remains of a destroyed key is what a
   * destroyed row of data_keys leaves: the row's old version, readable with the master key,
   * until VACUUM reclaims it (and in WAL archives and backups, until they age out or that master
   * key is retired). Returns how many slots were destroyed now.
   */
  private async destroySlots(
    chunkId: string,
    slots: ReadonlySet<number>,
    reason: DestructionReason,
    correlationId: string,
  ): Promise<number> {
    return this.client.transaction(async (tx) => {
      const [row] = await tx.query<ChunkRow>(
        `select chunk_id::text as chunk_id, key_count, wrapped_key, master_key_id, sealed_keys,
                destroyed_slots
           from protection.record_key_chunks where chunk_id = $1 for update`,
        [chunkId],
      );
      if (!row) return 0;
      const count = Number(row.key_count);
      const now = [...slots].filter(
        (slot) => slot < count && !Object.hasOwn(row.destroyed_slots, String(slot)),
      );
      if (now.length === 0) return 0;
      const keys = this.openChunk({ ...row, key_count: count });
      let again: SealedChunk;
      try {
        for (const slot of now) keys.fill(0, slot * KEY_BYTES, (slot + 1) * KEY_BYTES);
        again = this.sealChunk(chunkId, keys);
      } finally {
        keys.fill(0);
      }
      await tx.query(
        `update protection.record_key_chunks
            set wrapped_key = $2::bytea, master_key_id = $3, sealed_keys = $4::bytea,
                destroyed_slots = destroyed_slots || (
                  select jsonb_object_agg(
                           slot::text,
                           jsonb_build_object('reason', $6::text, 'at', now(), 'by', $7::text))
                    from unnest($5::integer[]) as slot)
          where chunk_id = $1`,
        [chunkId, again.wrappedKey, again.masterKeyId, again.sealed, now, reason, correlationId],
      );
      return now.length;
    });
  }

  async destroySubject(subjectRef: string, correlationId: string): Promise<number> {
    checkDestruction('erased', correlationId);
    const digest = this.subjectDigest(subjectRef, await this.digestKey());
    const live = await this.client.query<{ key_id: string }>(
      `select key_id from protection.data_keys
        where kind = 'subject' and scope = $1 and destroyed_at is null`,
      [digest],
    );
    await this.writeDown(
      live.map((r) => r.key_id),
      'erased',
      correlationId,
    );
    const rows = await this.client.query<{ key_id: string }>(
      `update protection.data_keys
          set wrapped_key = null, master_key_id = null, destroyed_at = now(),
              destroyed_reason = 'erased', destroyed_by = $2
        where kind = 'subject' and scope = $1 and destroyed_at is null
        returning key_id`,
      [digest, correlationId],
    );
    await this.writeDownLate(live, rows, 'erased', correlationId);
    this.forget(rows.map((r) => r.key_id));
    return rows.length;
  }

  async destroyPeriodsBefore(
    retention: RetentionClass,
    year: number,
    correlationId: string,
  ): Promise<DestroyedPeriod[]> {
    checkPeriod(retention, year);
    checkDestruction('expired', correlationId);
    await this.digestKey();
    const live = await this.client.query<{ key_id: string }>(
      `select key_id from protection.data_keys
        where kind = 'period' and destroyed_at is null
          and split_part(scope, ':', 1) = $1 and split_part(scope, ':', 2)::integer < $2`,
      [retention, year],
    );
    await this.writeDown(
      live.map((r) => r.key_id),
      'expired',
      correlationId,
    );
    const rows = await this.client.query<{ key_id: string; scope: string }>(
      `update protection.data_keys
          set wrapped_key = null, master_key_id = null, destroyed_at = now(),
              destroyed_reason = 'expired', destroyed_by = $3
        where kind = 'period' and destroyed_at is null
          and split_part(scope, ':', 1) = $1 and split_part(scope, ':', 2)::integer < $2
        returning key_id, scope`,
      [retention, year, correlationId],
    );
    await this.writeDownLate(live, rows, 'expired', correlationId);
    this.forget(rows.map((r) => r.key_id));
    return rows
      .map((r) => ({ keyId: r.key_id, retention, year: Number(r.scope.split(':')[1]) }))
      .sort((a, b) => a.year - b.year);
  }

  /**
   * A key made between the ledger's reading and the destruction (another process's first use of
   * the scope) is written down after it: rare, and its data is no older than the erasure.
   */
  private async writeDownLate(
    before: readonly { key_id: string }[],
    destroyed: readonly { key_id: string }[],
    reason: DestructionReason,
    correlationId: string,
  ): Promise<void> {
    const known = new Set(before.map((r) => r.key_id));
    const late = destroyed.map((r) => r.key_id).filter((id) => !known.has(id));
    await this.writeDown(late, reason, correlationId);
  }

  async rewrap(): Promise<number> {
    await this.digestKey();
    const ring = this.options.masterKeys;
    let count = 0;
    const [digest] = await this.client.query<{ wrapped_key: Uint8Array; master_key_id: string }>(
      `select wrapped_key, master_key_id from protection.digest_keys
        where name = $1 and master_key_id <> $2`,
      [DIGEST_KEY, ring.currentId],
    );
    if (digest) {
      const id = `digest:${DIGEST_KEY}`;
      const again = ring.wrap(
        id,
        ring.unwrap(id, {
          masterKeyId: digest.master_key_id,
          wrapped: Buffer.from(digest.wrapped_key),
        }),
      );
      const updated = await this.client.query(
        `update protection.digest_keys set wrapped_key = decode($2, 'hex'), master_key_id = $3
          where name = $1 and master_key_id = $4 returning name`,
        [DIGEST_KEY, again.wrapped.toString('hex'), again.masterKeyId, digest.master_key_id],
      );
      count += updated.length;
    }
    for (;;) {
      const rows = await this.client.query<KeyRow>(
        `select key_id, wrapped_key, master_key_id, destroyed_reason, destroyed_at
           from protection.data_keys
          where destroyed_at is null and master_key_id <> $1
          order by key_id limit $2`,
        [ring.currentId, REWRAP_BATCH],
      );
      if (rows.length === 0) break;
      const again = rows.map((row) =>
        ring.wrap(
          row.key_id,
          ring.unwrap(row.key_id, {
            masterKeyId: row.master_key_id!,
            wrapped: Buffer.from(row.wrapped_key!),
          }),
        ),
      );
      // Only rows still live and still under the key read: a destruction meanwhile stands.
      const updated = await this.client.query(
        `update protection.data_keys d
            set wrapped_key = decode(v.w, 'hex'), master_key_id = $1
           from unnest($2::uuid[], $3::text[], $4::text[]) as v (id, w, old)
          where d.key_id = v.id and d.master_key_id = v.old and d.destroyed_at is null
          returning d.key_id`,
        [
          ring.currentId,
          rows.map((r) => r.key_id),
          again.map((w) => w.wrapped.toString('hex')),
          rows.map((r) => r.master_key_id),
        ],
      );
      count += updated.length;
    }
    return count + (await this.rewrapChunks());
  }

  /**
   * Every chunk not under the current master key sealed anew under it (its destroyed slots stay
   * zeros); returns how many live keys they hold. A chunk changed meanwhile (a slot destroyed)
   * is left as that change made it, and taken again in the next round if still under an old key.
   */
  private async rewrapChunks(): Promise<number> {
    const ring = this.options.masterKeys;
    let count = 0;
    for (;;) {
      const rows = await this.client.query<ChunkRow>(
        `select chunk_id::text as chunk_id, key_count, wrapped_key, master_key_id, sealed_keys,
                destroyed_slots
           from protection.record_key_chunks
          where master_key_id <> $1
          order by chunk_id limit $2`,
        [ring.currentId, CHUNK_REWRAP_BATCH],
      );
      if (rows.length === 0) return count;
      const again = rows.map((row) => {
        const keys = this.openChunk({ ...row, key_count: Number(row.key_count) });
        try {
          return this.sealChunk(row.chunk_id, keys);
        } finally {
          keys.fill(0);
        }
      });
      // Only rows still as read (the wrapped chunk key is new on every change).
      const updated = await this.client.query<{ chunk_id: string }>(
        `update protection.record_key_chunks c
            set wrapped_key = decode(v.w, 'hex'), master_key_id = $1, sealed_keys = decode(v.s, 'hex')
           from unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) as v (id, w, s, old)
          where c.chunk_id = v.id and c.wrapped_key = decode(v.old, 'hex')
          returning c.chunk_id::text as chunk_id`,
        [
          ring.currentId,
          rows.map((r) => r.chunk_id),
          again.map((a) => a.wrappedKey.toString('hex')),
          again.map((a) => a.sealed.toString('hex')),
          rows.map((r) => bufferOf(r.wrapped_key).toString('hex')),
        ],
      );
      const done = new Set(updated.map((u) => u.chunk_id));
      for (const row of rows) {
        if (done.has(row.chunk_id)) {
          count += Number(row.key_count) - Object.keys(row.destroyed_slots).length;
        }
      }
    }
  }

  /**
   * Ends this store. The record keys made ahead and not handed out are dropped (zeroed in
   * memory): the rest of their chunk is never used, and there is no row per key to delete.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.refilling?.catch(() => undefined);
    for (const unused of this.pool.splice(0)) unused.key.fill(0);
    this.keyCache.clear();
    this.scopeCache.clear();
    await this.options.ledger?.close();
  }

  private subjectDigest(subjectRef: string, digestKey: Buffer): string {
    return createHmac('sha256', digestKey).update(subjectRef, 'utf8').digest('hex');
  }

  private stateOf(row: KeyRow): KeyState {
    if (row.wrapped_key === null || row.master_key_id === null) {
      return {
        state: 'destroyed',
        reason: row.destroyed_reason!,
        destroyedAt: new Date(row.destroyed_at!),
      };
    }
    const key = this.options.masterKeys.unwrap(row.key_id, {
      masterKeyId: row.master_key_id,
      wrapped: Buffer.from(row.wrapped_key),
    });
    return { state: 'live', key };
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The data key store is closed');
  }

  private cachedKey(keyId: string): KeyState | undefined {
    const entry = this.keyCache.get(keyId);
    if (!entry) return undefined;
    if (entry.expires > this.now()) return entry.state;
    this.keyCache.delete(keyId);
    return undefined;
  }

  private remember(keyId: string, state: KeyState): void {
    if (this.ttl <= 0) return;
    if (this.keyCache.size >= CACHE_LIMIT) this.keyCache.delete(this.keyCache.keys().next().value!);
    this.keyCache.set(keyId, { state, expires: this.now() + this.ttl });
  }

  private cachedScope(name: string): DataKey | undefined {
    const entry = this.scopeCache.get(name);
    if (!entry) return undefined;
    if (entry.expires > this.now()) return entry.key;
    this.scopeCache.delete(name);
    return undefined;
  }

  private rememberScope(name: string, key: DataKey): void {
    if (this.ttl <= 0) return;
    if (this.scopeCache.size >= CACHE_LIMIT) {
      this.scopeCache.delete(this.scopeCache.keys().next().value!);
    }
    this.scopeCache.set(name, { key, expires: this.now() + this.ttl });
  }

  private forget(keyIds: readonly string[]): void {
    const gone = new Set(keyIds);
    for (const keyId of gone) this.keyCache.delete(keyId);
    for (const [name, entry] of this.scopeCache) {
      if (gone.has(entry.key.keyId)) this.scopeCache.delete(name);
    }
  }
}

function checkPeriod(retention: RetentionClass, year: number): void {
  if (!RETENTION_CLASSES.includes(retention)) {
    throw new Error(`Unknown retention class '${String(retention)}'`);
  }
  if (!Number.isInteger(year) || year < 1 || year > 9999) {
    throw new Error('A retention year is an integer from 1 to 9999');
  }
}

function checkDestruction(reason: DestructionReason, correlationId: string): void {
  if (!['erased', 'redacted', 'expired'].includes(reason)) {
    throw new Error(`Unknown destruction reason '${String(reason)}'`);
  }
  if (typeof correlationId !== 'string' || correlationId.trim() === '') {
    throw new Error('A destruction names the correlation id of what caused it');
  }
}

/** One row of the chunk insert, its parameters from `$<at + 1>` on. */
function chunkValues(at: number): string {
  return `($${at + 1}::uuid, $${at + 2}::integer, $${at + 3}::bytea, $${at + 4}::text, $${at + 5}::bytea)`;
}

/** The additional data a chunk's keys are sealed with: they open in their own chunk only. */
function chunkBinding(chunkId: string): Buffer {
  return Buffer.from(`samverkan.record-key-chunk.v1:${chunkId}`, 'utf8');
}

/** bytea as read: a Buffer from pg, a Uint8Array from PGlite; never copied. */
function bufferOf(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Sorts a key id into a key of its own (a UUID) or a slot of a chunk. */
function addKeyId(keyId: string, plain: string[], chunks: Map<string, Set<number>>): void {
  const chunk = CHUNK_KEY_ID.exec(keyId);
  if (!chunk) {
    plain.push(keyId);
    return;
  }
  const slots = chunks.get(chunk[1]!);
  if (slots) slots.add(Number(chunk[2]));
  else chunks.set(chunk[1]!, new Set([Number(chunk[2])]));
}
