import type {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  KurrentDBClient,
  Position,
} from '@kurrent/kurrentdb-client';
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
import { EventIdReusedError, EventStoreUnavailableError } from '../event-store.errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  EventStoreStatus,
  EventSubscription,
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
import type { SqlClient } from '../sql/sql-client';

import type { DataKeys } from '../protection/data-keys.port';
import { sealedAsText, type FieldProtection } from '../protection/field-protection';
import { kurrent } from './kurrent-client';
import {
  allFilterOf,
  eventStoreDbHosts,
  usesTls,
  dataOf,
  expectedStateOf,
  globalPositionOf,
  isAfter,
  metadataOf,
  readFromAfter,
  recordedOf,
  revisionOf,
  serverStreamName,
  storeErrorOf,
  type ServerRecord,
} from './esdb-mapping';

export interface EventStoreDbEventStoreOptions {
  /** `esdb://` or `kurrentdb://` connection string (credentials and TLS options in it). */
  readonly url: string;
  /**
   * The PostgreSQL database beside the log: the keys of personal fields, and (through
   * `sqlClient`) idempotency keys, sign-in, rate limits and the rest that is not the log.
   */
  readonly sql: SqlClient;
  /** Personal fields' encryption with its keys in `sql`; without it fields are stored as given. */
  readonly protection?: { readonly fields: FieldProtection; readonly keys: DataKeys };
  /**
   * A prefix of every stream this store writes and reads, so that several deployments (or
   * test runs: a log cannot be reset) share one server without seeing each other's events.
   */
  readonly namespace?: string;
  readonly upcasters?: readonly Upcaster[];
  readonly clock?: Clock;
  readonly ids?: IdSource;
}

const DEFAULT_PAGE_SIZE = 500;
/**
 * How far back in a stream a retry's event ids are looked for. The server keeps no index by
 * event id: a retry is recognised when its events are among the stream's last this many.
 */
const RETRY_WINDOW = 1_000;

/**
 * The event store on EventStoreDB / KurrentDB (selected by EVENTSTOREDB_URL). The log is the
 * server's; everything else lives in PostgreSQL. What the server cannot keep of the contract
 * is listed in docs/architecture.md (event-store rules).
 */
export class EventStoreDbEventStore implements EventStore {
  private client: KurrentDBClient | undefined;
  private readonly upcasters: Upcasters;
  private readonly clock: Clock;
  private readonly ids: IdSource;
  private readonly namespace: string;
  private readonly subscriptions = new Set<EsdbSubscription>();
  /** Appends that carry the caller's event ids, one at a time per stream (see append). */
  private readonly retryable = new Map<string, Promise<unknown>>();
  private state: 'new' | 'started' | 'closed' = 'new';

  constructor(private readonly options: EventStoreDbEventStoreOptions) {
    this.upcasters = new Upcasters(options.upcasters);
    this.clock = options.clock ?? systemClock;
    this.ids = options.ids ?? randomIds;
    this.namespace = options.namespace ?? '';
  }

  /** The PostgreSQL database beside the log, for the stores that live there. */
  get sqlClient(): SqlClient {
    return this.options.sql;
  }

  get protection(): EventStoreDbEventStoreOptions['protection'] {
    return this.options.protection;
  }

  async start(): Promise<void> {
    if (this.state === 'started') return;
    if (this.state === 'closed') throw new EventStoreUnavailableError('The event store is closed');
    // The client connects lazily; one read proves the server is there before we say ready.
    const client = kurrent().KurrentDBClient.connectionString(clientUrl(this.options.url));
    try {
      await this.options.protection?.keys.start();
      await this.lastPosition(client, false);
    } catch (error) {
      await client.dispose();
      throw storeErrorOf(error);
    }
    this.client = client;
    this.state = 'started';
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const prepared = prepareAppend(streamId, events, options, this.ids, this.clock);
    this.assertStarted();
    if (!events.some((e) => e.eventId !== undefined)) return this.write(prepared, events);
    // The caller's own ids make the append a possible retry. One at a time per stream in this
    // process, so that concurrent retries find each other's events instead of both writing.
    const before = this.retryable.get(prepared.streamId) ?? Promise.resolve();
    const turn = before
      .catch(() => undefined)
      .then(async () => (await this.earlierAppend(prepared)) ?? this.write(prepared, events));
    this.retryable.set(prepared.streamId, turn);
    try {
      return await turn;
    } finally {
      if (this.retryable.get(prepared.streamId) === turn) this.retryable.delete(prepared.streamId);
    }
  }

  private async write(append: PreparedAppend, events: readonly NewEvent[]): Promise<AppendResult> {
    const client = this.connected();
    const data = await this.protect(append, events);
    const stream = serverStreamName(this.namespace, append.streamId);
    let result;
    try {
      result = await client.appendToStream(
        stream,
        append.events.map((e, i) =>
          kurrent().jsonEvent({
            id: e.eventId,
            type: e.type,
            data: data[i]!,
            metadata: metadataOf({
              schemaVersion: e.schemaVersion,
              occurredAt: e.occurredAt,
              actor: append.actor,
              correlationId: append.correlationId,
              causationId: append.causationId,
            }),
          }),
        ),
        { streamState: expectedStateOf(append.expectedRevision) },
      );
    } catch (error) {
      throw storeErrorOf(error, append);
    }
    const last = revisionOf(result.nextExpectedRevision);
    const first = last - append.events.length + 1;
    // The answer names the position of the last event only; the others are read back (one
    // read of this append's own revisions).
    const positions =
      append.events.length === 1 && result.position
        ? [globalPositionOf(result.position)]
        : await this.positionsOf(stream, first, append.events.length);
    return {
      streamId: append.streamId,
      streamRevision: last,
      globalPosition: positions[positions.length - 1]!,
      events: append.events.map((e, i) => ({
        eventId: e.eventId,
        revision: first + i,
        globalPosition: positions[i]!,
      })),
      alreadyAppended: false,
    };
  }

  private async positionsOf(stream: string, first: number, count: number): Promise<number[]> {
    const positions: number[] = [];
    for await (const resolved of this.connected().readStream(stream, {
      fromRevision: BigInt(first),
      maxCount: count,
    })) {
      positions.push(globalPositionOf(resolved.event?.position));
    }
    return positions;
  }

  /**
   * The result of an earlier append of these same events, if the stream's recent events hold
   * them; throws if only some of them are there, or with another type. Ids used in another
   * stream cannot be found: the server has no index by event id (a documented deviation).
   */
  private async earlierAppend(append: PreparedAppend): Promise<AppendResult | undefined> {
    const wanted = new Map(append.events.map((e) => [e.eventId, e]));
    const found = new Map<string, RecordedEvent>();
    let seen = 0;
    for await (const event of this.readStream(append.streamId, {
      direction: 'backwards',
      maxCount: RETRY_WINDOW,
      pageSize: 100,
      personalData: 'sealed',
    })) {
      seen++;
      if (wanted.has(event.eventId)) found.set(event.eventId, event);
      if (found.size === wanted.size || seen >= RETRY_WINDOW) break;
    }
    if (found.size === 0) return undefined;
    const misfits = append.events
      .filter((e) => found.get(e.eventId)?.type !== e.type)
      .map((e) => e.eventId);
    if (misfits.length > 0) throw new EventIdReusedError(append.streamId, misfits);
    const events = append.events.map((e) => {
      const stored = found.get(e.eventId)!;
      return {
        eventId: e.eventId,
        revision: stored.revision,
        globalPosition: stored.globalPosition,
      };
    });
    const last = events.reduce((a, e) => (e.revision > a.revision ? e : a));
    return {
      streamId: append.streamId,
      streamRevision: last.revision,
      globalPosition: last.globalPosition,
      events,
      alreadyAppended: true,
    };
  }

  /** The events' data with personal fields encrypted (keys in PostgreSQL). */
  private async protect(
    append: PreparedAppend,
    events: readonly NewEvent[],
  ): Promise<JsonObject[]> {
    const fields = this.options.protection?.fields;
    if (!fields) return events.map((e) => e.data);
    return fields.protect(
      append.events.map((e, i) => ({
        eventId: e.eventId,
        type: e.type,
        occurredAt: e.occurredAt,
        data: events[i]!.data,
        streamId: append.streamId,
      })),
    );
  }

  /** Server records as the port's events: personal fields revealed or sealed, then upcast. */
  async recordedPage(
    records: readonly ServerRecord[],
    form: PersonalDataForm | undefined,
  ): Promise<RecordedEvent[]> {
    const fields = this.options.protection?.fields;
    const raw = records.map((r) => ({ record: r, data: dataOf(r.isJson, r.data) }));
    // Before upcasting: a ciphertext is bound to the path it was stored at.
    const data = !fields
      ? raw.map((r) => r.data)
      : form === 'sealed'
        ? raw.map((r) => sealedAsText(r.record.id, r.data))
        : await fields.reveal(raw.map((r) => ({ eventId: r.record.id, data: r.data })));
    return raw.map((r, i) => this.upcasters.apply(recordedOf(this.namespace, r.record, data[i])));
  }

  async *readStream(
    streamId: string,
    options: ReadStreamOptions = {},
  ): AsyncIterable<RecordedEvent> {
    checkReadStream(streamId, options);
    const client = this.connected();
    const backwards = options.direction === 'backwards';
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    const stream = serverStreamName(this.namespace, streamId);
    let remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    let next: bigint | 'end' | undefined =
      options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? 'end' : 0n;
    // Page by page, each a read of its own: memory stays bounded by the page, whatever the
    // stream's length.
    while (remaining > 0 && next !== undefined) {
      const limit = Math.min(pageSize, remaining);
      const page: ServerRecord[] = [];
      try {
        for await (const resolved of client.readStream(stream, {
          fromRevision: next,
          maxCount: limit,
          direction: backwards ? 'backwards' : 'forwards',
        })) {
          if (resolved.event) page.push(resolved.event);
        }
      } catch (error) {
        if (isMissingStream(error)) return;
        throw storeErrorOf(error);
      }
      for (const event of await this.recordedPage(page, options.personalData)) yield event;
      if (page.length < limit) return;
      remaining -= page.length;
      const last = page[page.length - 1]!.revision;
      next = backwards ? (last === 0n ? undefined : last - 1n) : last + 1n;
    }
  }

  async streamRevision(streamId: string): Promise<number | null> {
    checkStreamRevisionRead(streamId);
    for await (const event of this.readStream(streamId, {
      direction: 'backwards',
      maxCount: 1,
      personalData: 'sealed',
    })) {
      return event.revision;
    }
    return null;
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    checkReadAll(options);
    const client = this.connected();
    const filter = allFilterOf(this.namespace, options.filter);
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    let after = options.after ?? 0;
    let remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    // Up to the head as it is now, as the other adapters do: a reader of a busy log ends.
    const head = await this.lastPosition(client, true);
    while (remaining > 0 && after < head) {
      // One more than the page: the read starts at `after` itself, which is dropped.
      const limit = Math.min(pageSize, remaining) + 1;
      const page: ServerRecord[] = [];
      let read = 0;
      let through = after;
      try {
        for await (const resolved of client.readAll({
          fromPosition: readFromAfter(after),
          maxCount: limit,
          filter: filter.server,
        })) {
          read++;
          const event = resolved.event;
          if (!event) continue;
          const position = globalPositionOf(event.position);
          if (!isAfter(position, after) || position > head) continue;
          through = position;
          if (filter.accepts(event.streamId, event.type)) page.push(event);
        }
      } catch (error) {
        throw storeErrorOf(error);
      }
      const events = (await this.recordedPage(page, options.personalData)).slice(0, remaining);
      for (const event of events) yield event;
      remaining -= events.length;
      if (read < limit || through === after) return;
      after = through;
    }
  }

  subscribe(options: SubscribeOptions = {}): EventSubscription {
    checkSubscribe(options);
    this.assertStarted();
    const subscription = new EsdbSubscription(this, this.namespace, options, () =>
      this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async status(): Promise<EventStoreStatus> {
    const ready = this.state === 'started';
    const headPosition = ready ? await this.lastPosition(this.connected(), true) : 0;
    return {
      adapter: 'eventstoredb',
      ready,
      headPosition,
      schemaVersion: 0,
      detail: {
        server: eventStoreDbHosts(this.options.url),
        tls: usesTls(this.options.url),
        subscriptions: this.subscriptions.size,
        ...(this.namespace ? { namespace: this.namespace } : {}),
      },
    };
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const wasStarted = this.state === 'started';
    this.state = 'closed';
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.options.protection?.keys.close();
    if (wasStarted) await this.client?.dispose();
    await this.options.sql.close();
  }

  // ---- used by subscriptions ----

  /**
   * The position of the last event in this store's part of the log (0 when it has none), or of
   * the last record of all (system events too) when `mine` is false: the end to start after.
   */
  async lastPosition(client: KurrentDBClient, mine: boolean): Promise<number> {
    const filter = mine ? allFilterOf(this.namespace, undefined) : undefined;
    try {
      for await (const resolved of client.readAll({
        direction: 'backwards',
        fromPosition: 'end',
        maxCount: 1,
        ...(filter ? { filter: filter.server } : {}),
      })) {
        if (resolved.event) return globalPositionOf(resolved.event.position);
      }
    } catch (error) {
      throw storeErrorOf(error);
    }
    return 0;
  }

  /**
   * The position of the last record that ends at or before a filtered subscription's checkpoint
   * (the server sends the position where its next read starts, which a matching event may
   * still hold): everything up to it was considered.
   */
  async positionBefore(checkpoint: Position): Promise<number | undefined> {
    try {
      for await (const resolved of this.connected().readAll({
        direction: 'backwards',
        // Some servers send checkpoints with prepare 0; the log record boundary is the commit.
        fromPosition: { commit: checkpoint.commit, prepare: checkpoint.commit },
        maxCount: 1,
      })) {
        if (resolved.event) return globalPositionOf(resolved.event.position);
      }
    } catch (error) {
      throw storeErrorOf(error);
    }
    return undefined;
  }

  connected(): KurrentDBClient {
    this.assertStarted();
    return this.client!;
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
}

/** A checkpoint the server sent, in the order of the events around it. */
class CheckpointMark {
  constructor(readonly position: Position) {}
}

/**
 * A catch-up-then-live subscription on the server's own push (subscribeToAll with a
 * server-side filter). The client's stream is read as it is pulled, so a slow consumer holds
 * back the gRPC stream (back-pressure through the iteration). The server's checkpoints are
 * pushed into the same stream as the events, so the checkpoint never passes an event the
 * consumer has not taken.
 */
class EsdbSubscription extends CatchUpSubscription {
  private source: AllStreamSubscription | undefined;

  constructor(
    private readonly store: EventStoreDbEventStore,
    private readonly namespace: string,
    private readonly options: SubscribeOptions,
    private readonly onClose: () => void,
  ) {
    super(options.after);
  }

  protected async *follow(): AsyncGenerator<RecordedEvent> {
    try {
      const client = this.store.connected();
      // 'end' is after the last record of the whole log as it is now.
      this.position ??= await this.store.lastPosition(client, false);
      if (this.closed) return;
      const after = this.position;
      const filter = allFilterOf(this.namespace, this.options.filter, (source, position) => {
        // Runs inside the client's transform, after the events before it were pushed.
        source.push(new CheckpointMark(position));
      });
      const source = client.subscribeToAll(
        { fromPosition: readFromAfter(after), filter: filter.server },
        { highWaterMark: this.options.pageSize ?? DEFAULT_PAGE_SIZE },
      );
      this.source = source;
      for await (const item of source as AsyncIterable<AllStreamResolvedEvent | CheckpointMark>) {
        if (this.closed) return;
        if (item instanceof CheckpointMark) {
          const before = await this.store.positionBefore(item.position);
          if (before !== undefined && before > this.checkpoint) this.position = before;
          continue;
        }
        const event = item.event;
        if (!event) continue;
        const position = globalPositionOf(event.position);
        if (!isAfter(position, this.checkpoint)) continue;
        if (!filter.accepts(event.streamId, event.type)) {
          this.position = position;
          continue;
        }
        const [recorded] = await this.store.recordedPage([event], this.options.personalData);
        this.position = position;
        yield recorded!;
      }
    } catch (error) {
      // Closing the subscription or the store ends the iteration; the cancelled stream's
      // error is no news to the consumer.
      if (this.closed || !this.store.isOpen) return;
      throw storeErrorOf(error);
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    const source = this.source;
    if (source) {
      await source.unsubscribe().catch(() => undefined);
      source.destroy();
    }
  }
}

/** The client's protocol name: `esdb://` still works but warns on every connect. */
export function clientUrl(url: string): string {
  return url.replace(/^esdb(\+discover)?:\/\//, (_, discover: string | undefined) =>
    discover ? 'kurrentdb+discover://' : 'kurrentdb://',
  );
}

function isMissingStream(error: unknown): boolean {
  const type = (error as { type?: unknown } | null)?.type;
  return type === 'stream-not-found' || type === 'no-stream';
}
