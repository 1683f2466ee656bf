import { hostname } from 'node:os';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirInUseError extends Error {
  constructor(dir: string, holder: string) {
    super(
      `The data folder ${dir} is in use by ${holder}. The embedded store is one process's own; ` +
        'stop that process, or set DATABASE_URL to share a PostgreSQL server between processes. ' +
        `If that process is gone for good, delete ${join(dir, 'samverkan.lock')}.`,
    );
    this.name = 'DataDirInUseError';
  }
}

const heldHere = new Set<string>();

/**
 * Claims the data folder for this process. PGlite keeps the database in memory and writes it to
 * the folder; two processes on one folder would overwrite each other's writes. The lock names
 * host and pid: a lock from another host (another container on a shared volume, where both may
 * be pid 1) is never taken over, since its process cannot be checked from here; a lock from a
 * process on this host that has died is.
 */
export function lockDataDir(dir: string): () => void {
  if (heldHere.has(dir)) throw new DataDirInUseError(dir, `this process (${process.pid})`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'samverkan.lock');
  const me = `${process.pid}@${hostname()}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    // Written aside, then linked into place: the lock appears whole or not at all, so a
    // concurrent starter never reads a half-written one and takes it for stale.
    const aside = `${path}.${process.pid}.${Date.now()}`;
    writeFileSync(aside, me);
    try {
      linkSync(aside, path);
      heldHere.add(dir);
      return () => {
        heldHere.delete(dir);
        rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readFileSync(path, 'utf8').trim();
      const [pidText, host] = holder.split('@');
      const pid = Number(pidText);
      const sameHost = host === undefined || host === hostname();
      const stale =
        sameHost && Number.isInteger(pid) && pid > 0 && (pid === process.pid || !isAlive(pid));
      if (!stale) throw new DataDirInUseError(dir, `process ${holder}`);
      rmSync(path, { force: true });
    } finally {
      rmSync(aside, { force: true });
    }
  }
  throw new Error(`Could not lock the data folder ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
