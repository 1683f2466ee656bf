import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { uuidv7 } from '@samverkan/shared/ids';
import { DataKeyMissingError, type DataKey, type KeyState } from './data-keys.port';
import {
  checkedEnvelope,
  isEnvelope,
  openField,
  ProtectedFieldError,
  sealField,
  type ProtectedEnvelope,
} from './field-cipher';

const newKey = (): DataKey => ({ keyId: uuidv7(), key: randomBytes(32) });
const record = newKey();
const subject = newKey();
const period = newKey();
const at = { eventId: '0190a6c0-0000-7000-8000-000000000001', path: 'outcome' };

const live = (...keys: DataKey[]): Map<string, KeyState> =>
  new Map(keys.map((k) => [k.keyId, { state: 'live', key: k.key }]));
const destroyed = (reason: 'erased' | 'redacted' | 'expired'): KeyState => ({
  state: 'destroyed',
  reason,
  destroyedAt: new Date('2030-01-01T00:00:00Z'),
});

describe('a protected field', () => {
  it('opens to the text it sealed, under the same keys, event and path', () => {
    const text = 'Överenskommelse: kontakt med fritidsgården 🙂';
    const envelope = sealField(text, [record, subject, period], at);
    expect(envelope.$protected).toBe(1);
    expect(envelope.k).toEqual([record.keyId, subject.keyId, period.keyId]);
    expect(Buffer.from(envelope.n, 'base64')).toHaveLength(12);
    expect(JSON.stringify(envelope)).not.toContain('fritidsgården');
    expect(openField(envelope, live(record, subject, period), at)).toEqual({ text });
  });

  it('opens envelopes sealed as the format defines them, so logs written earlier stay readable', () => {
    // Sealed here by the definition, not by sealField: AES-256-GCM, the content key a single
    // key itself or HKDF-SHA256 over the keys (salt the version, info the ids as JSON), and the
    // additional data JSON.stringify([version, event id, path, key ids]).
    const seal = (text: string, keys: DataKey[], binding: { eventId: string; path: string }) => {
      const ids = keys.map((k) => k.keyId);
      const key =
        keys.length === 1
          ? keys[0]!.key
          : Buffer.from(
              hkdfSync(
                'sha256',
                Buffer.concat(keys.map((k) => k.key)),
                Buffer.from('samverkan.field.v1'),
                JSON.stringify(ids),
                32,
              ),
            );
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(
        Buffer.from(JSON.stringify(['samverkan.field.v1', binding.eventId, binding.path, ids])),
      );
      const c = Buffer.concat([cipher.update(text, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return { $protected: 1, k: ids, n: iv.toString('base64'), c: c.toString('base64') };
    };
    const odd = { eventId: at.eventId, path: 'findings[2]["note \\"x\\"\u00e5"]' };
    for (const [keys, binding] of [
      [[record], at],
      [[record, subject, period], at],
      [[record, subject], odd],
    ] as const) {
      const text = 'Samtal med vårdnadshavare "ä" \\ 🙂';
      expect(openField(seal(text, [...keys], binding), live(...keys), binding)).toEqual({ text });
    }
  });

  it('property: any text round-trips, and no two seals of it are alike', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const a = sealField(text, [record], at);
        const b = sealField(text, [record], at);
        expect(a.c === b.c && a.n === b.n).toBe(false);
        expect(openField(JSON.parse(JSON.stringify(a)), live(record), at)).toEqual({ text });
      }),
    );
  });

  it.each([
    ['the record key', 0, 'redacted'],
    ['the subject key', 1, 'erased'],
    ['the period key', 2, 'expired'],
  ] as const)('given %s destroyed, then it tells why instead of the text', (_, index, reason) => {
    const keys = [record, subject, period];
    const envelope = sealField('text', keys, at);
    const states = live(...keys);
    states.set(keys[index]!.keyId, destroyed(reason));
    expect(openField(envelope, states, at)).toEqual({ destroyed: reason });
  });

  it('given several keys destroyed, then the reason of the first in the envelope', () => {
    const envelope = sealField('text', [record, subject, period], at);
    const states = live(record, subject, period);
    states.set(subject.keyId, destroyed('erased'));
    states.set(period.keyId, destroyed('expired'));
    expect(openField(envelope, states, at)).toEqual({ destroyed: 'erased' });
  });

  it('derives from every listed key: the text does not open with any one of them replaced', () => {
    const envelope = sealField('text', [record, subject, period], at);
    for (const replaced of [record, subject, period]) {
      const states = live(record, subject, period);
      states.set(replaced.keyId, { state: 'live', key: randomBytes(32) });
      expect(() => openField(envelope, states, at)).toThrow(ProtectedFieldError);
    }
  });

  it('is bound to its event and field: moved elsewhere, it does not open', () => {
    const envelope = sealField('text', [record], at);
    expect(() => openField(envelope, live(record), { ...at, path: 'reason' })).toThrow(
      new ProtectedFieldError(
        { ...at, path: 'reason' },
        'does not decrypt: it was altered, or moved from another event or field',
      ),
    );
    expect(() =>
      openField(envelope, live(record), { ...at, eventId: '0190a6c0-0000-7000-8000-000000000002' }),
    ).toThrow(ProtectedFieldError);
  });

  it('throws when altered: ciphertext, IV, the order or list of keys', () => {
    const envelope = sealField('text', [record, subject], at);
    const keys = live(record, subject);
    const flip = (b64: string): string => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[0]! ^= 1;
      return bytes.toString('base64');
    };
    const altered: ProtectedEnvelope[] = [
      { ...envelope, c: flip(envelope.c) },
      { ...envelope, n: flip(envelope.n) },
      { ...envelope, k: [subject.keyId, record.keyId] },
    ];
    for (const e of altered) expect(() => openField(e, keys, at)).toThrow(ProtectedFieldError);
    expect(() => openField({ ...envelope, k: [record.keyId] }, keys, at)).toThrow(
      ProtectedFieldError,
    );
  });

  it.each([
    ['another version', { $protected: 2 }, 'has an unknown envelope version'],
    ['an extra field', { extra: 'x' }, 'has other fields than $protected, k, n and c'],
    ['no keys', { k: [] }, 'lists no valid key ids'],
    ['a key id that is no UUID', { k: ["x' or 1=1"] }, 'lists no valid key ids'],
    ['a key listed twice', { k: [record.keyId, record.keyId] }, 'lists no valid key ids'],
    ['a short IV', { n: 'AAAA' }, 'has a malformed IV'],
    ['an IV that is not base64', { n: '!!!!!!!!!!!!!!!!' }, 'has a malformed IV'],
    ['no ciphertext', { c: '' }, 'has a malformed ciphertext'],
    ['a number for ciphertext', { c: 7 }, 'has a malformed ciphertext'],
  ])('refuses an envelope with %s', (_, change, problem) => {
    const envelope = { ...sealField('text', [record], at), ...change };
    expect(() => openField(envelope, live(record), at)).toThrow(
      `Protected field outcome of event ${at.eventId} ${problem}`,
    );
  });

  it('refuses what is not an envelope, and tells an envelope by its mark alone', () => {
    expect(() => checkedEnvelope('text', at)).toThrow('is not an envelope');
    expect(() => checkedEnvelope([{ $protected: 1 }], at)).toThrow('is not an envelope');
    expect(isEnvelope({ $protected: null })).toBe(true);
    expect(isEnvelope(Object.create({ $protected: 1 }))).toBe(false);
    expect(isEnvelope(null)).toBe(false);
  });

  it('names the key ids that were never loaded', () => {
    const envelope = sealField('text', [record, subject], at);
    expect(() => openField(envelope, live(record), at)).toThrow(
      new DataKeyMissingError([subject.keyId]),
    );
  });

  it('shows no text and no key in an error', () => {
    const envelope = sealField('hemlig text', [record], at);
    const errors: string[] = [];
    for (const attempt of [
      () => openField({ ...envelope, c: envelope.c.slice(4) }, live(record), at),
      () => openField(envelope, live({ keyId: record.keyId, key: randomBytes(32) }), at),
      () => sealField('hemlig text', [], at),
    ]) {
      try {
        attempt();
      } catch (error) {
        errors.push(String(error));
      }
    }
    expect(errors).toHaveLength(3);
    for (const shown of errors) {
      expect(shown).not.toContain('hemlig');
      expect(shown).not.toContain(record.key.toString('base64'));
    }
  });
});
