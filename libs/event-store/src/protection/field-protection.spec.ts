import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  personalFieldsDeclaration,
  READ_ACCESS_LOG_EVENT_TYPE,
  type DestructionReason,
  type RetentionClass,
} from '@samverkan/domain/personal-fields';
import { InvalidInputError } from '@samverkan/shared/errors';
import { uuidv7 } from '@samverkan/shared/ids';
import type { JsonObject } from '../event-store.port';
import {
  type DataKey,
  DataKeyDestroyedError,
  type DataKeyKind,
  DataKeyMissingError,
  type DataKeys,
  type DestroyedPeriod,
  type KeyState,
} from './data-keys.port';
import { ProtectedFieldError, sealField, type ProtectedEnvelope } from './field-cipher';
import {
  envelopesOf,
  type EventToProtect,
  FieldProtection,
  keyIdsOf,
  recordKeyIdsOf,
  withholdProtected,
} from './field-protection';

interface StoredKey {
  readonly kind: DataKeyKind;
  readonly scope: string | undefined;
  readonly key: Buffer;
  destroyed?: DestructionReason;
}

/** The key port in memory, with every call recorded (to count them). */
class InMemoryDataKeys implements DataKeys {
  readonly calls: string[] = [];
  readonly keys = new Map<string, StoredKey>();
  private readonly streams = new Map<string, string>();

  start = (): Promise<void> => Promise.resolve();

  takeRecordKeys(count: number): Promise<DataKey[]> {
    this.calls.push(`takeRecordKeys(${count})`);
    return Promise.resolve(Array.from({ length: count }, () => this.make('record', undefined)));
  }

  subjectKey(subjectRef: string, streamId?: string): Promise<DataKey> {
    this.calls.push('subjectKey');
    const key = this.liveScoped('subject', `digest(${subjectRef})`);
    if (streamId !== undefined && !this.streams.has(streamId)) {
      this.streams.set(streamId, key.keyId);
    }
    return Promise.resolve(key);
  }

  subjectKeyOfStream(streamId: string): Promise<DataKey | undefined> {
    this.calls.push('subjectKeyOfStream');
    const keyId = this.streams.get(streamId);
    if (keyId === undefined) return Promise.resolve(undefined);
    const stored = this.keys.get(keyId)!;
    if (stored.destroyed) return Promise.reject(new DataKeyDestroyedError('subject', 'erased'));
    return Promise.resolve({ keyId, key: stored.key });
  }

  periodKey(retention: RetentionClass, year: number): Promise<DataKey> {
    this.calls.push(`periodKey(${retention}:${year})`);
    return Promise.resolve(this.liveScoped('period', `${retention}:${year}`));
  }

  load(keyIds: readonly string[]): Promise<ReadonlyMap<string, KeyState>> {
    this.calls.push('load');
    const missing = keyIds.filter((id) => !this.keys.has(id));
    if (missing.length > 0) return Promise.reject(new DataKeyMissingError(missing));
    const states = new Map<string, KeyState>();
    for (const id of keyIds) {
      const k = this.keys.get(id)!;
      states.set(
        id,
        k.destroyed
          ? { state: 'destroyed', reason: k.destroyed, destroyedAt: new Date(0) }
          : { state: 'live', key: k.key },
      );
    }
    return Promise.resolve(states);
  }

  destroy(keyIds: readonly string[], reason: DestructionReason): Promise<number> {
    let n = 0;
    for (const id of keyIds) {
      const k = this.keys.get(id);
      if (k && !k.destroyed) {
        k.destroyed = reason;
        n++;
      }
    }
    return Promise.resolve(n);
  }

  destroySubject(subjectRef: string): Promise<number> {
    const ids = [...this.keys].filter(([, k]) => k.scope === `digest(${subjectRef})`);
    return this.destroy(
      ids.map(([id]) => id),
      'erased',
    );
  }

  destroyPeriodsBefore(retention: RetentionClass, year: number): Promise<DestroyedPeriod[]> {
    const gone: DestroyedPeriod[] = [];
    for (const [keyId, k] of this.keys) {
      const [cls, y] = (k.scope ?? '').split(':');
      if (k.kind === 'period' && cls === retention && Number(y) < year && !k.destroyed) {
        k.destroyed = 'expired';
        gone.push({ keyId, retention, year: Number(y) });
      }
    }
    return Promise.resolve(gone);
  }

  rewrap = (): Promise<number> => Promise.resolve(0);
  close = (): Promise<void> => Promise.resolve();

  kindsOf(keyIds: readonly string[]): string[] {
    return keyIds.map((id) => {
      const k = this.keys.get(id)!;
      return k.scope === undefined ? k.kind : `${k.kind}:${k.scope}`;
    });
  }

  private liveScoped(kind: DataKeyKind, scope: string): DataKey {
    const found = [...this.keys].find(([, k]) => k.scope === scope && !k.destroyed);
    return found ? { keyId: found[0], key: found[1].key } : this.make(kind, scope);
  }

  private make(kind: DataKeyKind, scope: string | undefined): DataKey {
    const keyId = uuidv7();
    const key = randomBytes(32);
    this.keys.set(keyId, { kind, scope, key });
    return { keyId, key };
  }
}

const at = (iso: string) => new Date(iso);
const event = (
  type: string,
  data: JsonObject,
  streamId?: string,
  occurredAt = at('2024-10-01T10:00:00Z'),
): EventToProtect => ({
  eventId: uuidv7(),
  type,
  data,
  occurredAt,
  ...(streamId === undefined ? {} : { streamId }),
});

const TALK = 'prevention-talk-t1';
const planned = event(
  'PreventionTalkPlanned',
  {
    talkId: 't1',
    subjectRef: 'SOC-2024-0042',
    plannedFor: '2024-10-01',
    participants: [{ agency: 'police', role: 'officer' }],
    purpose: 'Oro för droger',
    legalGround: {
      basis: 'osl-10-18a',
      subjectUnder21: true,
      preventivePurpose: 'Förhindra brott',
    },
  },
  TALK,
);
const held = event(
  'PreventionTalkHeld',
  {
    heldOn: '2024-10-08',
    participants: [],
    guardiansPresent: true,
    outcome: 'Kontakt med fritidsgården',
    agreedFollowUp: [
      { action: 'Anmälan till fotbollsklubb', responsibleAgency: 'leisure', dueOn: '2024-11-01' },
      { action: 'Uppföljande samtal', responsibleAgency: 'social-services', dueOn: '2024-12-01' },
    ],
  },
  TALK,
  at('2024-10-08T09:00:00Z'),
);
const openReport = event(
  'SituationReported',
  {
    reportId: 'r1',
    reportingAgency: 'police',
    placeIds: ['pl-1'],
    problemArea: 'vandalism-burglary',
    period: { from: '2024-09-01', to: '2024-09-30' },
    trend: 'rising',
    severity: 'medium',
    description: 'Klotter vid båthamnen',
    source: 'own-observation',
    sensitivity: 'open',
    sharedWith: [],
  },
  'situation-report-r1',
);
const promiseDrafted = event('PromiseDrafted', { promiseId: 'p1', title: 'Medborgarlöfte' });

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

const envelopeAt = (data: JsonObject, ...steps: (string | number)[]): ProtectedEnvelope =>
  steps.reduce<unknown>(
    (v, s) => (v as Record<string | number, unknown>)[s],
    data,
  ) as ProtectedEnvelope;

const ROOT = join(__dirname, '../../../..');

/** Every `DomainEvent<'Type', …>` declared in a context's events file, read from the source. */
function declaredEventTypes(): string[] {
  const domain = join(ROOT, 'libs/domain/src');
  const types: string[] = [];
  for (const context of readdirSync(domain, { withFileTypes: true })) {
    if (!context.isDirectory()) continue;
    for (const file of readdirSync(join(domain, context.name))) {
      if (!file.endsWith('.events.ts')) continue;
      const source = readFileSync(join(domain, context.name, file), 'utf8');
      for (const m of source.matchAll(/DomainEvent<\s*'([A-Za-z0-9]+)'/g)) types.push(m[1]!);
    }
  }
  return types;
}

// Here rather than in the domain (which reads no files): what the store protects must cover
// every event the domain declares, including those of a context added later.
describe('the personal fields inventory covers every stored event', () => {
  it('rule: every event type declared in an events file of the domain is decided, personal data or not', () => {
    const declared = declaredEventTypes();
    expect(declared.length).toBeGreaterThan(30);
    expect(declared.filter((type) => personalFieldsDeclaration(type) === undefined)).toEqual([]);
  });

  it('rule: the read-access log event is decided under the name the API appends it with', () => {
    const source = readFileSync(join(ROOT, 'apps/api/src/access/read-access-log.ts'), 'utf8');
    expect(source).toContain(`type: '${READ_ACCESS_LOG_EVENT_TYPE}'`);
    expect(personalFieldsDeclaration(READ_ACCESS_LOG_EVENT_TYPE)).toMatchObject({
      retention: 'read-access-log',
    });
  });
});

describe('field protection', () => {
  let keys: InMemoryDataKeys;
  let protection: FieldProtection;
  beforeEach(() => {
    keys = new InMemoryDataKeys();
    protection = new FieldProtection(keys);
  });

  describe('protect', () => {
    it('encrypts every personal leaf and nothing else, leaving the input untouched', async () => {
      const input = deepFreeze(structuredClone(held));
      const [data] = await protection.protect([input]);
      expect(input.data).toEqual(held.data);
      const text = JSON.stringify(data);
      for (const secret of ['fritidsgården', 'fotbollsklubb', 'Uppföljande']) {
        expect(text).not.toContain(secret);
      }
      expect(data).toMatchObject({
        heldOn: '2024-10-08',
        guardiansPresent: true,
        outcome: { $protected: 1 },
        agreedFollowUp: [
          { action: { $protected: 1 }, responsibleAgency: 'leisure', dueOn: '2024-11-01' },
          { action: { $protected: 1 }, responsibleAgency: 'social-services' },
        ],
      });
    });

    it('gives back the very object of an event with nothing to protect', async () => {
      const [drafted, report] = await protection.protect([promiseDrafted, openReport]);
      expect(drafted).toBe(promiseDrafted.data);
      expect(report).not.toBe(openReport.data);
      expect(await protection.protect([promiseDrafted])).toEqual([promiseDrafted.data]);
      expect(keys.calls).toEqual(['takeRecordKeys(1)']);
    });

    it('binds a planned talk to a record key of its own, the subject and the period of its year', async () => {
      const [data] = await protection.protect([planned]);
      const envelopes = envelopesOf(data!);
      expect(envelopes.map((e) => e.path)).toEqual([
        'subjectRef',
        'purpose',
        'legalGround.preventivePurpose',
      ]);
      const [first] = envelopes;
      expect(keys.kindsOf(first!.keyIds)).toEqual([
        'record',
        'subject:digest(SOC-2024-0042)',
        'period:prevention-talks:2024',
      ]);
      // One event, one record key: every field of it shares the event's keys.
      for (const e of envelopes) expect(e.keyIds).toEqual(first!.keyIds);
    });

    it("binds a later event of the talk to the talk's subject through its stream", async () => {
      const [plannedData] = await protection.protect([planned]);
      const [heldData] = await protection.protect([held]);
      const subjectKey = envelopesOf(plannedData!)[0]!.keyIds[1];
      const heldKeys = envelopesOf(heldData!)[0]!.keyIds;
      expect(heldKeys[1]).toBe(subjectKey);
      expect(heldKeys[0]).not.toBe(envelopesOf(plannedData!)[0]!.keyIds[0]);
      expect(keys.calls).toContain('subjectKeyOfStream');
    });

    it('given the planning and more of the talk in one append, then they share the subject without asking for the stream', async () => {
      const [p, h] = await protection.protect([planned, held]);
      expect(envelopesOf(h!)[0]!.keyIds[1]).toBe(envelopesOf(p!)[0]!.keyIds[1]);
      expect(keys.calls).not.toContain('subjectKeyOfStream');
    });

    it('given a talk planned before protection (its stream never bound), then its later events have record and period keys only', async () => {
      const [data] = await protection.protect([held]);
      expect(keys.kindsOf(envelopesOf(data!)[0]!.keyIds)).toEqual([
        'record',
        'period:prevention-talks:2024',
      ]);
    });

    it("refuses to write more about an erased subject on the talk's stream", async () => {
      await protection.protect([planned]);
      await keys.destroySubject('SOC-2024-0042');
      await expect(protection.protect([held])).rejects.toEqual(
        new DataKeyDestroyedError('subject', 'erased'),
      );
    });

    it.each([
      ['an open report', openReport, ['record']],
      [
        'a restricted report',
        { ...openReport, data: { ...openReport.data, sensitivity: 'restricted' } },
        ['record', 'period:restricted-reports:2024'],
      ],
      [
        'a read of restricted data, on New Year’s Eve at 23:30 UTC (the next year in Sweden)',
        event(
          'RestrictedDataRead',
          { streamId: TALK, resourceKind: 'prevention-talk', ground: 'x', purpose: 'SSPF-möte' },
          'read-access-2024-12-31',
          at('2024-12-31T23:30:00Z'),
        ),
        ['record', 'period:read-access-log:2025'],
      ],
      [
        'a credit withdrawn from a talk',
        event('CommitmentCreditWithdrawn', { workId: 't1', reason: 'Fel' }, TALK),
        ['record', 'period:prevention-talks:2024'],
      ],
    ])('given %s, then its fields are bound to its keys', async (_, given, kinds) => {
      const [data] = await protection.protect([given]);
      expect(keys.kindsOf(envelopesOf(data!)[0]!.keyIds)).toEqual(kinds);
    });

    it('asks for the keys of a whole batch at once: one pool take, one key per scope', async () => {
      const many = Array.from({ length: 10 }, (_, i) =>
        event('ConsentRecorded', { consentId: `c${i}`, scope: `omfattning ${i}` }, TALK),
      );
      await protection.protect([planned]);
      keys.calls.splice(0);
      const out = await protection.protect([promiseDrafted, ...many]);
      expect(keys.calls.sort()).toEqual([
        'periodKey(prevention-talks:2024)',
        'subjectKeyOfStream',
        'takeRecordKeys(10)',
      ]);
      const recordKeys = out.slice(1).map((d) => envelopesOf(d)[0]!.keyIds[0]);
      expect(new Set(recordKeys).size).toBe(10);
    });

    it("refuses data that carries the envelope's mark of its own, naming where", async () => {
      const forged = event('FindingReported', {
        description: 'x',
        extra: [{ nested: { $protected: 1, k: [], n: '', c: '' } }],
      });
      await expect(protection.protect([promiseDrafted, forged])).rejects.toEqual(
        new InvalidInputError('EVENT_STORE.INVALID_APPEND', [
          {
            path: 'events[1].data.extra[0].nested',
            reason: "holds a '$protected' key, which marks encrypted fields",
          },
        ]),
      );
      expect(keys.calls).toEqual([]);
    });
  });

  describe('reveal', () => {
    it('gives back what was protected, for every kind of event', async () => {
      const events = [planned, held, openReport, promiseDrafted];
      const stored = await protection.protect(events);
      keys.calls.splice(0);
      const revealed = await protection.reveal(
        events.map((e, i) => ({ eventId: e.eventId, data: stored[i]! })),
      );
      expect(revealed).toEqual(events.map((e) => e.data));
      expect(keys.calls).toEqual(['load']);
      expect(revealed[3]).toBe(promiseDrafted.data);
    });

    it('property: any text in any protected field comes back as written', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 4 }),
          async (texts) => {
            const given = event('SafetyWalkConducted', {
              conductedOn: '2024-05-02',
              findings: texts.map((description, i) => ({ findingId: `f${i}`, description })),
            });
            const [stored] = await protection.protect([given]);
            const [back] = await protection.reveal([{ eventId: given.eventId, data: stored! }]);
            expect(back).toEqual(given.data);
          },
        ),
        { numRuns: 50 },
      );
    });

    it('shows the marker of why in place of destroyed content: a correction, an erasure, a gallring', async () => {
      const stored = await protection.protect([planned, held, openReport]);
      const read = () =>
        protection.reveal(
          [planned, held, openReport].map((e, i) => ({ eventId: e.eventId, data: stored[i]! })),
        );

      // A correction redacts the report's earlier text: its record key alone.
      await keys.destroy([envelopesOf(stored[2]!)[0]!.keyIds[0]!], 'redacted');
      const [before, , r] = await read();
      expect(r).toMatchObject({ description: '[borttagen vid rättelse]', reportId: 'r1' });
      expect(before).toEqual(planned.data);

      // Erasure of the young person: every field of the talk, the reference too.
      await keys.destroySubject('SOC-2024-0042');
      const [p, h] = await read();
      expect(p).toMatchObject({
        subjectRef: '[raderad]',
        purpose: '[raderad]',
        legalGround: { basis: 'osl-10-18a', preventivePurpose: '[raderad]' },
        plannedFor: '2024-10-01',
      });
      expect(h).toMatchObject({
        outcome: '[raderad]',
        agreedFollowUp: [{ action: '[raderad]', dueOn: '2024-11-01' }, { action: '[raderad]' }],
      });
    });

    it('shows content past its retention as gallrad', async () => {
      const [stored] = await protection.protect([held]);
      await keys.destroyPeriodsBefore('prevention-talks', 2025);
      const [back] = await protection.reveal([{ eventId: held.eventId, data: stored! }]);
      expect(back).toMatchObject({ outcome: '[gallrad]', heldOn: '2024-10-08' });
    });

    it('opens envelopes wherever they are, whatever the schema version', async () => {
      const eventId = uuidv7();
      const [record] = await keys.takeRecordKeys(1);
      const legacy: JsonObject = {
        area: 'Skoghall',
        notes: [{ text: sealField('äldre text', [record!], { eventId, path: 'notes[0].text' }) }],
        weird: { 'a.b': sealField('udda', [record!], { eventId, path: 'weird["a.b"]' }) },
      } as unknown as JsonObject;
      const [back] = await protection.reveal([{ eventId, data: legacy }]);
      expect(back).toEqual({
        area: 'Skoghall',
        notes: [{ text: 'äldre text' }],
        weird: { 'a.b': 'udda' },
      });
    });

    it('refuses an envelope moved to another event or another field', async () => {
      const [a, b] = [
        event('FindingReported', { description: 'A', reason: 'x' }),
        event('FindingReported', { description: 'B' }),
      ];
      const [sa, sb] = await protection.protect([a, b]);
      const moved = { ...sb!, description: sa!['description']! };
      await expect(protection.reveal([{ eventId: b.eventId, data: moved }])).rejects.toThrow(
        ProtectedFieldError,
      );
      const sideways = { ...sa!, other: sa!['description']! };
      await expect(protection.reveal([{ eventId: a.eventId, data: sideways }])).rejects.toThrow(
        `Protected field other of event ${a.eventId} does not decrypt`,
      );
    });

    it('fails when a key was never created, rather than show anything', async () => {
      const eventId = uuidv7();
      const orphan = sealField('x', [{ keyId: uuidv7(), key: randomBytes(32) }], {
        eventId,
        path: 'description',
      });
      await expect(
        protection.reveal([{ eventId, data: { description: orphan as unknown as string } }]),
      ).rejects.toThrow(DataKeyMissingError);
    });

    it('asks for no key when the batch holds no envelope', async () => {
      expect(await protection.reveal([{ eventId: uuidv7(), data: { a: 1 } }])).toEqual([{ a: 1 }]);
      expect(await protection.reveal([])).toEqual([]);
      expect(keys.calls).toEqual([]);
    });
  });

  describe('envelopes and the claim check', () => {
    it('lists the envelopes of an event with their keys, for erasure and redaction', async () => {
      const [stored] = await protection.protect([held]);
      const found = protection.envelopesOf(stored!, held.eventId);
      expect(found.map((e) => e.path)).toEqual([
        'outcome',
        'agreedFollowUp[0].action',
        'agreedFollowUp[1].action',
      ]);
      expect(keyIdsOf(stored!)).toEqual(found[0]!.keyIds);
      // A redaction destroys the record key alone, never the subject's or the period's.
      expect(recordKeyIdsOf(stored!)).toEqual([found[0]!.keyIds[0]]);
      expect(keys.kindsOf(recordKeyIdsOf(stored!))).toEqual(['record']);
      expect(envelopesOf({ plain: ['data'] })).toEqual([]);
      expect(() => envelopesOf({ x: { $protected: 9 } }, 'ev-1')).toThrow(
        'Protected field x of event ev-1 has an unknown envelope version',
      );
    });

    it('withholds protected fields as null with their paths, without a key, leaving the input untouched', async () => {
      const [stored] = await protection.protect([held]);
      deepFreeze(stored);
      keys.calls.splice(0);
      const { data, withheld } = withholdProtected(stored!);
      expect(withheld).toEqual(['outcome', 'agreedFollowUp[0].action', 'agreedFollowUp[1].action']);
      expect(data).toEqual({
        ...held.data,
        outcome: null,
        agreedFollowUp: [
          { action: null, responsibleAgency: 'leisure', dueOn: '2024-11-01' },
          { action: null, responsibleAgency: 'social-services', dueOn: '2024-12-01' },
        ],
      });
      expect(envelopeAt(stored!, 'outcome').$protected).toBe(1);
      expect(keys.calls).toEqual([]);
      // Fails closed: a malformed envelope is withheld too.
      expect(protection.withhold({ a: { $protected: 'junk' } })).toEqual({
        data: { a: null },
        withheld: ['a'],
      });
    });
  });

  it('writes nothing to the console, and shows no plaintext in its errors', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      jest.spyOn(console, m).mockImplementation(() => undefined),
    );
    try {
      const [stored] = await protection.protect([planned]);
      await protection.reveal([{ eventId: planned.eventId, data: stored! }]);
      const altered = {
        ...stored!,
        purpose: { ...envelopeAt(stored!, 'purpose'), c: 'AAAAAAAAAAAAAAAAAAAAAAAA' },
      };
      const error = await protection
        .reveal([{ eventId: planned.eventId, data: altered as unknown as JsonObject }])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProtectedFieldError);
      expect(String(error)).not.toMatch(/Oro för droger|SOC-2024-0042/);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
