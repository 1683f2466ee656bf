/**
 * The event-store port. The domain and the command handlers see only this; configuration picks
 * the adapter (PostgreSQL, embedded PostgreSQL, EventStoreDB). Every adapter passes the one
 * contract suite in `contract/event-store.contract.ts`.
 */

/** A JSON value that survives a round trip through the store unchanged. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Who did it: taken from the authenticated caller, never from a request body. */
export interface Actor {
  readonly userId: string;
  readonly agency: string;
  readonly role: string;
}

/**
 * What the writer believes about the stream. A revision is 0-based: the first event of a stream
 * has revision 0, so `0` means "exactly one event so far".
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface NewEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  /** A UUID. Give it to make the append idempotent; the store makes one otherwise. */
  readonly eventId?: string;
  readonly type: Type;
  /** Version of the data's schema; old versions are upcast on read. Defaults to 1. */
  readonly schemaVersion?: number;
  readonly data: Data;
  /** When it happened in the world. Defaults to the store's clock at append. */
  readonly occurredAt?: Date;
}

export interface AppendOptions {
  readonly expectedRevision: ExpectedRevision;
  readonly actor: Actor;
  /** Ties together everything one request caused. Defaults to a new UUID per append. */
  readonly correlationId?: string;
  /** The event or command that caused these events. */
  readonly causationId?: string;
}

export interface AppendedEvent {
  readonly eventId: string;
  readonly revision: number;
  readonly globalPosition: number;
}

export interface AppendResult {
  readonly streamId: string;
  /** The revision of the stream's last event after the append: the next expected revision. */
  readonly streamRevision: number;
  /** The global position of the last event written by the append. */
  readonly globalPosition: number;
  readonly events: readonly AppendedEvent[];
  /** True when every event id had been appended before: nothing was written this time. */
  readonly alreadyAppended: boolean;
}

/** The full envelope of a stored event (architecture rule 4). */
export interface RecordedEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  readonly eventId: string;
  readonly type: Type;
  readonly schemaVersion: number;
  readonly streamId: string;
  readonly revision: number;
  readonly globalPosition: number;
  readonly occurredAt: Date;
  readonly recordedAt: Date;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly data: Data;
}

/**
 * How personal fields come out of a read: `revealed` (decrypted, or the marker of why their key
 * was destroyed) for whoever answers a person; `sealed` (each encrypted field as the text of its
 * envelope, bound to its event and path) for what stores or forwards data without showing it:
 * the read models, which are revealed when served, and the Kafka relay's claim check.
 */
export type PersonalDataForm = 'revealed' | 'sealed';

export interface ReadStreamOptions {
  /** Default `revealed`. */
  readonly personalData?: PersonalDataForm;
  /** First revision to read (forwards) or last (backwards). */
  readonly fromRevision?: number;
  readonly direction?: 'forwards' | 'backwards';
  readonly maxCount?: number;
  /** Rows fetched per round trip; memory stays bounded by it whatever the stream's length. */
  readonly pageSize?: number;
}

export interface EventFilter {
  /** Only events of these types. */
  readonly types?: readonly string[];
  /** Only events whose stream id starts with this. */
  readonly streamPrefix?: string;
}

export interface ReadAllOptions {
  /** Default `revealed`. */
  readonly personalData?: PersonalDataForm;
  /** Read events after this global position (exclusive). 0 reads from the start. */
  readonly after?: number;
  readonly filter?: EventFilter;
  readonly maxCount?: number;
  readonly pageSize?: number;
}

export interface SubscribeOptions {
  /** Default `revealed`. */
  readonly personalData?: PersonalDataForm;
  /** Deliver events after this global position (exclusive): a saved checkpoint, or 0. */
  readonly after?: number | 'end';
  readonly filter?: EventFilter;
  /** Rows fetched per round trip while catching up. */
  readonly pageSize?: number;
}

/**
 * A catch-up-then-live subscription to the whole log. It is pulled (`for await`), so a slow
 * consumer holds back reading: back-pressure comes from the iteration itself.
 */
export interface EventSubscription extends AsyncIterable<RecordedEvent> {
  /**
   * Every event at or below this position that matches the filter has been yielded. It can run
   * ahead of the last yielded event when the filter skipped events; save it as the checkpoint.
   */
  readonly checkpoint: number;
  /** Ends the iteration; the loop sees the end after the event it is handling. */
  close(): Promise<void>;
}

export interface EventStoreStatus {
  readonly adapter: 'postgres' | 'embedded' | 'eventstoredb';
  readonly ready: boolean;
  /** Highest global position below which every transaction has finished. */
  readonly headPosition: number;
  readonly schemaVersion: number;
  readonly detail: Record<string, string | number | boolean>;
}

export interface EventStore {
  /** Creates or upgrades the schema and opens connections. Safe to call from several processes. */
  start(): Promise<void>;
  append(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** The stream's current revision, or null when it has no events. */
  streamRevision(streamId: string): Promise<number | null>;
  /** Reads the log in global order up to the current head, page by page. */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  subscribe(options?: SubscribeOptions): EventSubscription;
  status(): Promise<EventStoreStatus>;
  close(): Promise<void>;
}

/** Nest injection token for the configured adapter. */
export const EVENT_STORE = Symbol('EventStore');
