import { createWriteStream, renameSync, rmSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { manifestLine, type BackupManifest } from './backup-manifest';

/** Bytes written so far, for a progress line on long copies. */
export type BackupProgress = (bytesWritten: number) => void;

/**
 * Writes a backup file: the manifest line, then the copy. It is written beside the target as
 * `<file>.partial` and renamed when complete, so an interrupted backup never looks like one.
 */
export async function writeBackupFile(
  path: string,
  manifest: BackupManifest | Buffer,
  copy: Readable | Buffer,
  onProgress?: BackupProgress,
  /** Settles when the program writing the copy has finished: it may fail after its output ends. */
  finished: Promise<void> = Promise.resolve(),
): Promise<number> {
  const partial = `${path}.partial`;
  const out = createWriteStream(partial, { mode: 0o600 });
  let written = 0;
  let reported = 0;
  const count = (n: number): void => {
    written += n;
    if (onProgress && written - reported >= 16 * 1024 * 1024) {
      reported = written;
      onProgress(written);
    }
  };
  try {
    const head = Buffer.isBuffer(manifest) ? manifest : manifestLine(manifest);
    await pipeline(async function* () {
      yield head;
      count(head.length);
      if (Buffer.isBuffer(copy)) {
        yield copy;
        count(copy.length);
        return;
      }
      for await (const chunk of copy as AsyncIterable<Buffer>) {
        yield chunk;
        count(chunk.length);
      }
    }, out);
    await finished;
    renameSync(partial, path);
    onProgress?.(written);
    return written;
  } catch (error) {
    finished.catch(() => undefined);
    rmSync(partial, { force: true });
    throw error;
  }
}
