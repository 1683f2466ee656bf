/**
 * The event store's schema, as versioned migrations. A migration is never edited once released:
 * its checksum is stored, and a changed one stops start-up. Add a new version instead.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const EVENT_STORE_SCHEMA = 'event_store';

export const eventStoreMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'events, global order and the watermark',
    sql: `
-- Global positions come from this sequence. CACHE 1 matters: read_watermark() reads its
-- last_value as "every position drawn so far", which per-session caches would break.
create sequence event_store.global_position_seq as bigint cache 1;

create table event_store.events (
  -- The transaction id is taken before the position is drawn (CASE evaluates its condition
  -- first). Readers treat a position as final once every transaction with an xid below a
  -- reader's own has ended (read_watermark); a position drawn by a transaction that had no
  -- id yet would escape that rule, and a reader could pass it before it commits and skip it.
  global_position bigint primary key
    default (case when pg_current_xact_id() is not null
                  then nextval('event_store.global_position_seq') end),
  event_id uuid not null,
  -- "C" collation so that a stream-prefix filter compares bytes, not locale rules.
  stream_id text collate "C" not null,
  -- 0-based. The unique key below is the whole concurrency check: two writers that expect
  -- the same revision both try to insert the next one, and the second fails.
  revision bigint not null,
  type text not null,
  schema_version integer not null,
  data jsonb not null,
  occurred_at timestamptz not null,
  recorded_at timestamptz not null default now(),
  actor_user_id text not null,
  actor_agency text not null,
  actor_role text not null,
  correlation_id text not null,
  causation_id text,
  constraint events_event_id_key unique (event_id),
  constraint events_stream_revision_key unique (stream_id, revision)
);
alter sequence event_store.global_position_seq owned by event_store.events.global_position;

-- The read side of the gap-free global order. Global positions are drawn at insert but
-- transactions commit in any order, so a reader that passed position 7 while the transaction
-- holding 6 was still open would skip 6 for ever. This returns the last position drawn so far
-- and then takes a transaction id of its own: every writer of a position <= last_drawn got its
-- xid before drawing (the column default sees to that), so before ours, so below ours. Once a later
-- snapshot's xmin is above reader_xid, all of them have ended and every position <= last_drawn
-- is final: committed and visible, or rolled back and a permanent gap.
-- (A snapshot's xmax cannot stand in for the new xid: it is one past the latest *completed*
-- xid, and a transaction that started after it and is still running does not show in it.)
-- The cost is one xid per call, and its commit record, which is not flushed: it wrote nothing.
create function event_store.read_watermark(
  out last_drawn bigint,
  out reader_xid xid8,
  out snapshot_xmin xid8
) language plpgsql volatile as $fn$
begin
  select case when s.is_called then s.last_value else 0 end into last_drawn
    from event_store.global_position_seq s;
  reader_xid := pg_current_xact_id();
  snapshot_xmin := pg_snapshot_xmin(pg_current_snapshot());
end
$fn$;
`,
  },
  {
    version: 2,
    name: 'events: data as json, fixed-width columns first',
    sql: `
-- The append benchmark showed the append's cost follows the bytes of WAL it writes per event.
-- Two changes cut them without changing what is stored:
-- * data as json, not jsonb. The store never looks inside data on the server; json keeps the
--   text as the writer sent it (exactly what is returned on read) and is neither converted to
--   jsonb on append nor back to text on every read. For a typical 300-byte event it is also
--   about 30 bytes smaller.
-- * fixed-width columns first, widest first, so no alignment padding falls between them.
-- The table is rebuilt in one transaction (read committed: the runner sets it). The lock makes
-- writers and readers wait for it, so nothing is appended to the old table after the copy; on
-- a large log that is a pause at upgrade. Stop every process of the earlier version first: its
-- connections hold statements prepared for the old column types. The sequence is kept: it is detached
-- from the old table first, since dropping the table would drop it.
lock table event_store.events in access exclusive mode;
alter sequence event_store.global_position_seq owned by none;
alter table event_store.events rename to events_before_v2;

create table event_store.events (
  -- As in version 1: the transaction id is taken before the position is drawn.
  global_position bigint not null
    default (case when pg_current_xact_id() is not null
                  then nextval('event_store.global_position_seq') end),
  -- 0-based; the unique (stream_id, revision) key is the concurrency check.
  revision bigint not null,
  occurred_at timestamptz not null,
  recorded_at timestamptz not null default now(),
  schema_version integer not null,
  event_id uuid not null,
  -- "C" collation so that a stream-prefix filter compares bytes, not locale rules.
  stream_id text collate "C" not null,
  type text not null,
  actor_user_id text not null,
  actor_agency text not null,
  actor_role text not null,
  correlation_id text not null,
  causation_id text,
  data json not null
);

insert into event_store.events (
  global_position, revision, occurred_at, recorded_at, schema_version, event_id, stream_id,
  type, actor_user_id, actor_agency, actor_role, correlation_id, causation_id, data)
select global_position, revision, occurred_at, recorded_at, schema_version, event_id, stream_id,
       type, actor_user_id, actor_agency, actor_role, correlation_id, causation_id, data::json
  from event_store.events_before_v2
 order by global_position;

drop table event_store.events_before_v2;
-- The keys are built after the copy (faster than row by row) and keep version 1's names,
-- which the store reads from unique-violation errors.
alter table event_store.events
  add constraint events_pkey primary key (global_position),
  add constraint events_event_id_key unique (event_id),
  add constraint events_stream_revision_key unique (stream_id, revision);
alter sequence event_store.global_position_seq owned by event_store.events.global_position;
-- Fresh statistics for the planner when rows were copied (the embedded database runs no
-- autovacuum). Never on an empty table: statistics saying "empty" make a connection's cached
-- generic plan for the append's revision check a sequential scan, which it keeps while the
-- table grows until autovacuum analyzes again (measured: 1-event appends at a third of their
-- speed). A table never analyzed is planned as if it had a few pages, which picks the index.
do $analyze$
begin
  if exists (select 1 from event_store.events) then
    analyze event_store.events;
  end if;
end
$analyze$;
`,
  },
];
