import { createHmac, randomBytes } from 'node:crypto';
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
import type { MasterKeyRing } from './master-keys';

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
];

export interface SqlDataKeysOptions {
  readonly masterKeys: MasterKeyRing;
  /** Record keys made per round trip (default 64). */
  readonly poolBatch?: number;
  /**
   * How long an unwrapped key may be reused from memory, in ms. 0 (the default) reads the
   * database every time. A destroy in this process evicts at once; a destroy in another
   * process is seen here only once the entry expires (see docs/protection-notes.md).
   */
  readonly cacheTtlMs?: number;
  /** Milliseconds now, for the cache (tests control it). */
  readonly now?: () => number;
}

const DIGEST_KEY = 'subject-ref';
const KEY_BYTES = 32;
const CACHE_LIMIT = 10_000;
const SCOPED_KEY_ATTEMPTS = 5;
const REWRAP_BATCH = 500;

interface KeyRow {
  key_id: string;
  wrapped_key: Uint8Array | null;
  master_key_id: string | null;
  destroyed_reason: DestructionReason | null;
  destroyed_at: Date | string | null;
}

/**
 * The data keys in schema `protection` of the log's database (server or embedded), migrated
 * like the log. Record keys are made ahead in batches: the wrapped keys are committed before
 * any is handed out, so an event never refers to a key that is not stored.
 *
 * Pool keys are not marked when handed out (that would cost the append a round trip). The ones
 * never handed out are deleted at close; a crash leaves at most one batch behind. Such a key
 * encrypts nothing, so it reveals nothing and breaks nothing: it is only a row, and telling it
 * from a used one takes a scan of the log (`keyIdsOf` over every event).
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
    this.batch = options.poolBatch ?? 64;
    this.ttl = options.cacheTtlMs ?? 0;
    this.now = options.now ?? Date.now;
    if (!Number.isInteger(this.batch) || this.batch < 1 || this.batch > 10_000) {
      throw new Error('poolBatch must be an integer from 1 to 10000');
    }
  }

  async start(): Promise<void> {
    await this.digestKey();
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
    for (const key of taken) this.remember(key.keyId, { state: 'live', key: key.key });
    return taken;
  }

  /** Joins the refill under way, or starts one. */
  private refill(atLeast: number): Promise<void> {
    if (!this.refilling) {
      // Cleared in a later tick, so a batch that fails at once does not stay the one under way.
      this.refilling = this.makeBatch(atLeast).finally(() => {
        this.refilling = undefined;
      });
    }
    return this.refilling;
  }

  /** One batch (or `atLeast` keys, if more) made, wrapped and stored in one statement. */
  private async makeBatch(atLeast: number): Promise<void> {
    const keys = Array.from({ length: Math.max(this.batch, atLeast) }, () => ({
      keyId: uuidv7(),
      key: randomBytesFromPool(KEY_BYTES),
    }));
    const wrapped = keys.map((k) => this.options.masterKeys.wrap(k.keyId, k.key));
    await this.client.query(
      `insert into protection.data_keys (key_id, kind, wrapped_key, master_key_id)
       select id, 'record', decode(w, 'hex'), $3
         from unnest($1::uuid[], $2::text[]) as t (id, w)`,
      [
        keys.map((k) => k.keyId),
        wrapped.map((w) => w.wrapped.toString('hex')),
        this.options.masterKeys.currentId,
      ],
      'protection_record_keys',
    );
    // Handed out only once committed: an event must never name a key that is not stored.
    this.pool.push(...keys);
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
    const wanted: string[] = [];
    for (const keyId of new Set(keyIds)) {
      const cached = this.cachedKey(keyId);
      if (cached) found.set(keyId, cached);
      else wanted.push(keyId);
    }
    if (wanted.length === 0) return found;
    const rows = await this.client.query<KeyRow>(
      `select key_id, wrapped_key, master_key_id, destroyed_reason, destroyed_at
         from protection.data_keys where key_id = any($1::uuid[])`,
      [wanted],
      'protection_load_keys',
    );
    for (const row of rows) {
      const state = this.stateOf(row);
      found.set(row.key_id, state);
      this.remember(row.key_id, state);
    }
    const missing = wanted.filter((id) => !found.has(id));
    if (missing.length > 0) throw new DataKeyMissingError(missing);
    return found;
  }

  async destroy(
    keyIds: readonly string[],
    reason: DestructionReason,
    correlationId: string,
  ): Promise<number> {
    checkDestruction(reason, correlationId);
    await this.digestKey();
    if (keyIds.length === 0) return 0;
    const rows = await this.client.query<{ key_id: string }>(
      `update protection.data_keys
          set wrapped_key = null, master_key_id = null, destroyed_at = now(),
              destroyed_reason = $2, destroyed_by = $3
        where key_id = any($1::uuid[]) and destroyed_at is null
        returning key_id`,
      [[...new Set(keyIds)], reason, correlationId],
    );
    // Evicted even if another process destroyed them first: this one must stop using them.
    this.forget(keyIds);
    return rows.length;
  }

  async destroySubject(subjectRef: string, correlationId: string): Promise<number> {
    checkDestruction('erased', correlationId);
    const digest = this.subjectDigest(subjectRef, await this.digestKey());
    const rows = await this.client.query<{ key_id: string }>(
      `update protection.data_keys
          set wrapped_key = null, master_key_id = null, destroyed_at = now(),
              destroyed_reason = 'erased', destroyed_by = $2
        where kind = 'subject' and scope = $1 and destroyed_at is null
        returning key_id`,
      [digest, correlationId],
    );
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
    const rows = await this.client.query<{ key_id: string; scope: string }>(
      `update protection.data_keys
          set wrapped_key = null, master_key_id = null, destroyed_at = now(),
              destroyed_reason = 'expired', destroyed_by = $3
        where kind = 'period' and destroyed_at is null
          and split_part(scope, ':', 1) = $1 and split_part(scope, ':', 2)::integer < $2
        returning key_id, scope`,
      [retention, year, correlationId],
    );
    this.forget(rows.map((r) => r.key_id));
    return rows
      .map((r) => ({ keyId: r.key_id, retention, year: Number(r.scope.split(':')[1]) }))
      .sort((a, b) => a.year - b.year);
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
      if (rows.length === 0) return count;
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
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.refilling?.catch(() => undefined);
    const unused = this.pool.splice(0).map((k) => k.keyId);
    this.keyCache.clear();
    this.scopeCache.clear();
    if (unused.length === 0 || !this.started) return;
    await this.client.query(
      `delete from protection.data_keys where kind = 'record' and key_id = any($1::uuid[])`,
      [unused],
    );
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
