import { createHash } from 'node:crypto';

/**
 * The bytes of the tamper evidence, computed in Node exactly as the database computes them
 * (event-store migration 3), so that the verifier never trusts a function stored in the
 * database it checks.
 */

export const HASH_BYTES = 32;
/** The link before a stream's first event, and the hash before the first block. */
export const GENESIS = Buffer.alloc(HASH_BYTES);

/** An event's columns in the text forms the verifier selects (times as epoch microseconds). */
export interface LinkedEventText {
  readonly streamId: string;
  readonly revision: string;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: string;
  readonly occurredAtMicros: string;
  readonly recordedAtMicros: string;
  readonly actorUserId: string;
  readonly actorAgency: string;
  readonly actorRole: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly data: string;
}

const ZERO = Buffer.from([0]);

/**
 * The envelope and stored data, joined by zero bytes (no stored text can hold one), as the text
 * whose UTF-8 bytes are hashed: one string and one hash update per event, since every append
 * computes this for each event it writes.
 */
export function eventContent(e: LinkedEventText): string {
  const causation = e.causationId === null ? 'n' : `v${e.causationId}`;
  return `${e.streamId}\0${e.revision}\0${e.eventId}\0${e.type}\0${e.schemaVersion}\0${e.occurredAtMicros}\0${e.recordedAtMicros}\0${e.actorUserId}\0${e.actorAgency}\0${e.actorRole}\0${e.correlationId}\0${causation}\0${e.data}`;
}

export function sha256(...parts: readonly Buffer[]): Buffer {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p);
  return hash.digest();
}

/** sha256(the link of the event before in its stream || this event's content). */
export function linkOf(previous: Buffer, e: LinkedEventText): Buffer {
  return createHash('sha256').update(previous).update(eventContent(e), 'utf8').digest();
}

function positionBytes(position: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(position));
  return b;
}

/** A sealed event: its global position and its link, prefixed 0 (RFC 6962's leaf prefix). */
export function leafOf(position: number, link: Buffer): Buffer {
  return sha256(ZERO, positionBytes(position), link);
}

const NODE = Buffer.from([1]);

/**
 * The Merkle root of the leaves (RFC 6962 style: inner nodes prefixed 1, so a leaf can never be
 * passed off as a node; an odd node at the end of a level is carried up as it is).
 */
export function merkleRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) throw new Error('A block seals at least one event');
  let level = leaves;
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? sha256(NODE, level[i]!, level[i + 1]!) : level[i]!);
    }
    level = next;
  }
  return level[0]!;
}

/** What a block's hash covers: everything in its head, in a fixed order. */
export interface BlockHead {
  readonly blockNumber: number;
  readonly afterPosition: number;
  readonly throughPosition: number;
  readonly eventCount: number;
  readonly merkleRoot: Buffer;
  readonly previousHash: Buffer;
  readonly sealedAt: Date;
  readonly keyId: string;
}

export function blockHash(head: BlockHead): Buffer {
  return sha256(
    Buffer.from(
      [
        'samverkan-block/1',
        head.blockNumber,
        head.afterPosition,
        head.throughPosition,
        head.eventCount,
        head.merkleRoot.toString('hex'),
        head.previousHash.toString('hex'),
        head.sealedAt.toISOString(),
        head.keyId,
      ].join('\n'),
      'utf8',
    ),
  );
}

/** Leaves as stored in a block: 32 bytes each, in position order. */
export function splitLeaves(bytes: Buffer): Buffer[] {
  const leaves: Buffer[] = [];
  for (let at = 0; at + HASH_BYTES <= bytes.length; at += HASH_BYTES) {
    leaves.push(bytes.subarray(at, at + HASH_BYTES));
  }
  return leaves;
}
