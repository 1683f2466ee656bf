import { ConcurrencyError, EventStoreUnavailableError } from '../event-store.errors';
import { clientUrl } from './eventstoredb-event-store';
import {
  allFilterOf,
  eventStoreDbHosts,
  usesTls,
  dataOf,
  envelopeFromMetadata,
  expectedStateOf,
  globalPositionOf,
  isAfter,
  metadataOf,
  portStreamId,
  readFromAfter,
  recordedOf,
  revisionOf,
  serverStreamName,
  storeErrorOf,
  UNKNOWN_ACTOR,
  type ServerRecord,
} from './esdb-mapping';

/**
 * The client's errors as it throws them: an Error whose `type` names the failure and, for a
 * wrong expected version, the stream's `actualState` (a bigint revision or 'no_stream').
 * Built here rather than from the client's classes: loading the client starts its native
 * bridge, which a unit test (no I/O) must not.
 */
function clientError(type: string, fields: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`client: ${type}`), { type, ...fields });
}

const actor = { userId: 'user-1', agency: 'police', role: 'officer' };
const recordedAt = new Date('2026-01-02T03:04:05.678Z');
const eventId = '0190a9f4-1111-7000-8000-000000000001';

describe('EventStoreDB envelope in metadata', () => {
  it('round-trips every envelope field through the metadata JSON', () => {
    const envelope = {
      schemaVersion: 3,
      occurredAt: new Date('2024-03-05T18:30:00.123Z'),
      actor,
      correlationId: 'corr-1',
      causationId: 'cmd-1',
    };
    const metadata = JSON.parse(JSON.stringify(metadataOf(envelope))) as unknown;
    expect(metadata).toEqual({
      $correlationId: 'corr-1',
      $causationId: 'cmd-1',
      schemaVersion: 3,
      occurredAt: '2024-03-05T18:30:00.123Z',
      actor,
    });
    expect(envelopeFromMetadata(metadata, { eventId, recordedAt })).toEqual(envelope);
  });

  it('leaves out a missing causation and reads it back as null', () => {
    const metadata = metadataOf({
      schemaVersion: 1,
      occurredAt: recordedAt,
      actor,
      correlationId: 'c',
      causationId: null,
    });
    expect(metadata).not.toHaveProperty('$causationId');
    expect(envelopeFromMetadata(metadata, { eventId, recordedAt }).causationId).toBeNull();
  });

  it.each<[string, unknown]>([
    ['no metadata', undefined],
    ['binary metadata', new Uint8Array([1, 2, 3])],
    ['a JSON array', ['x']],
    ['unrelated fields', { tool: 'other', $correlationId: '' }],
    [
      'malformed fields',
      { schemaVersion: '2', occurredAt: 'yesterday', actor: { userId: 7 }, $causationId: 42 },
    ],
    ['a fractional or zero schema version', { schemaVersion: 0.5 }],
  ])('gives stated defaults for an event written by another tool: %s', (_, metadata) => {
    expect(envelopeFromMetadata(metadata, { eventId, recordedAt })).toEqual({
      schemaVersion: 1,
      occurredAt: recordedAt,
      actor: UNKNOWN_ACTOR,
      correlationId: eventId,
      causationId: null,
    });
  });

  it('keeps the fields it knows when others are unknown', () => {
    const envelope = envelopeFromMetadata(
      { $correlationId: 'c-9', actor, extra: { nested: true }, schemaVersion: 2 },
      { eventId, recordedAt },
    );
    expect(envelope).toEqual({
      schemaVersion: 2,
      occurredAt: recordedAt,
      actor,
      correlationId: 'c-9',
      causationId: null,
    });
  });

  it('reads data that is not a JSON object without losing it', () => {
    expect(dataOf(true, { a: 1 })).toEqual({ a: 1 });
    expect(dataOf(true, [1, 2])).toEqual({ value: [1, 2] });
    expect(dataOf(true, 'text')).toEqual({ value: 'text' });
    expect(dataOf(false, new Uint8Array([0xff, 0x00]))).toEqual({ base64: '/wA=' });
  });

  it('maps a server record to the port envelope: namespace stripped, recordedAt from created', () => {
    const record: ServerRecord = {
      streamId: 'run-7:promise-1',
      id: eventId,
      revision: 4n,
      type: 'PromiseDrafted',
      created: recordedAt,
      isJson: true,
      data: { title: 'Medborgarlöfte' },
      metadata: metadataOf({
        schemaVersion: 2,
        occurredAt: new Date('2024-01-01T00:00:00Z'),
        actor,
        correlationId: 'corr',
        causationId: null,
      }),
      position: { commit: 9_001n, prepare: 9_001n },
    };
    expect(recordedOf('run-7:', record)).toEqual({
      eventId,
      type: 'PromiseDrafted',
      schemaVersion: 2,
      streamId: 'promise-1',
      revision: 4,
      globalPosition: 9_001,
      occurredAt: new Date('2024-01-01T00:00:00Z'),
      recordedAt,
      actor,
      correlationId: 'corr',
      causationId: null,
      data: { title: 'Medborgarlöfte' },
    });
  });
});

describe('EventStoreDB expected revisions, revisions and positions', () => {
  it('maps expected revisions to the client constants and a bigint revision', () => {
    expect(expectedStateOf('any')).toBe('any');
    expect(expectedStateOf('no_stream')).toBe('no_stream');
    expect(expectedStateOf('stream_exists')).toBe('stream_exists');
    expect(expectedStateOf(0)).toBe(0n);
    expect(expectedStateOf(41)).toBe(41n);
  });

  it('takes revisions and commit positions as numbers, refusing what a number cannot hold', () => {
    expect(revisionOf(0n)).toBe(0);
    expect(revisionOf(2n ** 53n - 1n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => revisionOf(2n ** 53n)).toThrow(RangeError);
    expect(() => revisionOf(-1n)).toThrow(RangeError);
    expect(globalPositionOf({ commit: 123n, prepare: 123n })).toBe(123);
    // The commit position, not the prepare one.
    expect(globalPositionOf({ commit: 500n, prepare: 420n })).toBe(500);
    // "No position" is sent as the largest unsigned 64-bit value.
    expect(() => globalPositionOf({ commit: 2n ** 64n - 1n, prepare: 0n })).toThrow(RangeError);
    expect(() => globalPositionOf(undefined)).toThrow(/no \$all position/);
  });

  it('reads $all from the start for 0, else from the event itself, which isAfter drops', () => {
    expect(readFromAfter(0)).toBe('start');
    expect(readFromAfter(7_340)).toEqual({ commit: 7_340n, prepare: 7_340n });
    expect(isAfter(7_340, 7_340)).toBe(false);
    expect(isAfter(7_341, 7_340)).toBe(true);
    expect(isAfter(1, 0)).toBe(true);
  });

  it('puts streams under the namespace and takes them out again', () => {
    expect(serverStreamName('', 'promise-1')).toBe('promise-1');
    expect(serverStreamName('t-1:', 'promise-1')).toBe('t-1:promise-1');
    expect(portStreamId('t-1:', 't-1:promise-1')).toBe('promise-1');
    expect(portStreamId('t-1:', 't-2:promise-1')).toBeUndefined();
    expect(portStreamId('t-1:', 't-1:')).toBeUndefined();
    expect(portStreamId('', 'promise-1')).toBe('promise-1');
  });

  it('names the hosts and TLS of a connection string, never its credentials', () => {
    expect(eventStoreDbHosts('esdb://admin:changeit@localhost:2113?tls=true')).toBe(
      'esdb://localhost:2113',
    );
    expect(eventStoreDbHosts('esdb+discover://u:p@ss@h1:2113,h2:2113/?tls=false')).toBe(
      'esdb+discover://h1:2113,h2:2113',
    );
    expect(usesTls('esdb://h:2113')).toBe(true);
    expect(usesTls('esdb://h:2113?tls=false')).toBe(false);
    expect(usesTls('esdb://h:2113?keepAliveInterval=10&tls=false')).toBe(false);
    expect(usesTls('esdb://h:2113?tls=true&tlsVerifyCert=false')).toBe(true);
  });

  it('rewrites the esdb protocol the client warns about, keeping hosts and options', () => {
    expect(clientUrl('esdb://a:b@h:2113?tls=true')).toBe('kurrentdb://a:b@h:2113?tls=true');
    expect(clientUrl('esdb+discover://h1,h2')).toBe('kurrentdb+discover://h1,h2');
    expect(clientUrl('kurrentdb://h:2113')).toBe('kurrentdb://h:2113');
  });
});

describe('EventStoreDB filters on $all', () => {
  it('sends a stream prefix (namespace, then the caller’s) to the server and checks types here', () => {
    const filter = allFilterOf('t-1:', {
      streamPrefix: 'situation-',
      types: ['SituationReported'],
    });
    expect(filter.server).toMatchObject({
      filterOn: 'streamName',
      prefixes: ['t-1:situation-'],
      checkpointInterval: 1,
    });
    expect(filter.accepts('t-1:situation-a', 'SituationReported')).toBe(true);
    expect(filter.accepts('t-1:situation-a', 'SituationReportedLate')).toBe(false);
    expect(filter.accepts('t-1:promise-a', 'SituationReported')).toBe(false);
    expect(filter.accepts('t-2:situation-a', 'SituationReported')).toBe(false);
  });

  it('sends types alone as an anchored, escaped regex', () => {
    const filter = allFilterOf('', { types: ['A.B', 'C'] });
    expect(filter.server).toMatchObject({ filterOn: 'eventType', regex: '^(?:A\\.B|C)$' });
    const regex = new RegExp((filter.server as { regex: string }).regex);
    expect(regex.test('A.B')).toBe(true);
    expect(regex.test('AxB')).toBe(false);
    expect(regex.test('CC')).toBe(false);
    expect(filter.accepts('s', 'A.B')).toBe(true);
    expect(filter.accepts('s', 'AxB')).toBe(false);
  });

  it('excludes system events without any filter', () => {
    const filter = allFilterOf('', undefined);
    expect(filter.server).toMatchObject({ filterOn: 'eventType', regex: '^[^$]' });
    expect(filter.accepts('$stats-127.0.0.1:2113', '$statsCollected')).toBe(false);
    expect(filter.accepts('$et-A', 'A')).toBe(false);
    expect(filter.accepts('promise-1', '$metadata')).toBe(false);
    expect(filter.accepts('promise-1', 'PromiseDrafted')).toBe(true);
  });

  it('passes the checkpoint callback to the server filter', () => {
    const reached = (): void => undefined;
    expect(allFilterOf('ns:', undefined, reached).server.checkpointReached).toBe(reached);
  });
});

describe('EventStoreDB errors', () => {
  it('maps a wrong expected version to the concurrency error with the actual revision', () => {
    const refused = clientError('wrong-expected-version', { actualState: 1n, expectedState: 0n });
    const error = storeErrorOf(refused, { streamId: 'promise-1', expectedRevision: 0 });
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({
      streamId: 'promise-1',
      expectedRevision: 0,
      actualRevision: 1,
      code: 'EVENT_STORE.WRONG_EXPECTED_REVISION',
    });
  });

  it('names a missing stream as actual revision null', () => {
    const refused = clientError('wrong-expected-version', {
      actualState: 'no_stream',
      expectedState: 'stream_exists',
    });
    expect(
      storeErrorOf(refused, { streamId: 'missing', expectedRevision: 'stream_exists' }),
    ).toMatchObject({ actualRevision: null, expectedRevision: 'stream_exists' });
  });

  it('maps unavailable and deadline errors to EventStoreUnavailableError, keeping the cause', () => {
    for (const cause of ['unavailable', 'deadline-exceeded', 'not-leader'].map((t) =>
      clientError(t),
    )) {
      const error = storeErrorOf(cause);
      expect(error).toBeInstanceOf(EventStoreUnavailableError);
      expect((error as Error).cause).toBe(cause);
      expect(error).toMatchObject({ code: 'EVENT_STORE.UNAVAILABLE' });
    }
  });

  it('passes other errors through unchanged', () => {
    const denied = clientError('access-denied');
    expect(storeErrorOf(denied)).toBe(denied);
    const plain = new Error('x');
    expect(storeErrorOf(plain)).toBe(plain);
    // Without an append there is no expected revision to name.
    const refused = clientError('wrong-expected-version', { actualState: 1n, expectedState: 0n });
    expect(storeErrorOf(refused)).toBe(refused);
  });
});
