import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ErasureLedger, ErasureLedgerEntry } from './erasure-ledger';

/**
 * The erasure ledger as a file of JSON lines, each appended and synced to disk before the keys
 * it names are destroyed. One line per write, opened for appending: the lines of several
 * processes on one local disk do not interleave.
 */
export class FileErasureLedger implements ErasureLedger {
  constructor(readonly location: string) {}

  start(): Promise<void> {
    mkdirSync(dirname(this.location), { recursive: true });
    return Promise.resolve();
  }

  record(entry: ErasureLedgerEntry): Promise<void> {
    const fd = openSync(this.location, 'a', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(entry)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return Promise.resolve();
  }

  entries(): Promise<ErasureLedgerEntry[]> {
    let text: string;
    try {
      text = readFileSync(this.location, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Promise.resolve([]);
      throw error;
    }
    const lines = text.split('\n');
    const entries: ErasureLedgerEntry[] = [];
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      try {
        entries.push(JSON.parse(line) as ErasureLedgerEntry);
      } catch (error) {
        // A last line cut short by a crash mid-write: its keys were never destroyed.
        if (index === lines.length - 1) return;
        throw new Error(
          `The erasure ledger ${this.location} has a line that is not JSON (line ${index + 1}): ${(error as Error).message}`,
        );
      }
    });
    return Promise.resolve(entries);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
