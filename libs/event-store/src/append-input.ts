import { InvalidInputError, type InvalidField } from '@samverkan/shared/errors';
import { isUuid, randomIds, uuidv7, type IdSource } from '@samverkan/shared/ids';
import type { Clock } from '@samverkan/shared/clock';
import type {
  AppendOptions,
  EventFilter,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeOptions,
} from './event-store.port';

/**
 * Checks an append before any I/O and turns it into the rows the adapters write. Everything the
 * store refuses is refused here, with every bad field named, so a bad append writes nothing.
 */

export const MAX_EVENTS_PER_APPEND = 10_000;
export const MAX_STREAM_ID_LENGTH = 500;
const MAX_TYPE_LENGTH = 200;
const MAX_ID_LENGTH = 200;
const MAX_INT4 = 2_147_483_647;
const EVENT_TYPE = /^[\p{L}\p{N}._:/-]+$/u;
/** A UTF-16 surrogate without its partner: not Unicode text, and UTF-8 would turn it into U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isStorableDate(value: unknown): value is Date {
  if (!(value instanceof Date) || isNaN(value.getTime())) return false;
  const year = value.getUTCFullYear();
  return year >= 1 && year <= 9999;
}

/** Text the database stores as given: no NUL character and well-formed Unicode. */
export function textProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return 'contains the NUL character, which PostgreSQL cannot store';
  if (LONE_SURROGATE.test(value)) return 'is not well-formed Unicode (a lone surrogate)';
  return undefined;
}

export interface PreparedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  /** The data as JSON text, checked to round-trip (made on first use, then kept). */
  readonly json: string;
  readonly occurredAt: Date;
}

export interface PreparedAppend {
  readonly streamId: string;
  readonly expectedRevision: ExpectedRevision;
  readonly events: readonly PreparedEvent[];
  readonly actor: AppendOptions['actor'];
  readonly correlationId: string;
  readonly causationId: string | null;
}

export function prepareAppend(
  streamId: unknown,
  events: unknown,
  options: unknown,
  ids: IdSource,
  clock: Clock,
): PreparedAppend {
  const problems: InvalidField[] = [];
  checkStreamId(streamId, 'streamId', problems);

  const opts = isRecord(options) ? options : {};
  if (!isRecord(options)) problems.push({ path: 'options', reason: 'must be an object' });
  const expectedRevision = opts['expectedRevision'];
  if (!isExpectedRevision(expectedRevision)) {
    problems.push({
      path: 'options.expectedRevision',
      reason: `must be 'any', 'no_stream', 'stream_exists' or a revision (an integer >= 0), got ${describe(expectedRevision)}`,
    });
  }
  const actor = opts['actor'];
  if (!isRecord(actor)) {
    problems.push({
      path: 'options.actor',
      reason: 'must be an object with userId, agency and role',
    });
  } else {
    for (const key of ['userId', 'agency', 'role'] as const) {
      checkShortText(actor[key], `options.actor.${key}`, problems);
    }
  }
  const correlationId = opts['correlationId'];
  if (correlationId !== undefined) checkShortText(correlationId, 'options.correlationId', problems);
  const causationId = opts['causationId'];
  if (causationId !== undefined) checkShortText(causationId, 'options.causationId', problems);

  const prepared: PreparedEvent[] = [];
  // Events of one append that say nothing of when they happened share one instant.
  const now = clock.now();
  if (!Array.isArray(events)) {
    problems.push({ path: 'events', reason: 'must be an array of events' });
  } else if (events.length === 0) {
    problems.push({ path: 'events', reason: 'must hold at least one event' });
  } else if (events.length > MAX_EVENTS_PER_APPEND) {
    problems.push({ path: 'events', reason: `must hold at most ${MAX_EVENTS_PER_APPEND} events` });
  } else {
    const given = new Set<string>();
    // An index loop, not forEach: a hole in a sparse array must be refused, not skipped.
    for (let index = 0; index < events.length; index++) {
      const item = prepareEvent(events[index] as unknown, `events[${index}]`, problems, ids, now);
      if (!item) continue;
      if (item.givenId) {
        if (given.has(item.event.eventId)) {
          problems.push({
            path: `events[${index}].eventId`,
            reason: 'appears twice in this append',
          });
        }
        given.add(item.event.eventId);
      }
      prepared.push(item.event);
    }
  }

  if (problems.length > 0) throw new InvalidInputError('EVENT_STORE.INVALID_APPEND', problems);
  const validActor = actor as AppendOptions['actor'];
  return {
    streamId: streamId as string,
    expectedRevision: expectedRevision as ExpectedRevision,
    events: prepared,
    actor: { userId: validActor.userId, agency: validActor.agency, role: validActor.role },
    correlationId: (correlationId as string | undefined) ?? newUuid(ids),
    causationId: (causationId as string | undefined) ?? null,
  };
}

function prepareEvent(
  event: unknown,
  path: string,
  problems: InvalidField[],
  ids: IdSource,
  now: Date,
): { event: PreparedEvent; givenId: boolean } | undefined {
  if (!isRecord(event)) {
    problems.push({ path, reason: 'must be an object with type and data' });
    return undefined;
  }
  const before = problems.length;
  const { eventId, type, schemaVersion, data, occurredAt } = event as Partial<NewEvent> &
    Record<string, unknown>;
  if (eventId !== undefined && !isUuid(eventId)) {
    problems.push({ path: `${path}.eventId`, reason: `must be a UUID, got ${describe(eventId)}` });
  }
  if (typeof type !== 'string' || type.trim() === '') {
    problems.push({ path: `${path}.type`, reason: 'is required: a non-empty string' });
  } else if (type.length > MAX_TYPE_LENGTH || !EVENT_TYPE.test(type)) {
    problems.push({
      path: `${path}.type`,
      reason: `must be at most ${MAX_TYPE_LENGTH} letters, digits and . _ : - /`,
    });
  }
  if (
    schemaVersion !== undefined &&
    !(Number.isSafeInteger(schemaVersion) && schemaVersion >= 1 && schemaVersion <= MAX_INT4)
  ) {
    problems.push({
      path: `${path}.schemaVersion`,
      reason: `must be an integer from 1 to ${MAX_INT4}, got ${describe(schemaVersion)}`,
    });
  }
  if (occurredAt !== undefined && !isStorableDate(occurredAt)) {
    problems.push({
      path: `${path}.occurredAt`,
      reason: 'must be a valid Date in the years 1 to 9999',
    });
  }
  if (!isRecord(data) || Array.isArray(data)) {
    problems.push({ path: `${path}.data`, reason: 'must be a JSON object' });
  } else {
    const where = findNonJson(data, `${path}.data`, new Set());
    if (where) problems.push(where);
  }
  if (problems.length > before) return undefined;
  // Made when first asked for: a store that encrypts fields writes other JSON for the event.
  let json: string | undefined;
  return {
    event: {
      eventId: eventId?.toLowerCase() ?? newUuid(ids),
      type: type as string,
      schemaVersion: schemaVersion ?? 1,
      get json(): string {
        return (json ??= JSON.stringify(data));
      },
      occurredAt: occurredAt ?? now,
    },
    givenId: eventId !== undefined,
  };
}

/**
 * Finds the first value that would not come back unchanged from the store: JSON.stringify would
 * silently drop functions and symbols, turn NaN into null and Dates into strings, and throws on
 * bigint and cycles. Text in keys and values must be storable (textProblem): the store's json
 * column would take a lone surrogate, but every jsonb read model fed from it would refuse the
 * event, and no text type can hold the NUL character. This runs on every event, so
 * the path of a bad value is only built once one is found.
 */
function findNonJson(
  value: unknown,
  path: string,
  ancestors: Set<object>,
): InvalidField | undefined {
  const found = firstNonJson(value, ancestors);
  if (!found) return undefined;
  return { path: path + found.steps.reverse().join(''), reason: found.reason };
}

interface NonJson {
  readonly reason: string;
  /** Path steps from the bad value back up to the root (`.key` or `[i]`). */
  readonly steps: string[];
}

function firstNonJson(value: unknown, ancestors: Set<object>): NonJson | undefined {
  switch (typeof value) {
    case 'string': {
      const problem = textProblem(value);
      return problem ? { reason: problem, steps: [] } : undefined;
    }
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value)
        ? undefined
        : { reason: `${value} is not a JSON number`, steps: [] };
    case 'object': {
      if (value === null) return undefined;
      if (ancestors.has(value)) return { reason: 'refers back to itself (a cycle)', steps: [] };
      const isArray = Array.isArray(value);
      const proto = Object.getPrototypeOf(value) as unknown;
      // Object.prototype of any realm (a vm context, structuredClone across realms) is plain.
      if (!isArray && proto !== null && Object.getPrototypeOf(proto) !== null) {
        const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
        return {
          reason: `a ${name} is not plain JSON; store a string or a plain object`,
          steps: [],
        };
      }
      ancestors.add(value);
      try {
        if (isArray) {
          for (let i = 0; i < value.length; i++) {
            const item: unknown = value[i];
            const found =
              item === undefined
                ? { reason: 'is undefined', steps: [] }
                : firstNonJson(item, ancestors);
            if (found) {
              found.steps.push(`[${i}]`);
              return found;
            }
          }
        } else {
          const record = value as Record<string, unknown>;
          for (const key in record) {
            if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
            const keyProblem = textProblem(key);
            if (keyProblem) return { reason: `has a key that ${keyProblem}`, steps: [] };
            const item = record[key];
            // An undefined property is an absent optional field; JSON leaves it out, as intended.
            if (item === undefined) continue;
            const found = firstNonJson(item, ancestors);
            if (found) {
              found.steps.push(`.${key}`);
              return found;
            }
          }
        }
      } finally {
        ancestors.delete(value);
      }
      return undefined;
    }
    default:
      return { reason: `a ${typeof value} is not a JSON value`, steps: [] };
  }
}

function checkStreamId(value: unknown, path: string, problems: InvalidField[]): void {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push({ path, reason: 'is required: a non-empty string' });
  } else if (value.length > MAX_STREAM_ID_LENGTH) {
    problems.push({ path, reason: `must be at most ${MAX_STREAM_ID_LENGTH} characters` });
  } else if (value.startsWith('$')) {
    problems.push({ path, reason: "must not start with '$', which names system streams" });
  } else {
    const problem = textProblem(value);
    if (problem) problems.push({ path, reason: problem });
  }
}

function newUuid(ids: IdSource): string {
  // The platform's own source makes lowercase UUIDv7s: nothing to check.
  if (ids === randomIds) return uuidv7();
  const made = ids.newId();
  const id = made.toLowerCase();
  if (!isUuid(id)) throw new Error(`The id source made '${made}', which is not a UUID`);
  return id;
}

function checkShortText(value: unknown, path: string, problems: InvalidField[]): void {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push({ path, reason: 'is required: a non-empty string' });
  } else if (value.length > MAX_ID_LENGTH || value.includes('\u0000')) {
    problems.push({ path, reason: `must be at most ${MAX_ID_LENGTH} characters of text` });
  }
}

export function isExpectedRevision(value: unknown): value is ExpectedRevision {
  return (
    value === 'any' ||
    value === 'no_stream' ||
    value === 'stream_exists' ||
    (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)
  );
}

/** Checks a global position or revision given to a read; refuses before any I/O. */
export function checkPosition(value: unknown, path: string, problems: InvalidField[]): void {
  if (
    value !== undefined &&
    !(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)
  ) {
    problems.push({ path, reason: `must be an integer >= 0, got ${describe(value)}` });
  }
}

export function checkPageSize(value: unknown, path: string, problems: InvalidField[]): void {
  if (
    value !== undefined &&
    !(typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= 10_000)
  ) {
    problems.push({ path, reason: `must be an integer from 1 to 10000, got ${describe(value)}` });
  }
}

export function checkStreamIdForRead(value: unknown, problems: InvalidField[]): void {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push({ path: 'streamId', reason: 'is required: a non-empty string' });
    return;
  }
  const problem = textProblem(value);
  if (problem) problems.push({ path: 'streamId', reason: problem });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

/** A read's or subscription's filter: non-empty, well-formed types and stream prefix. */
export function checkFilter(filter: EventFilter | undefined, problems: InvalidField[]): void {
  if (filter === undefined) return;
  if (filter.types !== undefined) {
    if (
      !Array.isArray(filter.types) ||
      filter.types.some((t) => typeof t !== 'string' || t === '' || textProblem(t) !== undefined)
    ) {
      problems.push({ path: 'filter.types', reason: 'must be a list of event types' });
    }
  }
  if (
    filter.streamPrefix !== undefined &&
    (typeof filter.streamPrefix !== 'string' ||
      filter.streamPrefix === '' ||
      textProblem(filter.streamPrefix) !== undefined)
  ) {
    problems.push({ path: 'filter.streamPrefix', reason: 'must be a non-empty string' });
  }
}

/** Refuses a stream read's bad arguments, naming each, before any I/O (every adapter). */
export function checkReadStream(streamId: string, options: ReadStreamOptions = {}): void {
  const problems: InvalidField[] = [];
  checkStreamIdForRead(streamId, problems);
  checkPosition(options.fromRevision, 'fromRevision', problems);
  checkPosition(options.maxCount, 'maxCount', problems);
  checkPageSize(options.pageSize, 'pageSize', problems);
  if (
    options.direction !== undefined &&
    options.direction !== 'forwards' &&
    options.direction !== 'backwards'
  ) {
    problems.push({ path: 'direction', reason: "must be 'forwards' or 'backwards'" });
  }
  if (problems.length > 0) throw new InvalidInputError('EVENT_STORE.INVALID_READ', problems);
}

/** Refuses a stream-revision question about a malformed stream id. */
export function checkStreamRevisionRead(streamId: string): void {
  const problems: InvalidField[] = [];
  checkStreamIdForRead(streamId, problems);
  if (problems.length > 0) throw new InvalidInputError('EVENT_STORE.INVALID_READ', problems);
}

/** Refuses a read of the whole log's bad arguments. */
export function checkReadAll(options: ReadAllOptions): void {
  const problems: InvalidField[] = [];
  checkPosition(options.after, 'after', problems);
  checkPosition(options.maxCount, 'maxCount', problems);
  checkPageSize(options.pageSize, 'pageSize', problems);
  checkFilter(options.filter, problems);
  if (problems.length > 0) throw new InvalidInputError('EVENT_STORE.INVALID_READ', problems);
}

/** Refuses a subscription's bad arguments. */
export function checkSubscribe(options: SubscribeOptions): void {
  const problems: InvalidField[] = [];
  if (options.after !== 'end') checkPosition(options.after, 'after', problems);
  checkPageSize(options.pageSize, 'pageSize', problems);
  checkFilter(options.filter, problems);
  if (problems.length > 0)
    throw new InvalidInputError('EVENT_STORE.INVALID_SUBSCRIPTION', problems);
}
