import type { DestructionReason, RetentionClass } from '@samverkan/domain/personal-fields';

/**
 * The data keys that personal fields in events are encrypted under, kept beside the log and
 * wrapped by the master key ring. Erasure, redaction and gallring destroy keys here; the log is
 * never rewritten. A destroyed key leaves a tombstone (when, why, by which correlation id), so
 * a reader can tell destroyed content from a key that never existed.
 *
 * - `record`: one per event with protected fields, taken from a pool made in advance, so an
 *   append costs no extra round trip. Destroying it removes that event's text alone (a
 *   correction's redaction of what it replaced).
 * - `subject`: one per data subject (scope: a keyed digest of the pseudonymous reference, never
 *   the reference), bound to every event of the subject's talks. Destroying it is erasure.
 * - `period`: one per retention class and calendar year (scope `<class>:<year>`). Destroying
 *   it is gallring.
 */
export const DATA_KEYS = Symbol('DataKeys');

export type DataKeyKind = 'record' | 'subject' | 'period';

/** An unwrapped data key: 32 bytes for AES-256. Never logged, never stored unwrapped. */
export interface DataKey {
  readonly keyId: string;
  readonly key: Buffer;
}

/** What `load` finds for a key id: the key, or why and when it was destroyed. */
export type KeyState =
  | { readonly state: 'live'; readonly key: Buffer }
  | {
      readonly state: 'destroyed';
      readonly reason: DestructionReason;
      readonly destroyedAt: Date;
    };

export interface DestroyedPeriod {
  readonly keyId: string;
  readonly retention: RetentionClass;
  readonly year: number;
}

export interface DataKeys {
  /** Creates or upgrades the key store's schema; safe to call from several processes. */
  start(): Promise<void>;
  /**
   * `count` new record keys, each for exactly one event. Served from an in-process pool that
   * is refilled in batches, so most calls make no round trip.
   */
  takeRecordKeys(count: number): Promise<DataKey[]>;
  /**
   * The live key of a data subject, created on first use (and anew after an erasure: what is
   * written later is new data). With `streamId`, the stream is bound to it: later events of
   * that stream, which do not name the subject, use it too.
   */
  subjectKey(subjectRef: string, streamId?: string): Promise<DataKey>;
  /**
   * The subject key a stream was bound to, or undefined when it was never bound (a talk
   * planned before protection). Throws DataKeyDestroyedError when the subject was erased:
   * nothing more may be written about them.
   */
  subjectKeyOfStream(streamId: string): Promise<DataKey | undefined>;
  /**
   * The live key of a retention class and year, created on first use (and anew for an event
   * dated in a year already gallrad: the next gallring destroys it with its year).
   */
  periodKey(retention: RetentionClass, year: number): Promise<DataKey>;
  /** Every given key in one query; throws DataKeyMissingError for an id never created. */
  load(keyIds: readonly string[]): Promise<ReadonlyMap<string, KeyState>>;
  /** Destroys the keys not destroyed before; returns how many it destroyed now. */
  destroy(
    keyIds: readonly string[],
    reason: DestructionReason,
    correlationId: string,
  ): Promise<number>;
  /** Erasure of a data subject: destroys their key ('erased'); returns how many it destroyed. */
  destroySubject(subjectRef: string, correlationId: string): Promise<number>;
  /** Gallring: destroys the class's keys of every year before `year` ('expired'). */
  destroyPeriodsBefore(
    retention: RetentionClass,
    year: number,
    correlationId: string,
  ): Promise<DestroyedPeriod[]>;
  /** Wraps every live key under the current master key (rotation); returns how many. */
  rewrap(): Promise<number>;
  /**
   * Ends the store: record keys made ahead and never handed out are dropped (never to be used;
   * a store may delete what it stored for them).
   */
  close(): Promise<void>;
}

/** An envelope names a key that was never created: a log restored without its keys, say. */
export class DataKeyMissingError extends Error {
  constructor(readonly keyIds: readonly string[]) {
    super(`Data keys not found (never created in this key store): ${keyIds.join(', ')}`);
    this.name = 'DataKeyMissingError';
  }
}

/** New data would be bound to a destroyed key: an event in the stream of an erased subject. */
export class DataKeyDestroyedError extends Error {
  constructor(
    readonly kind: DataKeyKind,
    readonly reason: DestructionReason,
  ) {
    super(`The ${kind} key this data would be bound to was destroyed (${reason})`);
    this.name = 'DataKeyDestroyedError';
  }
}
