import type { PersonalDataErased } from './personal-data/erasure';
import type { RetentionApplied } from './personal-data/retention.events';
import { swedishDate } from './calendar';
import type { DomainEvent } from './decider';
import type { PartnershipEvent } from './agencies/agencies.events';
import type { CitizenPromiseEvent } from './citizen-promise/citizen-promise.events';
import type { PlacesEvent } from './places/places.events';
import {
  preventionTalkStream,
  type PreventionTalkEvent,
} from './prevention-talks/prevention-talks.events';
import type { FindingEvent, SafetyWalkEvent } from './safety-walks/safety-walks.events';
import type { EstCountsEvent, EstReportersEvent } from './situation-picture/est.events';
import type {
  SituationPictureEvent,
  SituationReportEvent,
} from './situation-picture/situation-picture.events';

/**
 * Which fields of which events hold personal data, so the store can encrypt them on the way in
 * and erase them by destroying keys ("keys, not rewrites": the log itself is never changed).
 *
 * - Free text written by people is protected under a key of its own event (a record key), so a
 *   correction can destroy the earlier event's text and nothing else.
 * - The data subject's reference (a prevention talk's pseudonymous `subjectRef`) is protected
 *   too, and every field of the talk is additionally bound to the subject's key: erasing the
 *   young person destroys one key and every text about them becomes unreadable.
 * - A retention class binds the fields to a key per class and year as well, so gallring after
 *   the retention period is destroying that year's key.
 *
 * Ids, dates, agency codes, place ids, problem-area codes and counts are not listed: they say
 * nothing about a person on their own and the views, the access policy and the follow-up report
 * need them in the clear. Neither are the texts of the citizen promise itself (title, focus,
 * commitments, signatories, revisions): they are published.
 */

/** How a protected field's content is kept: text people wrote, or who it is about. */
export type ProtectedKind = 'free-text' | 'subject';

/**
 * Retention classes, each gallrad by calendar year: the year in Swedish local time of the
 * event's `occurredAt` (when it happened, not when it was stored, so a late entry is gallrad
 * with its year).
 */
export type RetentionClass = 'prevention-talks' | 'restricted-reports' | 'read-access-log';

export const RETENTION_CLASSES: readonly RetentionClass[] = [
  'prevention-talks',
  'restricted-reports',
  'read-access-log',
];

/** Why protected content can no longer be read: a key it was bound to was destroyed. */
export type DestructionReason = 'erased' | 'redacted' | 'expired';

/** What a reader sees in place of destroyed content, by why it was destroyed. */
export const DESTROYED_CONTENT_MARKERS: Readonly<Record<DestructionReason, string>> = {
  /** The data subject (or a person named in the text) was erased (GDPR art. 17). */
  erased: '[raderad]',
  /** A correction removed the earlier text. */
  redacted: '[borttagen vid rättelse]',
  /** The retention period ended (gallring). */
  expired: '[gallrad]',
};

/**
 * The read-access log's event: appended by the API for each read of restricted or personal data
 * (apps/api/src/access/read-access-log.ts), in a stream per day. Declared here so its personal
 * fields are decided with the domain's.
 */
export const READ_ACCESS_LOG_EVENT_TYPE = 'RestrictedDataRead';
export type RestrictedDataRead = DomainEvent<
  typeof READ_ACCESS_LOG_EVENT_TYPE,
  {
    readonly streamId: string;
    readonly resourceKind: string;
    readonly ground: string;
    /** Why the reader read it, in their own words. */
    readonly purpose: string;
    readonly legalGround?: string;
  }
>;

/** The store's record of its one-time encryption of fields stored before (event-store). */
export type LogPersonalFieldsEncrypted = DomainEvent<
  'LogPersonalFieldsEncrypted',
  { readonly eventsEncrypted: number; readonly streamsRelinked: number }
>;

/** Every event type that is stored: the inventory below must decide each one. */
type StoredEvent =
  | PartnershipEvent
  | CitizenPromiseEvent
  | PlacesEvent
  | PreventionTalkEvent
  | SafetyWalkEvent
  | FindingEvent
  | SituationReportEvent
  | SituationPictureEvent
  | EstReportersEvent
  | EstCountsEvent
  | RestrictedDataRead
  | PersonalDataErased
  | LogPersonalFieldsEncrypted
  | RetentionApplied;

/** Paths to the text leaves of a data shape, an array as `[]`: `findings[].description`. */
type TextPathSuffix<T> = T extends string
  ? ''
  : T extends readonly (infer Item)[]
    ? `[]${TextPathSuffix<Item>}`
    : T extends object
      ? { [K in keyof T & string]-?: `.${K}${TextPathSuffix<NonNullable<T[K]>>}` }[keyof T & string]
      : never;
type WithoutLeadingDot<S> = S extends `.${infer Path}` ? Path : never;
export type TextPath<Data> = WithoutLeadingDot<TextPathSuffix<Data>>;

export interface PersonalFields<Data = Readonly<Record<string, unknown>>> {
  /** Free text people wrote. */
  readonly freeText: readonly TextPath<Data>[];
  /** The data subject's reference, where the event names one. */
  readonly subjectRef?: TextPath<Data>;
  /** The retention class of every event of the type, or of those whose data says so. */
  readonly retention?: RetentionClass | ((data: Data) => RetentionClass | undefined);
}

/** Decided: the type holds nothing about a person (see the inventory for why, per type). */
export const NO_PERSONAL_DATA = 'no personal data';

type Decision<Data> = typeof NO_PERSONAL_DATA | PersonalFields<Data>;

/** Keyed by every stored type, so adding an event type without deciding does not compile. */
type Inventory = { readonly [E in StoredEvent as E['type']]: Decision<E['data']> };

const TALKS = 'prevention-talks';

/** A report marked restricted (`sensitivity`) is kept only for its retention period. */
const restrictedReport = (data: { readonly sensitivity: string }): RetentionClass | undefined =>
  data.sensitivity === 'restricted' ? 'restricted-reports' : undefined;

export const PERSONAL_FIELDS_INVENTORY: Inventory = {
  // Partnership: organisations' names, pseudonymous user ids and role codes.
  PartnershipFormed: NO_PERSONAL_DATA,
  AgencyJoined: NO_PERSONAL_DATA,
  UserRoleGranted: NO_PERSONAL_DATA,
  UserRoleRevoked: { freeText: ['reason'] },

  // The promise's own texts are published; the work recorded under it is not.
  PromiseDrafted: NO_PERSONAL_DATA,
  PromiseSigned: NO_PERSONAL_DATA,
  PromiseRevised: NO_PERSONAL_DATA,
  FollowUpScheduled: NO_PERSONAL_DATA,
  FollowUpReported: { freeText: ['summary', 'proposals'] },
  CommitmentActivityRecorded: { freeText: ['outcome'] },
  CommitmentActivityCorrected: { freeText: ['outcome', 'reason'] },
  CommitmentActivityWithdrawn: { freeText: ['reason'] },
  CommitmentCredited: NO_PERSONAL_DATA,
  CommitmentCreditWithdrawn: { freeText: ['reason'] },

  // Places: names, kinds and positions of places, never of people.
  PlaceRegistered: NO_PERSONAL_DATA,
  PlaceChanged: { freeText: ['reason'] },

  // Prevention talks: about one young person, bound to their key and kept for a period.
  PreventionTalkPlanned: {
    subjectRef: 'subjectRef',
    freeText: ['purpose', 'legalGround.preventivePurpose'],
    retention: TALKS,
  },
  PreventionTalkParticipantsChanged: { freeText: ['reason'], retention: TALKS },
  ConsentRecorded: { freeText: ['scope'], retention: TALKS },
  ConsentWithdrawn: { freeText: ['reason'], retention: TALKS },
  PreventionTalkHeld: { freeText: ['outcome', 'agreedFollowUp[].action'], retention: TALKS },
  PreventionTalkFollowedUp: { freeText: ['notes'], retention: TALKS },

  // Safety walks: residents are counted, never named; findings are described in free text.
  SafetyWalkPlanned: NO_PERSONAL_DATA,
  SafetyWalkConducted: { freeText: ['findings[].description'] },
  FindingReassigned: { freeText: ['reason'] },
  FindingAddressed: { freeText: ['action'] },
  FindingReported: { freeText: ['description'] },

  // Situation picture: places and trends, but descriptions can point at a person.
  SituationReported: { freeText: ['description'], retention: restrictedReport },
  SituationReportCorrected: { freeText: ['description', 'reason'], retention: restrictedReport },
  // A retraction does not restate the sensitivity: its reason has its record key only.
  SituationReportRetracted: { freeText: ['reason'] },
  SituationPictureConfirmed: { freeText: ['summary'] },
  EstReporterAssigned: NO_PERSONAL_DATA,
  EstReporterUnassigned: { freeText: ['reason'] },
  EstCountsReported: NO_PERSONAL_DATA,
  EstCountsCorrected: { freeText: ['reason'] },

  // The read-access log: who read is in the envelope; why, in the reader's words, is here.
  RestrictedDataRead: { freeText: ['purpose'], retention: 'read-access-log' },
  // Which events were erased and why: the reason is the DPO's own text.
  PersonalDataErased: { freeText: ['reason'] },
  // Counts only.
  LogPersonalFieldsEncrypted: NO_PERSONAL_DATA,
  // What a gallring did: classes, years and counts, appended by the system.
  RetentionApplied: NO_PERSONAL_DATA,
};

/**
 * Every event of a talk's stream is about its young person, whatever its type (a credit
 * withdrawn from a talk too): bound to the subject's key and kept as long as the talk.
 */
export const SUBJECT_STREAM_PREFIX = preventionTalkStream('');

/** One step of a path into event data: a property name or an array index. */
export type PathStep = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A concrete path as text: `agreedFollowUp[0].action`. A name that is no identifier is quoted
 * (`["a.b"]`), so two different places never print as the same path: the path is part of what
 * a ciphertext is bound to.
 */
export function pathText(steps: readonly PathStep[]): string {
  let text = '';
  for (const step of steps) {
    if (typeof step === 'number') text += `[${step}]`;
    else if (IDENTIFIER.test(step)) text += text === '' ? step : `.${step}`;
    else text += `[${JSON.stringify(step)}]`;
  }
  return text;
}

export interface ProtectedLeaf {
  /** With array indices: `findings[1].description`. */
  readonly path: string;
  readonly steps: readonly PathStep[];
  readonly kind: ProtectedKind;
  readonly value: string;
}

export interface PersonalFieldsFound {
  /** The protected leaves present in the data, in the inventory's order (the subject first). */
  readonly leaves: readonly ProtectedLeaf[];
  /** The data subject the event itself names, if it names one. */
  readonly subjectRef: string | undefined;
  /** True when the event is about a data subject: it names one, or it is in a talk's stream. */
  readonly aboutSubject: boolean;
  readonly retention: RetentionClass | undefined;
}

type Data = Readonly<Record<string, unknown>>;
type Declaration = PersonalFields<Data>;

const DECLARATIONS = new Map<string, Declaration | typeof NO_PERSONAL_DATA>(
  Object.entries(PERSONAL_FIELDS_INVENTORY) as [string, Declaration | typeof NO_PERSONAL_DATA][],
);

/** The decision for a type: its personal fields, 'no personal data', or undefined if unknown. */
export function personalFieldsDeclaration(
  type: string,
): Declaration | typeof NO_PERSONAL_DATA | undefined {
  return DECLARATIONS.get(type);
}

/**
 * The protected leaves of one event in its current schema, and what binds them: the subject and
 * the retention class. A type the inventory does not know (a test's, another system's) has none;
 * every domain type is decided (the spec fails otherwise). `streamId`, where known, adds what
 * the stream implies (a talk's stream: its subject and retention).
 */
export function personalFieldsOf(type: string, data: Data, streamId?: string): PersonalFieldsFound {
  const declared = DECLARATIONS.get(type);
  const inSubjectStream = streamId?.startsWith(SUBJECT_STREAM_PREFIX) ?? false;
  const streamRetention: RetentionClass | undefined = inSubjectStream ? TALKS : undefined;
  if (declared === undefined || declared === NO_PERSONAL_DATA) {
    return {
      leaves: [],
      subjectRef: undefined,
      aboutSubject: inSubjectStream,
      retention: streamRetention,
    };
  }
  const leaves: ProtectedLeaf[] = [];
  if (declared.subjectRef !== undefined) collect(data, declared.subjectRef, 'subject', leaves);
  for (const path of declared.freeText) collect(data, path, 'free-text', leaves);
  const subjectRef = leaves.find((leaf) => leaf.kind === 'subject')?.value;
  const retention =
    typeof declared.retention === 'function' ? declared.retention(data) : declared.retention;
  return {
    leaves,
    subjectRef,
    aboutSubject: subjectRef !== undefined || inSubjectStream,
    retention: retention ?? streamRetention,
  };
}

/** The year an event's retention period counts from: its calendar year in Sweden. */
export function retentionYear(occurredAt: Date): number {
  return Number(swedishDate(occurredAt).slice(0, 4));
}

interface PatternStep {
  readonly name: string;
  readonly eachItem: boolean;
}

const PATTERNS = new Map<string, readonly PatternStep[]>();

function patternSteps(pattern: string): readonly PatternStep[] {
  let steps = PATTERNS.get(pattern);
  if (!steps) {
    steps = pattern.split('.').map((part) => ({
      name: part.endsWith('[]') ? part.slice(0, -2) : part,
      eachItem: part.endsWith('[]'),
    }));
    PATTERNS.set(pattern, steps);
  }
  return steps;
}

/** Every string the pattern reaches; absent optional fields and non-strings are skipped. */
function collect(data: Data, pattern: string, kind: ProtectedKind, out: ProtectedLeaf[]): void {
  const steps = patternSteps(pattern);
  const walk = (value: unknown, at: number, path: PathStep[]): void => {
    if (at === steps.length) {
      if (typeof value === 'string') out.push({ path: pathText(path), steps: path, kind, value });
      return;
    }
    if (!isPlainRecord(value)) return;
    const { name, eachItem } = steps[at]!;
    if (!Object.hasOwn(value, name)) return;
    const child = value[name];
    if (!eachItem) return walk(child, at + 1, [...path, name]);
    if (!Array.isArray(child)) return;
    child.forEach((item: unknown, index) => walk(item, at + 1, [...path, name, index]));
  };
  walk(data, 0, []);
}

function isPlainRecord(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
