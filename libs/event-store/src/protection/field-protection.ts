import {
  DESTROYED_CONTENT_MARKERS,
  pathText,
  personalFieldsOf,
  retentionYear,
  SUBJECT_STREAM_PREFIX,
  type PathStep,
  type RetentionClass,
} from '@samverkan/domain/personal-fields';
import { InvalidInputError } from '@samverkan/shared/errors';
import type { JsonObject, JsonValue } from '../event-store.port';
import type { DataKey, DataKeys } from './data-keys.port';
import {
  checkedEnvelope,
  ENVELOPE_MARK,
  isEnvelope,
  openField,
  ProtectedFieldError,
  sealField,
} from './field-cipher';

/**
 * Encrypts the personal fields of events on the way into the log and decrypts them on the way
 * out, for any store adapter at its page boundary: one batch of keys per append or page, never
 * a round trip per event. Which fields are personal comes from the domain's inventory
 * (personal-fields.ts); reading is schema-agnostic, so events of every older schema version
 * are revealed as they were stored. Nothing here logs event data, let alone plaintext.
 */

export interface EventToProtect {
  /** The id the event is stored under: the ciphertext is bound to it. */
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: Date;
  readonly data: JsonObject;
  /**
   * The stream appended to. A talk's stream binds every event in it to the talk's subject, and
   * its retention; without it, only what the event's own data says applies.
   */
  readonly streamId?: string;
}

export interface EventToReveal {
  readonly eventId: string;
  readonly data: JsonObject;
}

/** A protected field as stored: where it is and the keys it is bound to. */
export interface EnvelopeFound {
  readonly path: string;
  readonly keyIds: readonly string[];
}

/** The data without protected content (each envelope is null) and where that content was. */
export interface WithheldData {
  readonly data: JsonObject;
  readonly withheld: readonly string[];
}

export class FieldProtection {
  constructor(private readonly keys: DataKeys) {}

  /**
   * The events' data with every protected leaf encrypted, in the given order. The input is
   * left untouched; an event with nothing to protect comes back as the very object given, so
   * a store can keep the JSON it already made for it.
   */
  async protect(events: readonly EventToProtect[]): Promise<JsonObject[]> {
    const found = events.map((event, index) => {
      refuseEnvelopesIn(event.data, `events[${index}].data`);
      return personalFieldsOf(event.type, event.data, event.streamId);
    });
    const needing = events
      .map((event, at) => ({ event, at, fields: found[at]! }))
      .filter(({ fields }) => fields.leaves.length > 0);
    if (needing.length === 0) return events.map((e) => e.data);

    const talkStream = (streamId: string | undefined): string | undefined =>
      streamId?.startsWith(SUBJECT_STREAM_PREFIX) ? streamId : undefined;
    // Subjects named in this batch (a talk's planning), bound to their stream as they go.
    const named = new Map<string, { ref: string; streamId: string | undefined }>();
    for (const { event, fields } of needing) {
      if (fields.subjectRef === undefined) continue;
      const streamId = talkStream(event.streamId);
      named.set(`${fields.subjectRef}\u0000${streamId ?? ''}`, {
        ref: fields.subjectRef,
        streamId,
      });
    }
    const namedStreams = new Set([...named.values()].map((n) => n.streamId));
    const boundStreams = new Set(
      needing
        .filter(({ fields }) => fields.aboutSubject && fields.subjectRef === undefined)
        .map(({ event }) => talkStream(event.streamId))
        .filter((s): s is string => s !== undefined && !namedStreams.has(s)),
    );
    const periods = new Map<string, { retention: RetentionClass; year: number }>();
    for (const { event, fields } of needing) {
      if (fields.retention === undefined) continue;
      const year = retentionYear(event.occurredAt);
      periods.set(`${fields.retention}:${year}`, { retention: fields.retention, year });
    }

    // Most appends need record keys only, from the pool: no other lookup, no round trip.
    const [records, subjectKeys, streamKeys, periodKeys] =
      named.size === 0 && boundStreams.size === 0 && periods.size === 0
        ? [
            await this.keys.takeRecordKeys(needing.length),
            NO_KEYS,
            new Map<string, DataKey | undefined>(),
            NO_KEYS,
          ]
        : await Promise.all([
            this.keys.takeRecordKeys(needing.length),
            resolveAll(named, (n) => this.keys.subjectKey(n.ref, n.streamId)),
            resolveAll(new Map([...boundStreams].map((s) => [s, s])), (s) =>
              this.keys.subjectKeyOfStream(s),
            ),
            resolveAll(periods, (p) => this.keys.periodKey(p.retention, p.year)),
          ]);
    for (const n of named.values()) {
      if (n.streamId !== undefined) {
        streamKeys.set(n.streamId, subjectKeys.get(`${n.ref}\u0000${n.streamId}`));
      }
    }

    const result = events.map((e) => e.data);
    needing.forEach(({ event, at, fields }, index) => {
      const streamId = talkStream(event.streamId);
      const subject =
        fields.subjectRef !== undefined
          ? subjectKeys.get(`${fields.subjectRef}\u0000${streamId ?? ''}`)
          : streamId !== undefined
            ? streamKeys.get(streamId)
            : undefined;
      const period =
        fields.retention === undefined
          ? undefined
          : periodKeys.get(`${fields.retention}:${retentionYear(event.occurredAt)}`);
      const keys = [records[index]!, subject, period].filter((k): k is DataKey => k !== undefined);
      let data: JsonValue = event.data;
      for (const leaf of fields.leaves) {
        const envelope = sealField(leaf.value, keys, { eventId: event.eventId, path: leaf.path });
        data = withValueAt(data, leaf.steps, 0, envelope as unknown as JsonValue);
      }
      result[at] = data as JsonObject;
    });
    return result;
  }

  /**
   * The events' data with every envelope opened, wherever it is in the data: the text, or the
   * marker of why it was destroyed (`[raderad]`, `[borttagen vid rättelse]`, `[gallrad]`). The
   * keys of the whole batch are loaded in one call. Data without envelopes comes back as given.
   */
  async reveal(events: readonly EventToReveal[]): Promise<JsonObject[]> {
    const found = events.map((event) => envelopesOf(event.data, event.eventId));
    const keyIds = new Set(found.flatMap((envelopes) => envelopes.flatMap((e) => e.keyIds)));
    if (keyIds.size === 0) return events.map((e) => e.data);
    const keys = await this.keys.load([...keyIds]);
    return events.map((event, index) => {
      if (found[index]!.length === 0) return event.data;
      return mapEnvelopes(event.data, [], (envelope, steps) => {
        const opened = openField(envelope, keys, { eventId: event.eventId, path: pathText(steps) });
        return 'text' in opened ? opened.text : DESTROYED_CONTENT_MARKERS[opened.destroyed];
      }) as JsonObject;
    });
  }

  /**
   * The value (a response body, rows of a read model) with every sealed text in it revealed:
   * its plaintext, or the marker of why it was destroyed. One key query for the whole value.
   * A sealed text that does not open (altered, or bound elsewhere) throws.
   */
  async revealSealedTexts<T>(value: T): Promise<T> {
    const sealed = new Map<string, { envelope: JsonObject; eventId: string; path: string }>();
    collectSealedTexts(value, sealed);
    if (sealed.size === 0) return value;
    const keyIds = new Set<string>();
    for (const s of sealed.values()) {
      for (const id of checkedEnvelope(s.envelope, s).k) keyIds.add(id);
    }
    const keys = await this.keys.load([...keyIds]);
    const opened = new Map<string, string>();
    for (const [text, s] of sealed) {
      const field = openField(s.envelope, keys, { eventId: s.eventId, path: s.path });
      opened.set(text, 'text' in field ? field.text : DESTROYED_CONTENT_MARKERS[field.destroyed]);
    }
    return replaceSealedTexts(value, opened) as T;
  }

  /** See the function of the same name. */
  envelopesOf(data: JsonValue, eventId?: string): EnvelopeFound[] {
    return envelopesOf(data, eventId);
  }

  /** See the function of the same name. */
  withhold(data: JsonObject): WithheldData {
    return withholdProtected(data);
  }
}

/** How every sealed text begins: the envelope's JSON with its mark first. */
export const SEALED_TEXT_PREFIX = `{"${ENVELOPE_MARK}":`;

/**
 * The data with each envelope as text (its JSON, with the event id `e` and path `p` it is bound
 * to): the form read models store and the API reveals as it answers. A sealed text is useless
 * without the keys, and stops opening once one of them is destroyed.
 */
export function sealedAsText(eventId: string, data: JsonObject): JsonObject {
  return mapEnvelopes(data, [], (envelope, steps) =>
    JSON.stringify({ ...envelope, e: eventId, p: pathText(steps) }),
  ) as JsonObject;
}

/**
 * Every protected field in the data, with the keys it is bound to: what erasure and redaction
 * destroy. Envelopes are checked (a malformed one throws), never opened.
 */
export function envelopesOf(data: JsonValue, eventId = '(not given)'): EnvelopeFound[] {
  const found: EnvelopeFound[] = [];
  mapEnvelopes(data, [], (envelope, steps) => {
    const path = pathText(steps);
    found.push({ path, keyIds: checkedEnvelope(envelope, { eventId, path }).k });
    return null;
  });
  return found;
}

/** Every key id the data's protected fields are bound to, each once. */
export function keyIdsOf(data: JsonValue): string[] {
  return [...new Set(envelopesOf(data).flatMap((e) => e.keyIds))];
}

/**
 * The event's own record key (listed first in each of its envelopes): what a correction
 * destroys to redact the text it replaced. Never destroy all of `keyIdsOf` for that: the
 * others are the subject's and the period's, shared with every other event bound to them.
 */
export function recordKeyIdsOf(data: JsonValue): string[] {
  return [...new Set(envelopesOf(data).map((e) => e.keyIds[0]!))];
}

/**
 * The claim check: the data with each protected field as null and the paths where they were,
 * without any key (the Kafka relay publishes this; a subscriber entitled to the content asks
 * the API for it). Anything marked as an envelope is withheld, well-formed or not.
 */
export function withholdProtected(data: JsonObject): WithheldData {
  const withheld: string[] = [];
  const stripped = mapEnvelopes(data, [], (_, steps) => {
    withheld.push(pathText(steps));
    return null;
  }) as JsonObject;
  return { data: stripped, withheld };
}

function collectSealedTexts(
  value: unknown,
  into: Map<string, { envelope: JsonObject; eventId: string; path: string }>,
): void {
  if (typeof value === 'string') {
    if (!value.startsWith(SEALED_TEXT_PREFIX) || into.has(value)) return;
    const { e, p, ...envelope } = JSON.parse(value) as JsonObject;
    if (typeof e !== 'string' || typeof p !== 'string') {
      throw new ProtectedFieldError(
        { eventId: '(unknown)', path: '(unknown)' },
        'is a sealed text without its binding',
      );
    }
    into.set(value, { envelope, eventId: e, path: p });
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) for (const v of value) collectSealedTexts(v, into);
  // Plain objects only: class instances (dates, buffers, streams) hold no sealed text.
  else if (
    Object.getPrototypeOf(value) === Object.prototype ||
    Object.getPrototypeOf(value) === null
  ) {
    for (const v of Object.values(value)) collectSealedTexts(v, into);
  }
}

function replaceSealedTexts(value: unknown, opened: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return opened.get(value) ?? value;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => replaceSealedTexts(v, opened));
  // Plain objects only: class instances (dates, buffers, streams) pass as they are.
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, replaceSealedTexts(v, opened)]),
  );
}

/**
 * The value with each envelope replaced by what `replace` gives; containers on the way to one
 * are copied, everything else is shared with the input, which is never changed.
 */
function mapEnvelopes(
  value: JsonValue,
  steps: PathStep[],
  replace: (envelope: JsonObject, steps: PathStep[]) => JsonValue,
): JsonValue {
  if (typeof value !== 'object' || value === null) return value;
  if (isEnvelope(value)) return replace(value as JsonObject, steps);
  if (Array.isArray(value)) {
    let copy: JsonValue[] | undefined;
    value.forEach((item, index) => {
      const mapped = mapEnvelopes(item, [...steps, index], replace);
      if (mapped !== item) (copy ??= [...value])[index] = mapped;
    });
    return copy ?? value;
  }
  let copy: JsonObject | undefined;
  for (const name of Object.keys(value)) {
    const item = value[name]!;
    const mapped = mapEnvelopes(item, [...steps, name], replace);
    if (mapped !== item) (copy ??= { ...value })[name] = mapped;
  }
  return copy ?? value;
}

/**
 * Data written with the envelope's mark would be read as an envelope (and refused as altered):
 * no event may carry one of its own.
 */
function refuseEnvelopesIn(data: JsonObject, at: string): void {
  // One walk, no copies and no path kept until something is found: every append passes here.
  const holdsOne = (value: JsonValue): boolean => {
    if (typeof value === 'string') return value.startsWith(SEALED_TEXT_PREFIX);
    if (typeof value !== 'object' || value === null) return false;
    if (Array.isArray(value)) return value.some(holdsOne);
    if (Object.hasOwn(value, ENVELOPE_MARK)) return true;
    for (const key in value) if (holdsOne(value[key]!)) return true;
    return false;
  };
  if (!holdsOne(data)) return;
  // Found: walk again, slowly, to name where.
  refuseSealedTexts(data, [], at);
  mapEnvelopes(data, [], (_, steps) => {
    throw new InvalidInputError('EVENT_STORE.INVALID_APPEND', [
      {
        path: `${at}${steps.length > 0 ? `.${pathText(steps)}` : ''}`,
        reason: `holds a '${ENVELOPE_MARK}' key, which marks encrypted fields`,
      },
    ]);
  });
}

/**
 * Nor text in the sealed form: read models hold sealed texts and the API reveals them on the way
 * out, so a string that looked like one, written into a field nobody encrypts, would have the
 * API open another event's envelope for whoever reads that field.
 */
function refuseSealedTexts(value: JsonValue, steps: PathStep[], at: string): void {
  if (typeof value === 'string') {
    if (value.startsWith(SEALED_TEXT_PREFIX)) {
      throw new InvalidInputError('EVENT_STORE.INVALID_APPEND', [
        {
          path: `${at}${steps.length > 0 ? `.${pathText(steps)}` : ''}`,
          reason: 'is text in the form of a sealed field',
        },
      ]);
    }
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) value.forEach((v, i) => refuseSealedTexts(v, [...steps, i], at));
  else for (const [k, v] of Object.entries(value)) refuseSealedTexts(v, [...steps, k], at);
}

/**
 * `data` with `value` at `steps`: the containers on the way are copied (the input is never
 * changed), everything else is shared. Cheaper than cloning the whole event for each append.
 */
function withValueAt(
  data: JsonValue,
  steps: readonly PathStep[],
  at: number,
  value: JsonValue,
): JsonValue {
  if (at === steps.length) return value;
  const step = steps[at]!;
  if (Array.isArray(data)) {
    const copy = [...data];
    copy[step as number] = withValueAt(data[step as number]!, steps, at + 1, value);
    return copy;
  }
  const record = data as JsonObject;
  return { ...record, [step]: withValueAt(record[step as string]!, steps, at + 1, value) };
}

const NO_KEYS: ReadonlyMap<string, DataKey> = new Map();

/** Runs `get` for every entry at once; the results by the same keys. */
async function resolveAll<K, V, R>(
  entries: ReadonlyMap<K, V>,
  get: (value: V) => Promise<R>,
): Promise<Map<K, R>> {
  const pairs = await Promise.all(
    [...entries].map(async ([key, value]) => [key, await get(value)] as const),
  );
  return new Map(pairs);
}
