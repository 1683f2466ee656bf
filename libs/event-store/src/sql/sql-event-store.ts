import { randomIds, type IdSource } from '@samverkan/shared/ids';
import { systemClock, type Clock } from '@samverkan/shared/clock';
import {
  checkReadAll,
  checkReadStream,
  checkStreamRevisionRead,
  checkSubscribe,
  prepareAppend,
  type PreparedAppend,
} from '../append-input';
import {
  ConcurrencyError,
  EventIdReusedError,
  EventStoreUnavailableError,
} from '../event-store.errors';
import type {
  AppendOptions,
  AppendResult,
  EventFilter,
  EventStore,
  EventStoreStatus,
  EventSubscription,
  ExpectedRevision,
  JsonObject,
  NewEvent,
  PersonalDataForm,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
} from '../event-store.port';
import { CatchUpSubscription } from '../catch-up-subscription';
import { Upcasters, type Upcaster } from '../upcasting';
import type { ChangeSignal } from './change-signal';
import { APPEND_STATEMENTS, appendStatementName, type AppendExpectation } from './append-statement';
import { EVENT_STORE_SCHEMA, eventStoreMigrations } from './event-store-migrations';
import { GlobalWatermark } from './global-watermark';
import { GENESIS, linkOf } from '../tamper-evidence/chain';
import { migrate } from './migration-runner';
import { sqlState, type SqlClient } from './sql-client';
import type { DataKeys } from '../protection/data-keys.port';
import { sealedAsText, type FieldProtection } from '../protection/field-protection';
import {
  encryptExistingLog,
  FIELDS_ENCRYPTED_UPGRADE,
  type EncryptionUpgradeReport,
} from '../protection/encrypt-existing-log';

/** Who the log's own upgrades are appended as. */
const UPGRADE_ACTOR = { userId: 'system:log-upgrade', agency: 'municipality', role: 'operator' };

export interface SqlEventStoreOptions {
  readonly adapter: 'postgres' | 'embedded';
  readonly client: SqlClient;
  readonly signal: ChangeSignal;
  readonly upcasters?: readonly Upcaster[];
  readonly clock?: Clock;
  readonly ids?: IdSource;
  /** How long an idle subscriber waits for a wake-up before it looks anyway. */
  readonly idlePollMs?: number;
  readonly describe?: () => Record<string, string | number | boolean>;
  /** The database is one session (PGlite): no transaction can be open while this one reads. */
  readonly singleSession?: boolean;
  readonly onClose?: () => Promise<void>;
  /**
   * A connection as the log's owner: migrations run over it, the application's role (that of
   * `client`) is granted reading and inserting events and nothing more, and it is closed.
   */
  readonly owner?: SqlClient;
  /**
   * Encryption of personal fields (crypto-shredding): encrypted as they are appended, revealed
   * page by page as they are read. Its key store lives beside the log and starts and closes
   * with the store.
   */
  readonly protection?: { readonly fields: FieldProtection; readonly keys: DataKeys };
}

const DEFAULT_PAGE_SIZE = 500;
const MAX_KNOWN_LINKS = 10_000;
const UNIQUE_VIOLATION = '23505';
const APPEND_KEYS = new Set(['events_event_id_key', 'events_stream_revision_key']);
const MAX_OPEN_APPEND_ATTEMPTS = 1000;
/** How long $all reads wait for this store's own appends to become final before answering. */
const OWN_WRITES_WAIT_MS = 2_000;

interface EventRow {
  global_position: string | number;
  event_id: string;
  stream_id: string;
  revision: string | number;
  type: string;
  schema_version: number;
  data: JsonObject;
  occurred_at: Date;
  recorded_at: Date;
  actor_user_id: string;
  actor_agency: string;
  actor_role: string;
  correlation_id: string;
  causation_id: string | null;
  link: Buffer | Uint8Array;
}

interface InsertedRow {
  global_position: string | number;
  /** Absent where the writer named the base revision (exact, no_stream). */
  revision?: string | number;
}

const EVENT_COLUMNS = `global_position, event_id, stream_id, revision, type, schema_version, data,
  occurred_at, recorded_at, actor_user_id, actor_agency, actor_role, correlation_id, causation_id,
  link`;

/**
 * The event store on PostgreSQL's SQL, shared by the server adapter (`pg`) and the embedded one
 * (PGlite): the same schema, the same append function, the same read rules.
 */
export class SqlEventStore implements EventStore {
  private readonly client: SqlClient;
  private readonly signal: ChangeSignal;
  private readonly upcasters: Upcasters;
  private readonly clock: Clock;
  private readonly ids: IdSource;
  private readonly idlePollMs: number;
  private readonly watermark = new GlobalWatermark();
  private readonly subscriptions = new Set<SqlSubscription>();
  private schemaVersion = 0;
  /** Whether this store's role could update, delete or truncate events (checked at start). */
  private eventsEditable = true;
  /** The last link of recently read or appended streams (see chain). */
  private readonly lastLinks = new Map<string, { revision: number; link: Buffer }>();
  /** The highest position this store appended: $all reads wait until it is final. */
  private ownHead = 0;
  private state: 'new' | 'started' | 'closed' = 'new';

  constructor(private readonly options: SqlEventStoreOptions) {
    this.client = options.client;
    this.signal = options.signal;
    this.upcasters = new Upcasters(options.upcasters);
    this.clock = options.clock ?? systemClock;
    this.ids = options.ids ?? randomIds;
    this.idlePollMs = options.idlePollMs ?? 1000;
  }

  /**
   * The database connection, for stores that live beside the log in the same database (the
   * idempotency keys of commands). Only code inside libs/event-store reaches it.
   */
  get sqlClient(): SqlClient {
    return this.client;
  }

  /** Whether this store's role could update, delete or truncate events (known once started). */
  get eventsMayBeEdited(): boolean {
    return this.eventsEditable;
  }

  /** The encryption of personal fields and its key store, where configured. */
  get protection(): SqlEventStoreOptions['protection'] {
    return this.options.protection;
  }

  async start(): Promise<void> {
    if (this.state === 'started') return;
    if (this.state === 'closed') throw new EventStoreUnavailableError('The event store is closed');
    const owner = this.options.owner;
    let upgraded: EncryptionUpgradeReport | undefined;
    try {
      const report = await migrate(owner ?? this.client, EVENT_STORE_SCHEMA, eventStoreMigrations);
      this.schemaVersion = report.schemaVersion;
      if (owner) {
        const [me] = await this.client.query<{ role: string }>('select current_user as role');
        await owner.execScript(applicationGrants(me!.role));
      }
      const [rights] = await this.client.query<{ editable: boolean }>(
        `select has_table_privilege('event_store.events', 'UPDATE')
             or has_table_privilege('event_store.events', 'DELETE')
             or has_table_privilege('event_store.events', 'TRUNCATE') as editable`,
      );
      this.eventsEditable = rights?.editable ?? true;
      await this.options.protection?.keys.start();
      upgraded = await this.encryptExistingFields(owner);
    } finally {
      await owner?.close();
    }
    this.state = 'started';
    if (upgraded && upgraded.eventsEncrypted > 0) {
      // Recorded in the log too, where the audit trail shows it.
      await this.append(
        'log-upgrades',
        [{ type: 'LogPersonalFieldsEncrypted', data: { ...upgraded } }],
        { expectedRevision: 'any', actor: UPGRADE_ACTOR },
      );
    }
  }

  /**
   * The one-time encryption of personal fields stored before they were encrypted (see
   * encrypt-existing-log.ts): needs a role that may update events, the owner's; without one, a
   * log that still needs it stops start-up with what to do.
   */
  private async encryptExistingFields(
    owner: SqlClient | undefined,
  ): Promise<EncryptionUpgradeReport | undefined> {
    const fields = this.options.protection?.fields;
    if (!fields) return undefined;
    const [done] = await this.client.query<{ name: string }>(
      'select name from event_store.upgrades where name = $1',
      [FIELDS_ENCRYPTED_UPGRADE],
    );
    if (done) return undefined;
    const editor = owner ?? (this.eventsEditable ? this.client : undefined);
    if (!editor) {
      throw new EventStoreUnavailableError(
        'The log holds events stored before their personal fields were encrypted. Start once with DATABASE_OWNER_URL set (the owner encrypts them and relinks their streams), then as before.',
      );
    }
    if (this.options.singleSession) return encryptExistingLog(editor, fields, false);
    return editor.transaction((tx) => encryptExistingLog(tx, fields));
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const prepared = prepareAppend(streamId, events, options, this.ids, this.clock);
    this.assertStarted();
    const append = await this.protect(prepared, events);
    const recordedAt = this.clock.now();
    const chained = await this.chain(append, recordedAt);
    const one = append.events.length === 1 ? append.events[0]! : undefined;
    const params = [
      append.streamId,
      typeof append.expectedRevision === 'number' ? append.expectedRevision : null,
      ...(one
        ? [one.eventId, one.type, one.schemaVersion, one.json, one.occurredAt.toISOString()]
        : [
            arrayLiteral(append.events.map((e) => e.eventId)),
            quotedArrayLiteral(append.events.map((e) => e.type)),
            arrayLiteral(append.events.map((e) => e.schemaVersion)),
            `[${append.events.map((e) => e.json).join(',')}]`,
            arrayLiteral(isoTimes(append.events)),
          ]),
      append.actor.userId,
      append.actor.agency,
      append.actor.role,
      append.correlationId,
      append.causationId,
      recordedAt.toISOString(),
      chained === undefined ? null : one ? chained[0]! : Buffer.concat(chained),
    ];
    const name = appendStatementName(expectationOf(append.expectedRevision), !one);
    const sql = APPEND_STATEMENTS.get(name)!;
    for (let attempt = 1; ; attempt++) {
      let rows: InsertedRow[];
      try {
        rows = await this.client.query<InsertedRow>(sql, params, name);
      } catch (error) {
        const { code, constraint } = sqlState(error);
        if (code !== UNIQUE_VIOLATION || !APPEND_KEYS.has(constraint ?? '')) throw error;
        const earlier = await this.earlierAppend(append);
        if (earlier) return earlier;
        // Another writer took the next revision first. With 'any' or 'stream_exists' that is
        // no conflict: read the new last revision and go again. Each round one writer wins,
        // so this ends; the bound only guards against a bug.
        const open =
          append.expectedRevision === 'any' || append.expectedRevision === 'stream_exists';
        if (
          constraint === 'events_stream_revision_key' &&
          open &&
          attempt < MAX_OPEN_APPEND_ATTEMPTS
        )
          continue;
        throw new ConcurrencyError(
          append.streamId,
          append.expectedRevision,
          await this.streamRevision(append.streamId),
        );
      }
      if (rows.length === 0) {
        // The expected revision (or stream_exists) did not hold: the stream is behind it.
        const earlier = await this.earlierAppend(append);
        if (earlier) return earlier;
        throw new ConcurrencyError(
          append.streamId,
          append.expectedRevision,
          await this.streamRevision(append.streamId),
        );
      }
      this.signal.appended();
      const result = toAppendResult(append, rows);
      if (chained)
        this.knowLink(append.streamId, result.streamRevision, chained[chained.length - 1]!);
      else this.lastLinks.delete(append.streamId);
      if (result.globalPosition > this.ownHead) this.ownHead = result.globalPosition;
      return result;
    }
  }

  /**
   * The append with its events' personal fields encrypted, once per append (not per retry of
   * the insert). An event with nothing to protect keeps the JSON prepareAppend made.
   */
  private async protect(
    append: PreparedAppend,
    events: readonly NewEvent[],
  ): Promise<PreparedAppend> {
    const protection = this.options.protection;
    if (!protection) return append;
    const data = await protection.fields.protect(
      append.events.map((e, i) => ({
        eventId: e.eventId,
        type: e.type,
        occurredAt: e.occurredAt,
        data: events[i]!.data,
        streamId: append.streamId,
      })),
    );
    return {
      ...append,
      // Not spread: that would make the plain JSON (a getter) only to replace it.
      events: append.events.map((e, i) =>
        data[i] === events[i]!.data
          ? e
          : {
              eventId: e.eventId,
              type: e.type,
              schemaVersion: e.schemaVersion,
              occurredAt: e.occurredAt,
              json: JSON.stringify(data[i]),
            },
      ),
    };
  }

  /** A page of rows as events: personal fields revealed or sealed, then upcast. */
  private async recordedPage(
    rows: readonly EventRow[],
    form: PersonalDataForm | undefined,
  ): Promise<RecordedEvent[]> {
    const fields = this.options.protection?.fields;
    if (!fields) return rows.map((r) => this.toRecorded(r, r.data));
    // Before upcasting: a ciphertext is bound to the path it was stored at.
    const data =
      form === 'sealed'
        ? rows.map((r) => sealedAsText(r.event_id, r.data))
        : await fields.reveal(rows.map((r) => ({ eventId: r.event_id, data: r.data })));
    return rows.map((r, i) => this.toRecorded(r, data[i]!));
  }

  /**
   * The events' links, computed here when the link before them is known: a new stream's, or
   * the stream's last one, remembered from a read or an append of this store or asked for in
   * one indexed read. Undefined where the base revision is not known ('any'): the insert
   * trigger links those. A link once written never changes, so a remembered one cannot be
   * stale; a wrong guess of the base only fails the append as a conflict, as it would anyway.
   */
  private async chain(append: PreparedAppend, recordedAt: Date): Promise<Buffer[] | undefined> {
    const expected = append.expectedRevision;
    let previous: Buffer;
    if (expected === 'no_stream') previous = GENESIS;
    else if (typeof expected === 'number') {
      const known = this.lastLinks.get(append.streamId);
      if (known?.revision === expected) previous = known.link;
      else {
        const [row] = await this.client.query<{ link: Buffer | Uint8Array }>(
          'select link from event_store.events where stream_id = $1 and revision = $2',
          [append.streamId, expected],
          'event_store_link_at',
        );
        if (!row) return undefined;
        previous = Buffer.from(row.link);
      }
    } else return undefined;
    const base = typeof expected === 'number' ? expected : -1;
    const recordedMicros = epochMicros(recordedAt);
    const links: Buffer[] = [];
    append.events.forEach((e, i) => {
      previous = linkOf(previous, {
        streamId: append.streamId,
        revision: String(base + 1 + i),
        eventId: e.eventId,
        type: e.type,
        schemaVersion: String(e.schemaVersion),
        occurredAtMicros: epochMicros(e.occurredAt),
        recordedAtMicros: recordedMicros,
        actorUserId: append.actor.userId,
        actorAgency: append.actor.agency,
        actorRole: append.actor.role,
        correlationId: append.correlationId,
        causationId: append.causationId,
        data: e.json,
      });
      links.push(previous);
    });
    return links;
  }

  /** Remembers a stream's last link, for its next append; a bounded number of streams. */
  private knowLink(streamId: string, revision: number, link: Buffer): void {
    const known = this.lastLinks.get(streamId);
    if (known && known.revision >= revision) return;
    this.lastLinks.delete(streamId);
    this.lastLinks.set(streamId, { revision, link });
    if (this.lastLinks.size > MAX_KNOWN_LINKS) {
      this.lastLinks.delete(this.lastLinks.keys().next().value!);
    }
  }

  /**
   * The result of an earlier append of these same events, if there was one (a retry); throws
   * if some of the event ids are stored but not as this append's events.
   */
  private async earlierAppend(append: PreparedAppend): Promise<AppendResult | undefined> {
    const ids = append.events.map((e) => e.eventId);
    const rows = await this.client.query<{
      event_id: string;
      stream_id: string;
      type: string;
      revision: string | number;
      global_position: string | number;
    }>(
      `select event_id, stream_id, type, revision, global_position from event_store.events
        where event_id = any($1::uuid[])`,
      [ids],
    );
    if (rows.length === 0) return undefined;
    const byId = new Map(rows.map((r) => [r.event_id, r]));
    // A retry sends the same events: each id stored, in this stream, with the same type.
    const misfits = append.events
      .filter((e) => {
        const stored = byId.get(e.eventId);
        return stored?.stream_id !== append.streamId || stored.type !== e.type;
      })
      .map((e) => e.eventId);
    if (misfits.length > 0) throw new EventIdReusedError(append.streamId, misfits);
    // Answer per id, whatever order the retry sends them in.
    const events = append.events.map((e) => {
      const stored = byId.get(e.eventId)!;
      return {
        eventId: e.eventId,
        revision: toNumber(stored.revision),
        globalPosition: toNumber(stored.global_position),
      };
    });
    return appendResult(append.streamId, events, true);
  }

  async *readStream(
    streamId: string,
    options: ReadStreamOptions = {},
  ): AsyncIterable<RecordedEvent> {
    checkReadStream(streamId, options);
    this.assertStarted();

    const backwards = options.direction === 'backwards';
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    let remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    // Keyset paging on (stream_id, revision): each page is one indexed range read, and only one
    // page is held at a time however long the stream is.
    let next = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    while (remaining > 0) {
      const limit = Math.min(pageSize, remaining);
      const rows = await this.client.query<EventRow>(
        backwards
          ? `select ${EVENT_COLUMNS} from event_store.events
              where stream_id = $1 and revision <= $2 order by revision desc limit $3`
          : `select ${EVENT_COLUMNS} from event_store.events
              where stream_id = $1 and revision >= $2 order by revision limit $3`,
        [streamId, next, limit],
        backwards ? 'event_store_read_stream_backwards' : 'event_store_read_stream',
      );
      const newest = backwards ? rows[0] : rows[rows.length - 1];
      if (newest) this.knowLink(streamId, toNumber(newest.revision), Buffer.from(newest.link));
      for (const event of await this.recordedPage(rows, options.personalData)) yield event;
      if (rows.length < limit) return;
      remaining -= rows.length;
      const last = toNumber(rows[rows.length - 1]!.revision);
      next = backwards ? last - 1 : last + 1;
      if (next < 0) return;
    }
  }

  async streamRevision(streamId: string): Promise<number | null> {
    checkStreamRevisionRead(streamId);
    this.assertStarted();
    const [row] = await this.client.query<{ revision: string | number | null }>(
      'select max(revision) as revision from event_store.events where stream_id = $1',
      [streamId],
      'event_store_stream_revision',
    );
    return row?.revision == null ? null : toNumber(row.revision);
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    checkReadAll(options);
    this.assertStarted();

    const head = await this.headCoveringOwnWrites();
    let after = options.after ?? 0;
    let remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    while (remaining > 0 && after < head) {
      const page = await this.readPage(
        after,
        head,
        Math.min(pageSize, remaining),
        options.filter,
        options.personalData,
      );
      for (const event of page.events) yield event;
      remaining -= page.events.length;
      after = page.through;
    }
  }

  subscribe(options: SubscribeOptions = {}): EventSubscription {
    checkSubscribe(options);
    this.assertStarted();
    const subscription = new SqlSubscription(this, options, () =>
      this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async status(): Promise<EventStoreStatus> {
    const ready = this.state === 'started';
    let headPosition = 0;
    if (ready) headPosition = await this.headCoveringOwnWrites();
    return {
      adapter: this.options.adapter,
      ready,
      headPosition,
      schemaVersion: this.schemaVersion,
      detail: {
        subscriptions: this.subscriptions.size,
        eventsEditable: this.eventsEditable,
        ...(this.options.describe?.() ?? {}),
      },
    };
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.signal.close();
    await this.options.protection?.keys.close();
    await this.client.close();
    await this.options.onClose?.();
  }

  // ---- used by subscriptions ----

  /**
   * Read-your-writes for $all: the final position, waiting (briefly) until it covers what this
   * store itself appended. A transaction opened elsewhere before such an append, and still open,
   * holds finality back; showing the append before that one ends could leave a gap below it.
   */
  async headCoveringOwnWrites(): Promise<number> {
    let final = await this.finalPosition();
    const deadline = Date.now() + OWN_WRITES_WAIT_MS;
    for (
      let pause = 1;
      final < this.ownHead && Date.now() < deadline;
      pause = Math.min(pause * 2, 25)
    ) {
      await new Promise((r) => setTimeout(r, pause));
      final = await this.finalPosition();
    }
    return final;
  }

  /**
   * Asks the database how far the log is final and returns it. A reading proves an earlier
   * one final, never itself, so a quiet log needs a second reading to show its last events.
   */
  async finalPosition(): Promise<number> {
    if (this.options.singleSession) {
      // One session runs one transaction at a time: whatever is drawn and visible is final,
      // and there is no other writer to wait for. (Taking an xid per reading would only
      // burn xids in a database that runs no autovacuum.)
      const [row] = await this.client.query<{ last_drawn: string | number }>(
        'select case when is_called then last_value else 0 end as last_drawn from event_store.global_position_seq',
      );
      return toNumber(row?.last_drawn ?? 0);
    }
    await this.readWatermark();
    if (this.watermark.pending) await this.readWatermark();
    return this.watermark.finalPosition;
  }

  private async readWatermark(): Promise<void> {
    const [row] = await this.client.query<{
      last_drawn: string | number;
      reader_xid: string;
      snapshot_xmin: string;
    }>(
      'select last_drawn, reader_xid::text, snapshot_xmin::text from event_store.read_watermark()',
      [],
      'event_store_read_watermark',
    );
    if (!row) throw new Error('read_watermark returned no row');
    this.watermark.observe({
      lastDrawn: toNumber(row.last_drawn),
      readerXid: BigInt(row.reader_xid),
      xmin: BigInt(row.snapshot_xmin),
    });
  }

  /** Whether positions were drawn that are not yet known to be final (a commit is under way). */
  get finalityPending(): boolean {
    return this.watermark.pending;
  }

  /**
   * Reads up to `limit` matching events in (after, upTo]. `through` is the position the reader
   * may continue after: the last event read, or `upTo` when the range held no more matches.
   */
  async readPage(
    after: number,
    upTo: number,
    limit: number,
    filter: EventFilter | undefined,
    form?: PersonalDataForm,
  ): Promise<{ events: RecordedEvent[]; through: number }> {
    const rows = await this.client.query<EventRow>(
      `select ${EVENT_COLUMNS} from event_store.events
        where global_position > $1 and global_position <= $2
          and ($3::text[] is null or type = any($3::text[]))
          and ($4::text is null or starts_with(stream_id, $4::text))
        order by global_position limit $5`,
      [after, upTo, filter?.types ? [...filter.types] : null, filter?.streamPrefix ?? null, limit],
      'event_store_read_all',
    );
    const events = await this.recordedPage(rows, form);
    const through = rows.length < limit ? upTo : events[events.length - 1]!.globalPosition;
    return { events, through };
  }

  waitForChange(timeoutMs: number, abort: AbortSignal): Promise<void> {
    return this.signal.wait(Math.min(timeoutMs, this.idlePollMs), abort);
  }

  get isOpen(): boolean {
    return this.state === 'started';
  }

  private assertStarted(): void {
    if (this.state !== 'started') {
      throw new EventStoreUnavailableError(
        this.state === 'new'
          ? 'The event store is not started: call start() first'
          : 'The event store is closed',
      );
    }
  }

  private toRecorded(row: EventRow, data: JsonObject): RecordedEvent {
    return this.upcasters.apply({
      eventId: row.event_id,
      type: row.type,
      schemaVersion: Number(row.schema_version),
      streamId: row.stream_id,
      revision: toNumber(row.revision),
      globalPosition: toNumber(row.global_position),
      occurredAt: row.occurred_at,
      recordedAt: row.recorded_at,
      actor: { userId: row.actor_user_id, agency: row.actor_agency, role: row.actor_role },
      correlationId: row.correlation_id,
      causationId: row.causation_id,
      data,
    });
  }
}

/**
 * Catch-up, then live. Each step reads at most one page, bounded by the final position, so
 * events come in strictly increasing global position and none is passed while a transaction
 * that holds a lower position is still open.
 */
class SqlSubscription extends CatchUpSubscription {
  private readonly abort = new AbortController();
  private inFlight: Promise<unknown> | undefined;

  constructor(
    private readonly store: SqlEventStore,
    private readonly options: SubscribeOptions,
    private readonly onClose: () => void,
  ) {
    super(options.after);
  }

  protected async *follow(): AsyncGenerator<RecordedEvent> {
    const pageSize = this.options.pageSize ?? DEFAULT_PAGE_SIZE;
    try {
      // 'end' is after everything this process appended so far, at least.
      let final = await this.track(
        this.position === undefined
          ? this.store.headCoveringOwnWrites()
          : this.store.finalPosition(),
      );
      this.position ??= final;
      let backoffMs = 1;
      while (!this.closed && this.store.isOpen) {
        const from: number = this.position;
        if (from < final) {
          const page: { events: RecordedEvent[]; through: number } = await this.track(
            this.store.readPage(
              from,
              final,
              pageSize,
              this.options.filter,
              this.options.personalData,
            ),
          );
          for (const event of page.events) {
            if (this.closed) return;
            this.position = event.globalPosition;
            yield event;
          }
          this.position = page.through;
          continue;
        }
        // Caught up. If a commit is under way below the drawn positions, look again soon
        // (backing off); otherwise sleep until an append wakes us or the idle poll comes round.
        if (this.store.finalityPending) {
          await this.store.waitForChange(backoffMs, this.abort.signal);
          backoffMs = Math.min(backoffMs * 2, 50);
        } else {
          backoffMs = 1;
          await this.store.waitForChange(Number.MAX_SAFE_INTEGER, this.abort.signal);
        }
        if (this.closed || !this.store.isOpen) return;
        final = await this.track(this.store.finalPosition());
      }
    } catch (error) {
      // Closing the subscription or the store while a query is under way ends the iteration;
      // the query's failure (its pool is gone) is no news to the consumer.
      if (this.closed || !this.store.isOpen) return;
      throw error;
    } finally {
      this.closed = true;
      this.onClose();
    }
  }

  /**
   * Ends the iteration. Resolves once no query of this subscription is under way, so that the
   * store can end its connections without cutting one off.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    this.onClose();
    await this.inFlight?.catch(() => undefined);
  }

  private track<T>(query: Promise<T>): Promise<T> {
    this.inFlight = query;
    return query;
  }
}

/**
 * What the application's role may do with the log: read and insert events, read and insert
 * sealed blocks; never update, delete or truncate them (the owner keeps those rights, and runs
 * the migrations). Revoked explicitly, in case an operator granted them earlier.
 */
export function applicationGrants(role: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(role)) throw new Error(`Unsafe role name '${role}'`);
  const r = `"${role}"`;
  return `
grant usage on schema event_store to ${r};
grant select, insert on event_store.events, event_store.blocks to ${r};
grant select on event_store.schema_migrations, event_store.upgrades to ${r};
grant usage, select on sequence event_store.global_position_seq to ${r};
revoke update, delete, truncate on event_store.events, event_store.blocks from ${r};
revoke insert, update, delete, truncate on event_store.schema_migrations, event_store.upgrades
  from ${r};
`;
}

/** A time as the chain's text: whole microseconds since 1970 (exact, as BigInt). */
function epochMicros(time: Date): string {
  return (BigInt(time.getTime()) * 1000n).toString();
}

/** ISO texts of the events' times; events of one append usually share one Date. */
/**
 * PostgreSQL array literals, built here rather than by the driver, whose generic serialiser
 * quotes and escapes element by element (about 3% of node's time in appends of 20 events,
 * profiled). Only for elements that need no escaping: UUIDs, integers and ISO times as they are,
 * event types in quotes (their rule allows no quote, backslash or space; quoted, a type named
 * NULL stays text).
 */
function arrayLiteral(values: readonly (string | number)[]): string {
  return `{${values.join(',')}}`;
}

function quotedArrayLiteral(values: readonly string[]): string {
  return `{"${values.join('","')}"}`;
}

function isoTimes(events: PreparedAppend['events']): string[] {
  let last: Date | undefined;
  let text = '';
  return events.map((e) => {
    if (e.occurredAt !== last) {
      last = e.occurredAt;
      text = last.toISOString();
    }
    return text;
  });
}

function expectationOf(expected: ExpectedRevision): AppendExpectation {
  return typeof expected === 'number' ? 'exact' : expected;
}

function toAppendResult(append: PreparedAppend, rows: readonly InsertedRow[]): AppendResult {
  // The rows of one append were inserted in order by one statement: positions rise with
  // revisions, so they pair up when sorted.
  const positions = rows.map((r) => toNumber(r.global_position)).sort((x, y) => x - y);
  const returned = rows.flatMap((r) => (r.revision === undefined ? [] : [toNumber(r.revision)]));
  const first =
    returned.length > 0
      ? Math.min(...returned)
      : (typeof append.expectedRevision === 'number' ? append.expectedRevision : -1) + 1;
  const events = append.events.map((e, i) => ({
    eventId: e.eventId,
    revision: first + i,
    globalPosition: positions[i]!,
  }));
  return appendResult(append.streamId, events, false);
}

function appendResult(
  streamId: string,
  events: AppendResult['events'],
  alreadyAppended: boolean,
): AppendResult {
  const last = events.reduce((a, e) => (e.revision > a.revision ? e : a));
  return {
    streamId,
    streamRevision: last.revision,
    globalPosition: last.globalPosition,
    events,
    alreadyAppended,
  };
}

/** `pg` returns bigint as text (it may exceed 2^53); positions and revisions stay below that. */
function toNumber(value: string | number): number {
  return typeof value === 'number' ? value : Number(value);
}
