/**
 * An append is this one INSERT, run as a named prepared statement: one round trip, planned once
 * per connection, and nothing in it that makes concurrent appenders wait for each other (no
 * NOTIFY, no lock on a shared row). Appenders to one stream meet only at the unique
 * (stream_id, revision) key.
 *
 * $2, the expected revision: >= 0 exact, -1 any, -2 no_stream, -3 stream_exists.
 * - exact e: the event at revision e must exist (else no row is inserted: the stream is
 *   behind), and inserting e + 1 fails on the unique key if the stream is ahead.
 * - no_stream: inserting revision 0 fails on the unique key if the stream exists.
 * - any / stream_exists: the next revision after the current last; a concurrent writer that
 *   takes it first makes this insert fail on the unique key, and the store tries again.
 * Rows are inserted in the order given, so revisions and global positions rise together.
 * The events' data come as one JSON array ($6): each is JSON text already, so joining them
 * costs nothing, where a jsonb[] parameter would be escaped element by element.
 */
export const APPEND_SQL = `
insert into event_store.events (
  event_id, stream_id, revision, type, schema_version, data, occurred_at,
  actor_user_id, actor_agency, actor_role, correlation_id, causation_id)
select e.event_id, $1::text, b.base + e.ord, e.type, e.schema_version, e.data, e.occurred_at,
       $8::text, $9::text, $10::text, $11::text, $12::text
  from (select case
                 when $2::bigint >= 0 then $2::bigint
                 when $2::bigint = -2 then -1::bigint
                 else coalesce((select max(s.revision) from event_store.events s
                                 where s.stream_id = $1::text), -1)
               end as base) b
  cross join rows from (unnest($3::uuid[]), unnest($4::text[]), unnest($5::integer[]),
                        jsonb_array_elements($6::jsonb), unnest($7::timestamptz[]))
         with ordinality as e(event_id, type, schema_version, data, occurred_at, ord)
 where case
         when $2::bigint >= 0 then exists (select 1 from event_store.events x
                                            where x.stream_id = $1::text and x.revision = $2::bigint)
         when $2::bigint = -3 then b.base >= 0
         else true
       end
 order by e.ord
returning global_position, revision`;

/**
 * The same append for a single event, the most common case: no arrays to build and parse, no
 * unnest and no sort. Same parameters, with $3..$7 as single values instead of arrays.
 */
export const APPEND_ONE_SQL = `
insert into event_store.events (
  event_id, stream_id, revision, type, schema_version, data, occurred_at,
  actor_user_id, actor_agency, actor_role, correlation_id, causation_id)
select $3::uuid, $1::text, b.base + 1, $4::text, $5::integer, $6::jsonb, $7::timestamptz,
       $8::text, $9::text, $10::text, $11::text, $12::text
  from (select case
                 when $2::bigint >= 0 then $2::bigint
                 when $2::bigint = -2 then -1::bigint
                 else coalesce((select max(s.revision) from event_store.events s
                                 where s.stream_id = $1::text), -1)
               end as base) b
 where case
         when $2::bigint >= 0 then exists (select 1 from event_store.events x
                                            where x.stream_id = $1::text and x.revision = $2::bigint)
         when $2::bigint = -3 then b.base >= 0
         else true
       end
returning global_position, revision`;

export const EXPECTED_ANY = -1;
export const EXPECTED_NO_STREAM = -2;
export const EXPECTED_STREAM_EXISTS = -3;
