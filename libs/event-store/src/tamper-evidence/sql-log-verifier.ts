import type { SqlQueryable } from '../sql/sql-client';
import {
  GENESIS,
  HASH_BYTES,
  blockHash,
  leafOf,
  linkOf,
  merkleRoot,
  splitLeaves,
  type LinkedEventText,
} from './chain';
import type { SealKeys } from './seal-keys';

/**
 * What the verifier found wrong, at the lowest position it concerns:
 * - `content-changed`: the event's stored link is not the hash of the link before it and its
 *   content: its data or envelope (position, stream, revision, times, actor…) was changed;
 * - `missing`: an event is gone: a revision missing in its stream, or a sealed position with no
 *   event any more;
 * - `out-of-order`: revisions of a stream out of their order, or a revision twice;
 * - `unexpected`: an event where a sealed block has none (inserted behind the store's back);
 * - `sealed-content-changed`: the event and its stream's chain agree, but not with what was
 *   sealed (the chain was recomputed after a change);
 * - `block-invalid`: a block whose hash, signature, Merkle root or place in the chain of blocks
 *   does not hold.
 */
export type VerificationProblemKind =
  | 'content-changed'
  | 'missing'
  | 'out-of-order'
  | 'unexpected'
  | 'sealed-content-changed'
  | 'block-invalid';

export interface VerificationProblem {
  readonly kind: VerificationProblemKind;
  /** The global position concerned (for a missing revision: the position of the event after it). */
  readonly globalPosition: number;
  readonly streamId?: string;
  readonly revision?: number;
  readonly blockNumber?: number;
  readonly detail: string;
}

export interface VerificationReport {
  /** True when every chain and block holds. */
  readonly intact: boolean;
  readonly eventsChecked: number;
  readonly streamsChecked: number;
  readonly blocksChecked: number;
  /** The last position covered by a sealed block (0 when none is). */
  readonly sealedThrough: number;
  /** Events after the last block: checked by their chains only. */
  readonly unsealedEvents: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** The problem at the lowest position, when there is one. */
  readonly firstProblem?: VerificationProblem;
  /** How many problems were found (the first 100 are listed). */
  readonly problemCount: number;
  readonly problems: readonly VerificationProblem[];
}

const PAGE = 2_000;
const LISTED = 100;

interface EventTextRow {
  global_position: string;
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  schema_version: string;
  occurred_us: string;
  recorded_us: string;
  actor_user_id: string;
  actor_agency: string;
  actor_role: string;
  correlation_id: string;
  causation_id: string | null;
  data: string;
  link: Buffer | Uint8Array;
}

// Text forms only, and no function of the checked database's own: times as exact epoch
// microseconds, data as the JSON text stored. (Queries order by the table's columns, `e.…`:
// a bare name in ORDER BY would mean these text aliases, and '10' sorts before '2'.)
const EVENT_TEXT = `global_position::text as global_position, stream_id, revision::text as revision,
  event_id::text as event_id, type, schema_version::text as schema_version,
  (extract(epoch from occurred_at) * 1000000)::bigint::text as occurred_us,
  (extract(epoch from recorded_at) * 1000000)::bigint::text as recorded_us,
  actor_user_id, actor_agency, actor_role, correlation_id, causation_id, data::text as data, link`;

function toText(r: EventTextRow): LinkedEventText {
  return {
    streamId: r.stream_id,
    revision: r.revision,
    eventId: r.event_id,
    type: r.type,
    schemaVersion: r.schema_version,
    occurredAtMicros: r.occurred_us,
    recordedAtMicros: r.recorded_us,
    actorUserId: r.actor_user_id,
    actorAgency: r.actor_agency,
    actorRole: r.actor_role,
    correlationId: r.correlation_id,
    causationId: r.causation_id,
    data: r.data,
  };
}

class Findings {
  private readonly listed: VerificationProblem[] = [];
  count = 0;
  add(problem: VerificationProblem): void {
    this.count += 1;
    this.listed.push(problem);
    // Keep the lowest positions: sort and trim now and then, not on every add.
    if (this.listed.length > LISTED * 4) this.trim();
  }
  private trim(): void {
    this.listed.sort((a, b) => a.globalPosition - b.globalPosition);
    this.listed.length = Math.min(this.listed.length, LISTED);
  }
  result(): VerificationProblem[] {
    this.trim();
    return this.listed;
  }
}

/**
 * Checks the log against itself and its sealed blocks, reading it twice: each stream's chain
 * in (stream, revision) order, then the blocks against the events in global order. Runs with
 * the application's role (read only); memory stays bounded by the page size.
 */
export async function verifyLog(
  db: SqlQueryable,
  keys: Pick<SealKeys, 'verify'>,
  onProgress?: (eventsChecked: number) => void,
): Promise<VerificationReport> {
  const started = performance.now();
  const findings = new Findings();
  const chains = await checkChains(db, findings, onProgress);
  const blocks = await checkBlocks(db, keys, findings);
  const seconds = (performance.now() - started) / 1000;
  const problems = findings.result();
  return {
    intact: findings.count === 0,
    eventsChecked: chains.events,
    streamsChecked: chains.streams,
    blocksChecked: blocks.blocks,
    sealedThrough: blocks.sealedThrough,
    unsealedEvents: blocks.unsealedEvents,
    seconds: Math.round(seconds * 1000) / 1000,
    eventsPerSecond: seconds > 0 ? Math.round(chains.events / seconds) : chains.events,
    ...(problems[0] ? { firstProblem: problems[0] } : {}),
    problemCount: findings.count,
    problems,
  };
}

async function checkChains(
  db: SqlQueryable,
  findings: Findings,
  onProgress?: (eventsChecked: number) => void,
): Promise<{ events: number; streams: number }> {
  let events = 0;
  let streams = 0;
  let stream: string | undefined;
  let lastRevision = -1;
  let previousLink = GENESIS;
  let cursor: [string, string] | undefined;
  for (;;) {
    const rows = await db.query<EventTextRow>(
      cursor
        ? `select ${EVENT_TEXT} from event_store.events e
            where (e.stream_id, e.revision) > ($1::text, $2::bigint)
            order by e.stream_id, e.revision limit $3`
        : `select ${EVENT_TEXT} from event_store.events e order by e.stream_id, e.revision limit $1`,
      cursor ? [...cursor, PAGE] : [PAGE],
    );
    for (const row of rows) {
      const e = toText(row);
      const revision = Number(e.revision);
      const position = Number(row.global_position);
      const stored = Buffer.from(row.link);
      if (e.streamId !== stream) {
        stream = e.streamId;
        streams += 1;
        lastRevision = -1;
        previousLink = GENESIS;
      }
      if (revision !== lastRevision + 1) {
        findings.add({
          kind: 'missing',
          globalPosition: position,
          streamId: e.streamId,
          revision,
          detail:
            lastRevision + 1 === revision - 1
              ? `revision ${lastRevision + 1} of the stream is missing before this event`
              : `revisions ${lastRevision + 1} to ${revision - 1} of the stream are missing before this event`,
        });
      }
      // Checked against the stored link before it, so one changed event is reported alone.
      if (!linkOf(previousLink, e).equals(stored)) {
        findings.add({
          kind: 'content-changed',
          globalPosition: position,
          streamId: e.streamId,
          revision,
          detail:
            revision === lastRevision + 1
              ? "the event's data or envelope does not match its link"
              : 'the event does not follow the event before it in its stream',
        });
      }
      lastRevision = revision;
      previousLink = stored;
      events += 1;
    }
    onProgress?.(events);
    if (rows.length < PAGE) return { events, streams };
    const last = rows[rows.length - 1]!;
    cursor = [last.stream_id, last.revision];
  }
}

interface BlockRow {
  block_number: string | number;
  after_position: string | number;
  through_position: string | number;
  event_count: number;
  positions: (string | number)[];
  leaves: Buffer | Uint8Array;
  merkle_root: Buffer | Uint8Array;
  previous_hash: Buffer | Uint8Array;
  block_hash: Buffer | Uint8Array;
  signature: Buffer | Uint8Array;
  key_id: string;
  sealed_us: string;
}

async function checkBlocks(
  db: SqlQueryable,
  keys: Pick<SealKeys, 'verify'>,
  findings: Findings,
): Promise<{ blocks: number; sealedThrough: number; unsealedEvents: number }> {
  let blocks = 0;
  let previousHash = GENESIS;
  let expectedNumber = 1;
  let sealedThrough = 0;
  for (;;) {
    const rows = await db.query<BlockRow>(
      `select block_number, after_position, through_position, event_count, positions, leaves,
              merkle_root, previous_hash, block_hash, signature, key_id,
              (extract(epoch from sealed_at) * 1000000)::bigint::text as sealed_us
         from event_store.blocks where block_number >= $1 order by block_number limit 20`,
      [expectedNumber],
    );
    for (const row of rows) {
      const block = Number(row.block_number);
      const after = Number(row.after_position);
      const through = Number(row.through_position);
      const leaves = splitLeaves(Buffer.from(row.leaves));
      const positions = row.positions.map(Number);
      const root = Buffer.from(row.merkle_root);
      const stored = Buffer.from(row.block_hash);
      const wrong = (detail: string): void =>
        findings.add({
          kind: 'block-invalid',
          globalPosition: after + 1,
          blockNumber: block,
          detail,
        });
      const recomputed = blockHash({
        blockNumber: block,
        afterPosition: after,
        throughPosition: through,
        eventCount: Number(row.event_count),
        merkleRoot: root,
        previousHash: Buffer.from(row.previous_hash),
        sealedAt: new Date(Number(row.sealed_us) / 1000),
        keyId: row.key_id,
      });
      if (block !== expectedNumber)
        wrong(`block ${expectedNumber} is missing before block ${block}`);
      if (after !== sealedThrough) {
        wrong(
          `the block starts after position ${after}, the block before ended at ${sealedThrough}`,
        );
      }
      if (!Buffer.from(row.previous_hash).equals(previousHash)) {
        wrong('the block does not name the hash of the block before it');
      }
      if (!recomputed.equals(stored)) wrong("the block's head does not match its hash");
      const signed = keys.verify(row.key_id, stored, Buffer.from(row.signature));
      if (signed === undefined)
        wrong(`the block is signed with a key not configured (${row.key_id})`);
      else if (!signed) wrong("the block's signature does not hold");
      const leavesHold =
        leaves.length === positions.length &&
        leaves.length === Number(row.event_count) &&
        Buffer.from(row.leaves).length === leaves.length * HASH_BYTES &&
        leaves.length > 0 &&
        merkleRoot(leaves).equals(root);
      if (!leavesHold) wrong("the block's leaves do not match its Merkle root");
      else await compareSealed(db, block, after, through, positions, leaves, findings);
      previousHash = stored;
      sealedThrough = through;
      expectedNumber = block + 1;
      blocks += 1;
    }
    if (rows.length < 20) break;
  }
  const [tail] = await db.query<{ n: string | number }>(
    'select count(*) as n from event_store.events where global_position > $1',
    [sealedThrough],
  );
  return { blocks, sealedThrough, unsealedEvents: Number(tail?.n ?? 0) };
}

/** Walks the sealed positions and the stored events of one block side by side. */
async function compareSealed(
  db: SqlQueryable,
  block: number,
  after: number,
  through: number,
  positions: readonly number[],
  leaves: readonly Buffer[],
  findings: Findings,
): Promise<void> {
  const rows = await db.query<{
    global_position: string | number;
    stream_id: string;
    revision: string | number;
    link: Buffer | Uint8Array;
  }>(
    `select global_position, stream_id, revision, link from event_store.events
      where global_position > $1 and global_position <= $2 order by global_position`,
    [after, through],
  );
  let i = 0;
  let j = 0;
  while (i < positions.length || j < rows.length) {
    const sealed = positions[i];
    const row = rows[j];
    const actual = row ? Number(row.global_position) : undefined;
    if (actual === undefined || (sealed !== undefined && sealed < actual)) {
      findings.add({
        kind: 'missing',
        globalPosition: sealed!,
        blockNumber: block,
        detail: `the event sealed at position ${sealed} in block ${block} is gone`,
      });
      i += 1;
    } else if (sealed === undefined || actual < sealed) {
      findings.add({
        kind: 'unexpected',
        globalPosition: actual,
        streamId: row!.stream_id,
        revision: Number(row!.revision),
        blockNumber: block,
        detail: `an event at position ${actual} that block ${block} did not seal`,
      });
      j += 1;
    } else {
      if (!leafOf(actual, Buffer.from(row!.link)).equals(leaves[i]!)) {
        findings.add({
          kind: 'sealed-content-changed',
          globalPosition: actual,
          streamId: row!.stream_id,
          revision: Number(row!.revision),
          blockNumber: block,
          detail: `the event differs from what block ${block} sealed at this position`,
        });
      }
      i += 1;
      j += 1;
    }
  }
}
