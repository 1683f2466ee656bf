import type { AppendStreamState, Filter, Position, ReadPosition } from '@kurrent/kurrentdb-client';
import { ConcurrencyError, EventStoreUnavailableError } from '../event-store.errors';
import type {
  Actor,
  EventFilter,
  ExpectedRevision,
  JsonObject,
  JsonValue,
  RecordedEvent,
} from '../event-store.port';

/**
 * The pure half of the EventStoreDB adapter: how the port's envelope, revisions, positions,
 * filters and errors map onto the client's shapes and back. No connection is needed, so all
 * of it is unit tested (esdb-mapping.spec.ts).
 */

/** The connection strings the EventStoreDB / KurrentDB client takes. */
export const EVENTSTOREDB_SCHEMES = /^(esdb|kurrentdb|kurrent|kdb)(\+discover)?:\/\//;

/** The hosts of an EventStoreDB connection string, for logs: no user, password or options. */
export function eventStoreDbHosts(url: string): string {
  const rest = url.replace(EVENTSTOREDB_SCHEMES, '');
  const hosts = rest.slice(rest.lastIndexOf('@', rest.search(/[/?]|$/)) + 1).split(/[/?]/)[0]!;
  return `${url.match(EVENTSTOREDB_SCHEMES)?.[0] ?? ''}${hosts}`;
}

/** Whether the connection string asks for TLS (the client's default is yes). */
export function usesTls(url: string): boolean {
  return !/[?&]tls=false(&|$)/i.test(url);
}

/** Metadata keys of the envelope. `$correlationId`/`$causationId` are the server's own names. */
export const META = {
  correlationId: '$correlationId',
  causationId: '$causationId',
  schemaVersion: 'schemaVersion',
  occurredAt: 'occurredAt',
  actor: 'actor',
} as const;

/** Who wrote an event that carries no Samverkan actor (another tool wrote it). */
export const UNKNOWN_ACTOR: Actor = {
  userId: 'system:unknown',
  agency: 'unknown',
  role: 'unknown',
};

/** The envelope fields an append puts in each event's metadata. */
export interface EnvelopeMetadata {
  readonly schemaVersion: number;
  readonly occurredAt: Date;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string | null;
}

export function metadataOf(envelope: EnvelopeMetadata): JsonObject {
  return {
    [META.correlationId]: envelope.correlationId,
    ...(envelope.causationId === null ? {} : { [META.causationId]: envelope.causationId }),
    [META.schemaVersion]: envelope.schemaVersion,
    [META.occurredAt]: envelope.occurredAt.toISOString(),
    [META.actor]: {
      userId: envelope.actor.userId,
      agency: envelope.actor.agency,
      role: envelope.actor.role,
    },
  };
}

/**
 * The envelope read back from an event's metadata. Events written by other tools may carry no
 * metadata, binary metadata or other fields: each missing or malformed field gets a stated
 * default (schema version 1, occurredAt = recordedAt, the unknown actor, the event id as its
 * own correlation) instead of failing the read of the whole log.
 */
export function envelopeFromMetadata(
  metadata: unknown,
  fallback: { readonly eventId: string; readonly recordedAt: Date },
): EnvelopeMetadata {
  const meta = isObject(metadata) ? metadata : {};
  const version = meta[META.schemaVersion];
  const occurred = meta[META.occurredAt];
  const occurredAt = typeof occurred === 'string' ? new Date(occurred) : undefined;
  const correlation = meta[META.correlationId];
  const causation = meta[META.causationId];
  return {
    schemaVersion:
      typeof version === 'number' && Number.isInteger(version) && version >= 1 ? version : 1,
    occurredAt:
      occurredAt && !Number.isNaN(occurredAt.getTime()) ? occurredAt : fallback.recordedAt,
    actor: actorOf(meta[META.actor]),
    correlationId:
      typeof correlation === 'string' && correlation !== '' ? correlation : fallback.eventId,
    causationId: typeof causation === 'string' && causation !== '' ? causation : null,
  };
}

function actorOf(value: unknown): Actor {
  if (!isObject(value)) return UNKNOWN_ACTOR;
  const { userId, agency, role } = value;
  if (typeof userId !== 'string' || typeof agency !== 'string' || typeof role !== 'string')
    return UNKNOWN_ACTOR;
  return { userId, agency, role };
}

/**
 * An event's data as the port's JSON object. Samverkan writes objects; another tool's JSON
 * array or scalar comes as `{ value }` and binary data as `{ base64 }`, so nothing read is lost.
 */
export function dataOf(isJson: boolean, data: unknown): JsonObject {
  if (!isJson) return { base64: Buffer.from(data as Uint8Array).toString('base64') };
  if (isObject(data)) return data as JsonObject;
  return { value: data as JsonValue };
}

/** The client's expected stream state for the port's expected revision. */
export function expectedStateOf(expected: ExpectedRevision): AppendStreamState {
  switch (expected) {
    // The client's constants are these very strings (ANY, NO_STREAM, STREAM_EXISTS).
    case 'any':
      return 'any';
    case 'no_stream':
      return 'no_stream';
    case 'stream_exists':
      return 'stream_exists';
    default:
      return BigInt(expected);
  }
}

/** A stream revision (bigint on the wire) as the port's number. */
export function revisionOf(revision: bigint): number {
  if (revision < 0n || revision > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`Stream revision ${revision} is outside the port's range`);
  }
  return Number(revision);
}

/**
 * The global position of an event in `$all`: its commit position. Every append through the
 * gRPC API is an implicit transaction whose events each commit at their own log record, so the
 * commit position is unique per event and rises with the log (on a single node and, as the
 * leader writes the log, in a cluster). Events of a legacy explicit transaction (the TCP API,
 * not used here) share one commit position: see docs/architecture.md.
 */
export function globalPositionOf(position: Position | undefined): number {
  if (!position) throw new RangeError('The server gave no $all position for an event');
  const commit = position.commit;
  if (commit < 0n || commit > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`Commit position ${commit} is outside the port's range`);
  }
  return Number(commit);
}

/**
 * Where to start reading `$all` for events after `after`. The server's read position is
 * inclusive, so a reader starts at the event itself and drops it (see isAfter); 0 is the start.
 */
export function readFromAfter(after: number): ReadPosition {
  if (after === 0) return 'start';
  const at = BigInt(after);
  return { commit: at, prepare: at };
}

/** Whether an event at `position` comes after the exclusive bound `after`. */
export function isAfter(position: number, after: number): boolean {
  return position > after;
}

/** Where the port's stream lives on the server: a deployment's namespace, then the id. */
export function serverStreamName(namespace: string, streamId: string): string {
  return `${namespace}${streamId}`;
}

/** The port's stream id of a server stream, or undefined when it is outside the namespace. */
export function portStreamId(namespace: string, streamName: string): string | undefined {
  if (!streamName.startsWith(namespace)) return undefined;
  const id = streamName.slice(namespace.length);
  return id === '' ? undefined : id;
}

/**
 * The server-side filter for a read or subscription of `$all`, and the exact test the adapter
 * applies to what comes back. The server filters on stream names or on event types, not both:
 * a stream prefix (the namespace, then the caller's) goes to the server and types are checked
 * here; types alone go to the server as an anchored regex. System events (`$...` types and
 * streams) never pass.
 */
export interface AllFilter {
  readonly server: Filter;
  accepts(streamName: string, type: string): boolean;
}

export function allFilterOf(
  namespace: string,
  filter: EventFilter | undefined,
  checkpointReached?: Filter['checkpointReached'],
): AllFilter {
  const prefix = namespace + (filter?.streamPrefix ?? '');
  const types = filter?.types ? new Set(filter.types) : undefined;
  const base = {
    checkpointInterval: 1,
    ...(checkpointReached ? { checkpointReached } : {}),
  };
  const server: Filter =
    prefix !== ''
      ? { ...base, filterOn: 'streamName', prefixes: [prefix] }
      : types
        ? {
            ...base,
            filterOn: 'eventType',
            regex: `^(?:${[...types].map(escapeRegex).join('|')})$`,
          }
        : { ...base, filterOn: 'eventType', regex: '^[^$]' };
  return {
    server,
    accepts: (streamName, type) =>
      !type.startsWith('$') &&
      !streamName.startsWith('$') &&
      streamName.startsWith(prefix) &&
      streamName.length > namespace.length &&
      (types === undefined || types.has(type)),
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** A record read from the server, reduced to what the port needs (the client's shape). */
export interface ServerRecord {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly created: Date;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position?: Position;
}

/** A server record as the port's envelope (before personal fields are revealed and upcast). */
export function recordedOf(
  namespace: string,
  record: ServerRecord,
  data: JsonObject = dataOf(record.isJson, record.data),
): RecordedEvent {
  const envelope = envelopeFromMetadata(record.metadata, {
    eventId: record.id,
    recordedAt: record.created,
  });
  return {
    eventId: record.id,
    type: record.type,
    schemaVersion: envelope.schemaVersion,
    streamId: portStreamId(namespace, record.streamId) ?? record.streamId,
    revision: revisionOf(record.revision),
    globalPosition: globalPositionOf(record.position),
    occurredAt: envelope.occurredAt,
    recordedAt: record.created,
    actor: envelope.actor,
    correlationId: envelope.correlationId,
    causationId: envelope.causationId,
    data,
  };
}

/** What the client threw, as the port's typed error where there is one. */
export function storeErrorOf(
  error: unknown,
  append?: { readonly streamId: string; readonly expectedRevision: ExpectedRevision },
): unknown {
  if (!(error instanceof Error)) return error;
  const type = (error as { type?: unknown }).type;
  if (type === 'wrong-expected-version' && append) {
    const actual = (error as { actualState?: unknown }).actualState;
    return new ConcurrencyError(
      append.streamId,
      append.expectedRevision,
      typeof actual === 'bigint' && actual >= 0n ? revisionOf(actual) : null,
    );
  }
  if (typeof type === 'string' && UNAVAILABLE.has(type)) {
    return new EventStoreUnavailableError(`EventStoreDB is unavailable: ${error.message}`, {
      cause: error,
    });
  }
  return error;
}

/** Client errors that mean "not reachable now", worth a retry later: not a refusal. */
const UNAVAILABLE = new Set([
  'unavailable',
  'deadline-exceeded',
  'timeout',
  'not-leader',
  'cancelled',
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
