import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { randomBytesFromPool } from './random-bytes';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';

/**
 * The master key ring: the keys from configuration that wrap (encrypt) every data key kept in
 * the database. A database copy without them holds no readable personal data.
 *
 * `SAMVERKAN_MASTER_KEYS` is a comma-separated list of `id:base64` entries of 32 bytes each
 * (`openssl rand -base64 32`). The first wraps new data keys; every one unwraps. Rotation: put a
 * new key first, run `rewrap()` (every live data key is wrapped again under it), then drop the
 * old entries. Key material never appears in an error, a log or `inspect()`.
 */
export const MASTER_KEYS_VARIABLE = 'SAMVERKAN_MASTER_KEYS';

/** The development key file, in the data directory, when the variable is not set. */
export const DEV_MASTER_KEYS_FILE = 'master-keys.json';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MASTER_KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The master keys are missing or malformed: the process must not start. */
export class MasterKeyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyConfigError';
  }
}

/** A data key could not be unwrapped: its master key is gone, or the stored key was altered. */
export class DataKeyUnwrapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataKeyUnwrapError';
  }
}

/** A data key as stored: encrypted under the named master key. */
export interface WrappedDataKey {
  readonly masterKeyId: string;
  /** IV (12 bytes), the encrypted key (32) and the GCM tag (16). */
  readonly wrapped: Buffer;
}

export class MasterKeyRing {
  private constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    /** The id of the key that wraps new data keys: the first entry. */
    readonly currentId: string,
  ) {}

  /** Parses `id:base64,...`; `source` names the variable or file in errors. */
  static parse(text: string, source: string = MASTER_KEYS_VARIABLE): MasterKeyRing {
    const entries = text.split(',').map((e) => e.trim());
    const keys = new Map<string, Buffer>();
    entries.forEach((entry, index) => {
      // Entries are named by position and id only: the text may be a key pasted in wrongly.
      const where = `${source}: entry ${index + 1}`;
      if (entry === '') throw new MasterKeyConfigError(`${where} is empty`);
      const colon = entry.indexOf(':');
      if (colon < 0) throw new MasterKeyConfigError(`${where} is not 'id:base64' (no ':')`);
      const id = entry.slice(0, colon);
      const encoded = entry.slice(colon + 1).trim();
      if (!MASTER_KEY_ID.test(id)) {
        throw new MasterKeyConfigError(
          `${where} has an id that is not 1 to 64 letters, digits, '.', '_' or '-' (starting with a letter or digit)`,
        );
      }
      if (!BASE64.test(encoded) || encoded === '') {
        throw new MasterKeyConfigError(`${where} ('${id}') is not valid base64`);
      }
      const key = Buffer.from(encoded, 'base64');
      if (key.length !== KEY_BYTES) {
        throw new MasterKeyConfigError(
          `${where} ('${id}') holds ${key.length} bytes; a master key is ${KEY_BYTES} bytes (openssl rand -base64 32)`,
        );
      }
      if (keys.has(id)) throw new MasterKeyConfigError(`${where} repeats the id '${id}'`);
      keys.set(id, key);
    });
    return new MasterKeyRing(keys, [...keys.keys()][0]!);
  }

  /** Every id, the current one first. */
  get ids(): readonly string[] {
    return [...this.keys.keys()];
  }

  holds(masterKeyId: string): boolean {
    return this.keys.has(masterKeyId);
  }

  /**
   * Wraps a data key under the current master key, bound to the data key's id: a wrapped key
   * copied onto another key's row does not unwrap there.
   */
  wrap(dataKeyId: string, dataKey: Buffer): WrappedDataKey {
    if (dataKey.length !== KEY_BYTES) throw new Error(`A data key is ${KEY_BYTES} bytes`);
    const iv = randomBytesFromPool(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentId)!, iv);
    cipher.setAAD(wrapBinding(dataKeyId));
    const encrypted = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return {
      masterKeyId: this.currentId,
      wrapped: Buffer.concat([iv, encrypted, cipher.getAuthTag()]),
    };
  }

  unwrap(dataKeyId: string, stored: WrappedDataKey): Buffer {
    const master = this.keys.get(stored.masterKeyId);
    if (!master) {
      throw new DataKeyUnwrapError(
        `Data key ${dataKeyId} is wrapped under master key '${stored.masterKeyId}', which ${MASTER_KEYS_VARIABLE} does not hold (was it removed before rewrap ran?)`,
      );
    }
    const { wrapped } = stored;
    if (wrapped.length !== IV_BYTES + KEY_BYTES + TAG_BYTES) {
      throw new DataKeyUnwrapError(`Data key ${dataKeyId} is stored with the wrong length`);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', master, wrapped.subarray(0, IV_BYTES));
      decipher.setAAD(wrapBinding(dataKeyId));
      decipher.setAuthTag(wrapped.subarray(IV_BYTES + KEY_BYTES));
      return Buffer.concat([
        decipher.update(wrapped.subarray(IV_BYTES, IV_BYTES + KEY_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new DataKeyUnwrapError(
        `Data key ${dataKeyId} does not unwrap under master key '${stored.masterKeyId}': the stored key was altered or belongs to another key`,
      );
    }
  }

  /** Ids only: a ring that ends up in a log or a JSON dump shows no key material. */
  toJSON(): { masterKeyIds: readonly string[] } {
    return { masterKeyIds: this.ids };
  }

  [inspect.custom](): string {
    return `MasterKeyRing(${this.ids.join(', ')})`;
  }
}

function wrapBinding(dataKeyId: string): Buffer {
  return Buffer.from(`samverkan.data-key.v1:${dataKeyId}`, 'utf8');
}

/** A new entry for the variable: `<id>:<32 random bytes as base64>`. */
export function newMasterKeyEntry(id: string): string {
  if (!MASTER_KEY_ID.test(id)) throw new MasterKeyConfigError(`'${id}' is not a master key id`);
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

/**
 * The ring from `SAMVERKAN_MASTER_KEYS`, or, only where the caller allows it (`devDataDir`: a
 * development setup on the embedded store), from a key file in the data directory, created on
 * first start. Production passes no `devDataDir` and so refuses to start without the variable:
 * a key file beside the data it protects protects nothing from whoever copies the directory.
 */
export function masterKeyRingFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  options: { readonly devDataDir?: string } = {},
): MasterKeyRing {
  const text = env[MASTER_KEYS_VARIABLE]?.trim();
  if (text) return MasterKeyRing.parse(text);
  if (options.devDataDir !== undefined) return loadOrCreateDevMasterKeys(options.devDataDir);
  throw new MasterKeyConfigError(
    `${MASTER_KEYS_VARIABLE} is not set: give one or more 'id:base64' entries of 32 bytes, the one that wraps new keys first (for example 'k1:' followed by the output of openssl rand -base64 32)`,
  );
}

/**
 * Loads `<dataDir>/master-keys.json`, or creates it with one new key (mode 0600), for
 * development only. It holds `{"SAMVERKAN_MASTER_KEYS": "id:base64"}`, so the same text can move
 * into the variable when the setup becomes a real one.
 */
export function loadOrCreateDevMasterKeys(dataDir: string): MasterKeyRing {
  const file = join(dataDir, DEV_MASTER_KEYS_FILE);
  mkdirSync(dataDir, { recursive: true });
  try {
    const entry = newMasterKeyEntry(`dev-${new Date().toISOString().slice(0, 10)}`);
    // 'wx': two processes starting together must not each write a key of their own.
    writeFileSync(file, `${JSON.stringify({ [MASTER_KEYS_VARIABLE]: entry }, null, 2)}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  }
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    throw new MasterKeyConfigError(`${file} may be read by others than its owner: chmod 600 it`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new MasterKeyConfigError(`${file} is not JSON`);
  }
  const text = (parsed as Record<string, unknown> | null)?.[MASTER_KEYS_VARIABLE];
  if (typeof text !== 'string') {
    throw new MasterKeyConfigError(`${file} has no "${MASTER_KEYS_VARIABLE}" text`);
  }
  return MasterKeyRing.parse(text, file);
}
