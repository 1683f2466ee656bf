import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import { randomBytesFromPool } from './random-bytes';
import type { DestructionReason } from '@samverkan/domain/personal-fields';
import { type DataKey, DataKeyMissingError, type KeyState } from './data-keys.port';

/**
 * One protected string in event data, stored in its place:
 * `{"$protected":1,"k":["<record key>","<subject key>","<period key>"],"n":"<iv>","c":"<ct+tag>"}`
 * (`n` and `c` in base64; `k` lists one to three key ids). AES-256-GCM under a content key
 * derived with HKDF-SHA256 from all the listed keys, so destroying any one of them makes the
 * text unreadable. The additional data binds the ciphertext to its event id and field path: an
 * envelope copied into another event or field does not open there.
 */
export const ENVELOPE_MARK = '$protected';

export interface ProtectedEnvelope {
  readonly $protected: 1;
  /** Data key ids, in the order the content key is derived from them. */
  readonly k: readonly string[];
  /** The 12-byte IV, base64. */
  readonly n: string;
  /** Ciphertext and 16-byte tag, base64. */
  readonly c: string;
}

/** Where a field lives: part of what its ciphertext is bound to. */
export interface FieldBinding {
  readonly eventId: string;
  readonly path: string;
}

export type OpenedField =
  | { readonly text: string }
  /** A listed key was destroyed: why (the first destroyed key in the envelope's order). */
  | { readonly destroyed: DestructionReason };

/** A stored envelope was altered or is malformed: never read as data, never skipped. */
export class ProtectedFieldError extends Error {
  constructor(binding: FieldBinding, problem: string) {
    super(`Protected field ${binding.path} of event ${binding.eventId} ${problem}`);
    this.name = 'ProtectedFieldError';
  }
}

const VERSION = 'samverkan.field.v1';
const HKDF_SALT = Buffer.from(VERSION, 'utf8');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MAX_KEYS = 8;
/**
 * A UUID (subject and period keys, and record keys made before chunks), or a record key in a
 * chunk: `<chunk uuid>.<slot>`, the slot in decimal from 0 to 9999 without leading zeros, so that
 * one key has one id only.
 */
const KEY_ID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:\.(?:0|[1-9][0-9]{0,3}))?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Anything stored with the mark is taken for an envelope, so a malformed one fails loudly. */
export function isEnvelope(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.hasOwn(value, ENVELOPE_MARK)
  );
}

/** The envelope with its shape checked; throws ProtectedFieldError when it is not one. */
export function checkedEnvelope(value: unknown, binding: FieldBinding): ProtectedEnvelope {
  const fail = (problem: string): never => {
    throw new ProtectedFieldError(binding, problem);
  };
  if (!isEnvelope(value)) fail('is not an envelope');
  const e = value as Record<string, unknown>;
  if (e[ENVELOPE_MARK] !== 1) fail('has an unknown envelope version');
  const fields = Object.keys(e).sort().join(',');
  if (fields !== [ENVELOPE_MARK, 'c', 'k', 'n'].sort().join(',')) {
    fail('has other fields than $protected, k, n and c');
  }
  const { k, n, c } = e;
  if (
    !Array.isArray(k) ||
    k.length === 0 ||
    k.length > MAX_KEYS ||
    !k.every((id) => typeof id === 'string' && KEY_ID.test(id)) ||
    new Set(k).size !== k.length
  ) {
    fail('lists no valid key ids');
  }
  if (typeof n !== 'string' || !BASE64.test(n) || Buffer.from(n, 'base64').length !== IV_BYTES) {
    fail('has a malformed IV');
  }
  if (typeof c !== 'string' || !BASE64.test(c) || Buffer.from(c, 'base64').length < TAG_BYTES) {
    fail('has a malformed ciphertext');
  }
  return value as ProtectedEnvelope;
}

/** The field encrypted under a content key derived from every given key, in their order. */
export function sealField(
  plaintext: string,
  keys: readonly DataKey[],
  binding: FieldBinding,
): ProtectedEnvelope {
  if (keys.length === 0 || keys.length > MAX_KEYS) {
    throw new Error(`A protected field needs 1 to ${MAX_KEYS} data keys`);
  }
  const keyIds = keys.map((k) => k.keyId);
  const iv = randomBytesFromPool(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', contentKey(keys, keyIds), iv);
  cipher.setAAD(additionalData(binding, keyIds));
  // GCM is a stream mode: final() adds no bytes, and the tag follows the ciphertext.
  const encrypted = cipher.update(plaintext, 'utf8');
  cipher.final();
  return {
    $protected: 1,
    k: keyIds,
    n: iv.toString('base64'),
    c: Buffer.concat([encrypted, cipher.getAuthTag()]).toString('base64'),
  };
}

/**
 * The field's text, or why it can no longer be read. `keys` must hold every listed key
 * (DataKeyMissingError otherwise); an altered envelope throws ProtectedFieldError.
 */
export function openField(
  value: unknown,
  keys: ReadonlyMap<string, KeyState>,
  binding: FieldBinding,
): OpenedField {
  const envelope = checkedEnvelope(value, binding);
  const missing = envelope.k.filter((id) => !keys.has(id));
  if (missing.length > 0) throw new DataKeyMissingError(missing);
  const live: DataKey[] = [];
  for (const keyId of envelope.k) {
    const state = keys.get(keyId)!;
    if (state.state === 'destroyed') return { destroyed: state.reason };
    live.push({ keyId, key: state.key });
  }
  const sealed = Buffer.from(envelope.c, 'base64');
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      contentKey(live, envelope.k),
      Buffer.from(envelope.n, 'base64'),
    );
    decipher.setAAD(additionalData(binding, envelope.k));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return { text: plain.toString('utf8') };
  } catch {
    throw new ProtectedFieldError(
      binding,
      'does not decrypt: it was altered, or moved from another event or field',
    );
  }
}

function contentKey(keys: readonly DataKey[], keyIds: readonly string[]): Buffer {
  // One key (a record's own, used for nothing else) is a fresh random AES key already; HKDF is
  // for binding several, and costs more than the encryption of a field.
  if (keys.length === 1) return keys[0]!.key;
  const material = Buffer.concat(keys.map((k) => k.key));
  return Buffer.from(hkdfSync('sha256', material, HKDF_SALT, JSON.stringify(keyIds), 32));
}

/**
 * The JSON text of `[VERSION, eventId, path, keyIds]`, written out: the same bytes as
 * JSON.stringify of that array at a fraction of its cost, paid for every field sealed or opened.
 */
function additionalData(binding: FieldBinding, keyIds: readonly string[]): Buffer {
  let ids = '';
  for (const id of keyIds) ids += ids === '' ? JSON.stringify(id) : `,${JSON.stringify(id)}`;
  return Buffer.from(
    `${VERSION_JSON},${JSON.stringify(binding.eventId)},${JSON.stringify(binding.path)},[${ids}]]`,
    'utf8',
  );
}
const VERSION_JSON = `[${JSON.stringify(VERSION)}`;
