import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BLOCK = 512;

/**
 * What PostgreSQL keeps in its data directory: anything else in the embedded store's data
 * folder (the development key files, the lock, the control socket) is left out of a copy, so a
 * backup never carries the master keys or the signing key.
 */
export function isDatabaseFile(name: string): boolean {
  return (
    name === 'PG_VERSION' ||
    name === 'base' ||
    name === 'global' ||
    name.startsWith('pg_') ||
    name === 'postgresql.conf' ||
    name === 'postgresql.auto.conf' ||
    name === 'postmaster.opts'
  );
}

/**
 * The database files of an embedded store's folder as one tar archive, the form PGlite loads a
 * data folder from (`loadDataDir`, gzipped or not). Read from disk by the caller while the
 * database is checkpointed and no statement runs (PGlite writes its files straight through to
 * the folder). Not PGlite's own `dumpDataDir`: that copies the whole folder and fails on the
 * control socket.
 */
export function tarOfDatabaseFiles(dir: string): Buffer {
  const entries: Buffer[] = [];
  const walk = (relative: string): void => {
    const path = join(dir, relative);
    const stat = statSync(path);
    if (stat.isDirectory()) {
      entries.push(header(`/${relative}`, 0, '5', stat.mtimeMs));
      for (const name of readdirSync(path).sort()) walk(`${relative}/${name}`);
    } else if (stat.isFile()) {
      const content = readFileSync(path);
      entries.push(header(`/${relative}`, content.length, '0', stat.mtimeMs), content);
      const pad = (BLOCK - (content.length % BLOCK)) % BLOCK;
      if (pad > 0) entries.push(Buffer.alloc(pad));
    }
  };
  for (const name of readdirSync(dir).sort()) if (isDatabaseFile(name)) walk(name);
  entries.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(entries);
}

/** A ustar header: name (with a prefix for long paths), mode, size, time, type, checksum. */
function header(path: string, size: number, type: '0' | '5', mtimeMs: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  let name = path;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const cut = path.lastIndexOf('/', 155);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
    if (cut <= 0 || Buffer.byteLength(name) > 100) throw new Error(`Path too long: ${path}`);
  }
  const octal = (value: number, length: number): string =>
    `${value.toString(8).padStart(length - 1, '0')}\0`;
  block.write(name, 0, 'utf8');
  block.write(octal(type === '5' ? 0o755 : 0o600, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(Math.floor(mtimeMs / 1000), 12), 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block.write(type, 156, 'ascii');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  block.write(prefix, 345, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}
