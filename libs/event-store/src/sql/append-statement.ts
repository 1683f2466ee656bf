import { HASH_BYTES } from '../tamper-evidence/chain';

/**
 * An append is one INSERT, run as a named prepared statement: one round trip, planned once per
 * connection, and nothing in it that makes concurrent appenders wait for each other (no NOTIFY,
 * no lock on a shared row). Appenders to one stream meet only at the unique (stream_id,
 * revision) key. One statement per kind of expectation, so each plan holds only its own check:
 * - exact e: the event at revision e must exist (else no row is inserted: the stream is
 *   behind), and inserting e + 1 fails on the unique key if the stream is ahead.
 * - no_stream: inserting revision 0 fails on the unique key if the stream exists.
 * - any / stream_exists: the next revision after the current last; a concurrent writer that
 *   takes it first makes this insert fail on the unique key, and the store tries again.
 * Rows are inserted in the order given, so revisions and global positions rise together.
 *
 * Parameters: $1 stream id, $2 expected revision (exact only, otherwise unused and null),
 * $3 event ids, $4 types, $5 schema versions, $6 data, $7 occurred-at times, $8..$10 actor,
 * $11 correlation id, $12 causation id, $13 recorded-at time, $14 the events' links, 32 bytes
 * each, end to end in one bytea (null where the store does not know the link before them: the
 * insert trigger computes it). The driver sends a bytea as it is, where hex text costs an
 * encoding in Node and a decoding per event here. For one event $3..$7 are single values; for
 * several they are arrays, except the data: one JSON array, since each event's data is JSON text
 * already and joining them costs nothing, where a json[] parameter is escaped element by element.
 * `json_array_elements` hands each element on as the text it was sent as.
 */
export type AppendExpectation = 'exact' | 'no_stream' | 'any' | 'stream_exists';

const COLUMNS = `insert into event_store.events (
  event_id, stream_id, revision, type, schema_version, data, occurred_at,
  actor_user_id, actor_agency, actor_role, correlation_id, causation_id, recorded_at, link)`;

const ENVELOPE = `$8::text, $9::text, $10::text, $11::text, $12::text, $13::timestamptz`;

function base(expectation: AppendExpectation): string {
  switch (expectation) {
    case 'exact':
      return '$2::bigint';
    case 'no_stream':
      return '-1::bigint';
    case 'any':
    case 'stream_exists':
      return `coalesce((select max(s.revision) from event_store.events s where s.stream_id = $1::text), -1)`;
  }
}

function condition(expectation: AppendExpectation): string {
  switch (expectation) {
    case 'exact':
      return `exists (select 1 from event_store.events x where x.stream_id = $1::text and x.revision = $2::bigint)`;
    case 'stream_exists':
      return 'b.base >= 0 and $2::bigint is null';
    case 'no_stream':
    case 'any':
      return '$2::bigint is null';
  }
}

/**
 * Where the writer knows the base revision (exact, no_stream) only positions come back: within
 * one append they rise with the revision, so the store pairs them up, and each returned column
 * costs the server and the driver work for every event.
 */
function returning(expectation: AppendExpectation): string {
  return expectation === 'exact' || expectation === 'no_stream'
    ? 'returning global_position'
    : 'returning global_position, revision';
}

/** The link of the event at 1-based position `e.ord` among the links of one append. */
const LINK_AT = `substring($14::bytea from e.ord::integer * ${HASH_BYTES} - ${HASH_BYTES - 1} for ${HASH_BYTES})`;

function statement(expectation: AppendExpectation, several: boolean): string {
  const from = `from (select ${base(expectation)} as base) b`;
  if (!several) {
    return `${COLUMNS}
select $3::uuid, $1::text, b.base + 1, $4::text, $5::integer, $6::json, $7::timestamptz, ${ENVELOPE},
       $14::bytea
  ${from}
 where ${condition(expectation)}
${returning(expectation)}`;
  }
  return `${COLUMNS}
select e.event_id, $1::text, b.base + e.ord, e.type, e.schema_version, e.data, e.occurred_at, ${ENVELOPE},
       ${LINK_AT}
  ${from}
  cross join rows from (unnest($3::uuid[]), unnest($4::text[]), unnest($5::integer[]),
                        json_array_elements($6::json), unnest($7::timestamptz[]))
         with ordinality as e(event_id, type, schema_version, data, occurred_at, ord)
 where ${condition(expectation)}
 order by e.ord
${returning(expectation)}`;
}

const EXPECTATIONS: readonly AppendExpectation[] = ['exact', 'no_stream', 'any', 'stream_exists'];

/** The statements by name (the prepared statement's name on each connection). */
export const APPEND_STATEMENTS: ReadonlyMap<string, string> = new Map(
  EXPECTATIONS.flatMap((x) => [
    [appendStatementName(x, false), statement(x, false)],
    [appendStatementName(x, true), statement(x, true)],
  ]),
);

export function appendStatementName(expectation: AppendExpectation, several: boolean): string {
  return `event_store_append_${expectation}_${several ? 'many' : 'one'}`;
}
