import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
  DataKeyUnwrapError,
  DEV_MASTER_KEYS_FILE,
  loadOrCreateDevMasterKeys,
  MASTER_KEYS_VARIABLE,
  MasterKeyConfigError,
  MasterKeyRing,
  masterKeyRingFromEnv,
  newMasterKeyEntry,
} from './master-keys';

const b64 = (bytes: number) => randomBytes(bytes).toString('base64');
const K1 = b64(32);
const K2 = b64(32);
const dataKey = randomBytes(32);

function configError(text: string): MasterKeyConfigError {
  try {
    MasterKeyRing.parse(text);
  } catch (error) {
    if (error instanceof MasterKeyConfigError) return error;
    throw error;
  }
  throw new Error('parsed');
}

describe('the master key ring', () => {
  it('wraps under the first entry and unwraps under any', () => {
    const ring = MasterKeyRing.parse(`k2:${K2}, k1:${K1}`);
    expect(ring.currentId).toBe('k2');
    expect(ring.ids).toEqual(['k2', 'k1']);
    const wrapped = ring.wrap('dk-1', dataKey);
    expect(wrapped.masterKeyId).toBe('k2');
    expect(wrapped.wrapped).toHaveLength(60);
    expect(ring.unwrap('dk-1', wrapped)).toEqual(dataKey);
    expect(wrapped.wrapped.includes(dataKey)).toBe(false);
  });

  it('rotation: a key wrapped under the old master key unwraps once a new one is put first, and is wrapped again under the new one', () => {
    const before = MasterKeyRing.parse(`k1:${K1}`);
    const old = before.wrap('dk-1', dataKey);
    const rotated = MasterKeyRing.parse(`k2:${K2},k1:${K1}`);
    expect(rotated.unwrap('dk-1', old)).toEqual(dataKey);
    const again = rotated.wrap('dk-1', rotated.unwrap('dk-1', old));
    expect(again.masterKeyId).toBe('k2');
    // After the old entry is dropped, only what was wrapped again still unwraps.
    const after = MasterKeyRing.parse(`k2:${K2}`);
    expect(after.unwrap('dk-1', again)).toEqual(dataKey);
    expect(() => after.unwrap('dk-1', old)).toThrow(
      new DataKeyUnwrapError(
        `Data key dk-1 is wrapped under master key 'k1', which ${MASTER_KEYS_VARIABLE} does not hold (was it removed before rewrap ran?)`,
      ),
    );
  });

  it('binds a wrapped key to its data key id and refuses an altered one', () => {
    const ring = MasterKeyRing.parse(`k1:${K1}`);
    const wrapped = ring.wrap('dk-1', dataKey);
    expect(() => ring.unwrap('dk-2', wrapped)).toThrow(DataKeyUnwrapError);
    const altered = Buffer.from(wrapped.wrapped);
    altered[20]! ^= 1;
    expect(() => ring.unwrap('dk-1', { ...wrapped, wrapped: altered })).toThrow(
      /does not unwrap under master key 'k1'/,
    );
    expect(() => ring.unwrap('dk-1', { ...wrapped, wrapped: altered.subarray(1) })).toThrow(
      /wrong length/,
    );
    // Another master key with the same id (a replaced variable) does not unwrap it either.
    expect(() => MasterKeyRing.parse(`k1:${K2}`).unwrap('dk-1', wrapped)).toThrow(
      DataKeyUnwrapError,
    );
  });

  it.each([
    ['nothing', '', `${MASTER_KEYS_VARIABLE}: entry 1 is empty`],
    ['an empty entry', `k1:${K1},,k2:${K2}`, `${MASTER_KEYS_VARIABLE}: entry 2 is empty`],
    ['a key without id', K1, `${MASTER_KEYS_VARIABLE}: entry 1 is not 'id:base64' (no ':')`],
    [
      'a second key without id',
      `k1:${K1},${K2}`,
      `${MASTER_KEYS_VARIABLE}: entry 2 is not 'id:base64' (no ':')`,
    ],
    ['a bad id', `bad id:${K1}`, `${MASTER_KEYS_VARIABLE}: entry 1 has an id that is not 1 to 64`],
    [
      'a key that is not base64',
      `k1:not base64!`,
      `${MASTER_KEYS_VARIABLE}: entry 1 ('k1') is not valid base64`,
    ],
    ['an id without key', `k1:`, `${MASTER_KEYS_VARIABLE}: entry 1 ('k1') is not valid base64`],
    [
      'a short key',
      `k1:${b64(16)}`,
      `${MASTER_KEYS_VARIABLE}: entry 1 ('k1') holds 16 bytes; a master key is 32`,
    ],
    ['a repeated id', `k1:${K1},k1:${K2}`, `${MASTER_KEYS_VARIABLE}: entry 2 repeats the id 'k1'`],
  ])('refuses %s, naming the variable and the entry', (_, text, message) => {
    expect(configError(text).message).toContain(message);
  });

  it('never shows key material: not in an error, not in inspect, not in JSON', () => {
    const material = [K1, K2, K1.slice(0, 12), K2.slice(4, 16)];
    const errors = [
      configError(`k1:${K1},${K2}`),
      configError(`${K1}`),
      configError(`k1:${K1}x`),
      configError(`k1:${K1.slice(0, 20)}`),
      configError(`${K1.slice(0, 10)}+=:${K1}`),
    ];
    const ring = MasterKeyRing.parse(`k1:${K1},k2:${K2}`);
    const shown = [
      ...errors.map((e) => `${e.message} ${e.stack ?? ''}`),
      inspect(ring),
      JSON.stringify(ring),
      JSON.stringify({ ring }),
    ].join('\n');
    for (const m of material) expect(shown).not.toContain(m);
    expect(inspect(ring)).toBe('MasterKeyRing(k1, k2)');
    expect(JSON.stringify(ring)).toBe('{"masterKeyIds":["k1","k2"]}');
  });

  it('makes a new entry of 32 random bytes that parses', () => {
    const entry = newMasterKeyEntry('k-2025');
    expect(entry).toMatch(/^k-2025:[A-Za-z0-9+/]{43}=$/);
    expect(MasterKeyRing.parse(entry).currentId).toBe('k-2025');
    expect(newMasterKeyEntry('k')).not.toBe(newMasterKeyEntry('k'));
  });
});

describe('master keys from the environment', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'samverkan-master-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the variable when it is set, and writes no file', () => {
    const ring = masterKeyRingFromEnv(
      { [MASTER_KEYS_VARIABLE]: ` k1:${K1} ` },
      { devDataDir: dir },
    );
    expect(ring.ids).toEqual(['k1']);
    expect(() => statSync(join(dir, DEV_MASTER_KEYS_FILE))).toThrow();
  });

  it('refuses to start without the variable where no development key file is allowed', () => {
    expect(() => masterKeyRingFromEnv({})).toThrow(
      new RegExp(`^${MASTER_KEYS_VARIABLE} is not set`),
    );
    expect(() => masterKeyRingFromEnv({ [MASTER_KEYS_VARIABLE]: '  ' })).toThrow(
      MasterKeyConfigError,
    );
  });

  it('for development, creates a key file readable by its owner only, and loads the same keys from it later', () => {
    const first = masterKeyRingFromEnv({}, { devDataDir: join(dir, 'data') });
    const file = join(dir, 'data', DEV_MASTER_KEYS_FILE);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const wrapped = first.wrap('dk', dataKey);
    const again = loadOrCreateDevMasterKeys(join(dir, 'data'));
    expect(again.ids).toEqual(first.ids);
    expect(again.unwrap('dk', wrapped)).toEqual(dataKey);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(MasterKeyRing.parse(stored[MASTER_KEYS_VARIABLE]).ids).toEqual(first.ids);
  });

  it('refuses a key file others may read, or one that holds no keys, naming the file', () => {
    const file = join(dir, DEV_MASTER_KEYS_FILE);
    if (process.platform !== 'win32') {
      writeFileSync(file, JSON.stringify({ [MASTER_KEYS_VARIABLE]: `k1:${K1}` }), { mode: 0o644 });
      chmodSync(file, 0o644);
      expect(() => loadOrCreateDevMasterKeys(dir)).toThrow(`${file} may be read by others`);
    }
    writeFileSync(file, '{"other":1}', { mode: 0o600 });
    chmodSync(file, 0o600);
    expect(() => loadOrCreateDevMasterKeys(dir)).toThrow(
      `${file} has no "${MASTER_KEYS_VARIABLE}" text`,
    );
    writeFileSync(file, JSON.stringify({ [MASTER_KEYS_VARIABLE]: `k1:${b64(8)}` }));
    expect(() => loadOrCreateDevMasterKeys(dir)).toThrow(`${file}: entry 1 ('k1') holds 8 bytes`);
  });
});
