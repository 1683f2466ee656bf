import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from './chain';

/**
 * The Ed25519 keys that sign sealed blocks. The private key signs; its public key and any
 * retired public keys verify, so blocks signed before a key change still check.
 */
export interface SealKeys {
  readonly keyId: string;
  sign(hash: Buffer): Buffer;
  /** Undefined when the key id is not one of ours. */
  verify(keyId: string, hash: Buffer, signature: Buffer): boolean | undefined;
  /** The public keys as SPKI PEM by key id: what an archive needs to check the heads. */
  readonly publicKeys: ReadonlyMap<string, string>;
}

export class SealKeyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealKeyConfigError';
  }
}

/** A key's id: the first 16 hex digits of the sha256 of its SPKI encoding. */
export function sealKeyId(publicKey: KeyObject): string {
  return sha256(publicKey.export({ type: 'spki', format: 'der' }))
    .toString('hex')
    .slice(0, 16);
}

function parsePrivate(text: string): KeyObject {
  const key = text.includes('-----BEGIN')
    ? createPrivateKey(text)
    : createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
  return key;
}

function parsePublic(text: string): KeyObject {
  const key = text.includes('-----BEGIN')
    ? createPublicKey(text)
    : createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
  return key;
}

export function sealKeysOf(privateKey: KeyObject, retired: readonly KeyObject[] = []): SealKeys {
  const own = createPublicKey(privateKey);
  const keyId = sealKeyId(own);
  const verifiers = new Map<string, KeyObject>([[keyId, own]]);
  for (const k of retired) verifiers.set(sealKeyId(k), k);
  return {
    keyId,
    sign: (hash) => sign(null, hash, privateKey),
    verify: (id, hash, signature) => {
      const key = verifiers.get(id);
      return key ? verify(null, hash, key, signature) : undefined;
    },
    publicKeys: new Map(
      [...verifiers].map(([id, k]) => [id, k.export({ type: 'spki', format: 'pem' }).toString()]),
    ),
  };
}

/** SAMVERKAN_SEAL_PUBLIC_KEYS: retired public keys, base64 SPKI DER, comma-separated. */
export function retiredSealKeysOf(listed: string): KeyObject[] {
  return listed.split(',').map((entry, i) => {
    try {
      return parsePublic(entry.trim());
    } catch {
      throw new SealKeyConfigError(
        `SAMVERKAN_SEAL_PUBLIC_KEYS: entry ${i + 1} is not an Ed25519 public key (base64 SPKI DER)`,
      );
    }
  });
}

/** SAMVERKAN_SEAL_KEY: the Ed25519 private key that signs sealed blocks. */
export function sealKeyOf(configured: string): KeyObject {
  try {
    return parsePrivate(configured);
  } catch {
    throw new SealKeyConfigError(
      'SAMVERKAN_SEAL_KEY is not an Ed25519 private key (PKCS#8 PEM or base64 DER)',
    );
  }
}

/**
 * From SAMVERKAN_SEAL_KEY (an Ed25519 private key, PKCS#8 PEM or base64 DER) and
 * SAMVERKAN_SEAL_PUBLIC_KEYS (retired public keys, base64 SPKI DER, comma-separated). Where
 * `developmentDir` is given and no key is configured, a key is made once and kept there
 * (`seal-key.pem`, readable by its owner only); production passes none and must configure one.
 */
export function sealKeysFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  developmentDir?: string,
): SealKeys {
  const listed = env['SAMVERKAN_SEAL_PUBLIC_KEYS']?.trim();
  const retired = listed ? retiredSealKeysOf(listed) : [];
  const configured = env['SAMVERKAN_SEAL_KEY']?.trim();
  if (configured) return sealKeysOf(sealKeyOf(configured), retired);
  if (!developmentDir) {
    throw new SealKeyConfigError(
      'SAMVERKAN_SEAL_KEY is not set: the key that signs the sealed blocks of the log is required ' +
        '(make one with `npm run audit -- new-seal-key`)',
    );
  }
  const file = join(developmentDir, 'seal-key.pem');
  if (!existsSync(file)) {
    mkdirSync(developmentDir, { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return sealKeysOf(parsePrivate(readFileSync(file, 'utf8')), retired);
}

/** A new key pair as the variables take them. */
export function newSealKey(): { privateKey: string; publicKey: string; keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    keyId: sealKeyId(publicKey),
  };
}
