import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tarOfDatabaseFiles } from './pglite-data-dir-tar';

/** The names and contents of a tar's entries (ustar: 512-byte headers, padded contents). */
function entries(tar: Buffer): Map<string, string> {
  const found = new Map<string, string>();
  for (let at = 0; at + 512 <= tar.length;) {
    const head = tar.subarray(at, at + 512);
    if (head.every((b) => b === 0)) break;
    const name = head.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(head.subarray(124, 136).toString('ascii'), 8);
    found.set(name, tar.subarray(at + 512, at + 512 + size).toString('utf8'));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return found;
}

describe("the copy of an embedded store's data folder", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'samverkan-pack-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps PostgreSQL's files whole and leaves out the key files and the lock", () => {
    const secret = '{"SAMVERKAN_MASTER_KEYS": "dev:c2VjcmV0"}';
    const files: Record<string, string> = {
      PG_VERSION: '17\n',
      'base/1/1259': 'x'.repeat(700),
      'pg_wal/000000010000000000000001': 'wal',
      'postgresql.conf': 'fsync = on',
      'master-keys.json': secret,
      'seal-key.pem': '-----BEGIN PRIVATE KEY-----',
      'samverkan.lock': '1@host',
      'postmaster.pid': '1',
    };
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }

    const tar = tarOfDatabaseFiles(dir);
    const kept = entries(tar);

    expect([...kept.keys()]).toEqual([
      '/PG_VERSION',
      '/base',
      '/base/1',
      '/base/1/1259',
      '/pg_wal',
      '/pg_wal/000000010000000000000001',
      '/postgresql.conf',
    ]);
    expect(kept.get('/base/1/1259')).toBe('x'.repeat(700));
    expect(tar.includes(Buffer.from(secret))).toBe(false);
  });
});
