import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(16 * 1024);
let offset = pool.length;

/**
 * `n` bytes from the operating system's CSPRNG, drawn 16 KiB at a time: each call of
 * `crypto.randomBytes` costs a few microseconds whatever its size, and every protected event
 * needs an IV, a data key and a wrapping IV (profiled: the largest part of `protect`). The bytes
 * are copied out, so a later refill never changes a key or IV already handed out.
 */
export function randomBytesFromPool(n: number): Buffer {
  if (n > pool.length) return randomFillSync(Buffer.alloc(n));
  if (offset + n > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = Buffer.from(pool.subarray(offset, offset + n));
  // Zeroed once handed out: a copy of a key must not stay behind in the pool.
  pool.fill(0, offset, offset + n);
  offset += n;
  return out;
}
