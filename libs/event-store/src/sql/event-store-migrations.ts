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
  {
    version: 3,
    name: 'tamper evidence: each event linked to the one before it in its stream; sealed blocks',
    sql: `
-- A time as whole microseconds since 1970 in text: exact (numeric), whatever the session's
-- time zone or DateStyle, and what the verifier reads back.
create function event_store.epoch_micros(t timestamptz) returns text
  language sql immutable parallel safe as $fn$
  select (extract(epoch from t) * 1000000)::bigint::text
$fn$;

-- Each event's link is sha256(previous link of its stream || its content), where the content is
-- the envelope and the stored data (ciphertext where fields are protected, so destroying a key
-- never breaks a chain). Changing, removing or reordering an event breaks the links after it;
-- whoever recomputes the links as well is caught by the sealed blocks below. The verifier
-- (sql-log-verifier.ts) recomputes the same bytes in Node from the columns' text forms.
-- Fields are joined by a zero byte, which no stored text can hold; a null causation is 'n',
-- a present one 'v' and its text. The global position is not in the content: the store draws
-- it at insert, after it computed the link (chain.ts), and the sealed blocks bind each link to
-- its position.
create function event_store.event_content(
  stream_id text, revision bigint, event_id uuid, type text,
  schema_version integer, occurred_at timestamptz, recorded_at timestamptz,
  actor_user_id text, actor_agency text, actor_role text, correlation_id text,
  causation_id text, data json
) returns bytea language sql immutable parallel safe as $fn$
  select convert_to(stream_id, 'UTF8') || '\\x00'::bytea
      || convert_to(revision::text, 'UTF8') || '\\x00'::bytea
      || convert_to(event_id::text, 'UTF8') || '\\x00'::bytea
      || convert_to(type, 'UTF8') || '\\x00'::bytea
      || convert_to(schema_version::text, 'UTF8') || '\\x00'::bytea
      || convert_to(event_store.epoch_micros(occurred_at), 'UTF8') || '\\x00'::bytea
      || convert_to(event_store.epoch_micros(recorded_at), 'UTF8') || '\\x00'::bytea
      || convert_to(actor_user_id, 'UTF8') || '\\x00'::bytea
      || convert_to(actor_agency, 'UTF8') || '\\x00'::bytea
      || convert_to(actor_role, 'UTF8') || '\\x00'::bytea
      || convert_to(correlation_id, 'UTF8') || '\\x00'::bytea
      || case when causation_id is null then '\\x6e'::bytea
              else '\\x76'::bytea || convert_to(causation_id, 'UTF8') end || '\\x00'::bytea
      || convert_to(data::text, 'UTF8')
$fn$;

alter table event_store.events add column link bytea;

-- Existing logs: link every stored event, stream by stream, in revision order.
do $backfill$
declare
  e record;
  previous bytea;
  last_stream text;
begin
  for e in select * from event_store.events order by stream_id, revision loop
    if last_stream is distinct from e.stream_id then
      previous := '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
      last_stream := e.stream_id;
    end if;
    previous := sha256(previous || event_store.event_content(
      e.stream_id, e.revision, e.event_id, e.type, e.schema_version,
      e.occurred_at, e.recorded_at, e.actor_user_id, e.actor_agency, e.actor_role,
      e.correlation_id, e.causation_id, e.data));
    update event_store.events set link = previous where global_position = e.global_position;
  end loop;
end
$backfill$;
alter table event_store.events alter column link set not null;

-- The store links the events it appends itself, in Node, where it knows the link before them
-- (a stream it created, or read, or appended to; chain.ts), and sends the links with the rows:
-- no work here. Any other insert, and an append whose base the store does not know ('any'),
-- comes without a link, and this trigger computes it. A BEFORE trigger sees the rows inserted
-- before it by the same statement, so an append of several events chains them in order. The
-- event before is always visible: the append inserts revision r only after finding r - 1
-- (exact), the stream's last (any), or nothing (no_stream, r = 0). Appends to one stream are
-- already serialised by the (stream_id, revision) key, so linking adds no contention.
create function event_store.link_event() returns trigger language plpgsql as $fn$
declare
  previous bytea;
begin
  if new.revision = 0 then
    previous := '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
  else
    select e.link into previous from event_store.events e
     where e.stream_id = new.stream_id and e.revision = new.revision - 1;
    if previous is null then
      raise exception 'revision % of stream % follows no stored event', new.revision, new.stream_id;
    end if;
  end if;
  -- event_content() written out: a SQL function called from PL/pgSQL is planned again on every
  -- call, which cost appends of many events half their speed (measured). The verifier and the
  -- tests hold this to the same bytes as the function.
  new.link := sha256(previous
      || convert_to(new.stream_id, 'UTF8') || '\\x00'::bytea
      || convert_to(new.revision::text, 'UTF8') || '\\x00'::bytea
      || convert_to(new.event_id::text, 'UTF8') || '\\x00'::bytea
      || convert_to(new.type, 'UTF8') || '\\x00'::bytea
      || convert_to(new.schema_version::text, 'UTF8') || '\\x00'::bytea
      || convert_to((extract(epoch from new.occurred_at) * 1000000)::bigint::text, 'UTF8')
      || '\\x00'::bytea
      || convert_to((extract(epoch from new.recorded_at) * 1000000)::bigint::text, 'UTF8')
      || '\\x00'::bytea
      || convert_to(new.actor_user_id, 'UTF8') || '\\x00'::bytea
      || convert_to(new.actor_agency, 'UTF8') || '\\x00'::bytea
      || convert_to(new.actor_role, 'UTF8') || '\\x00'::bytea
      || convert_to(new.correlation_id, 'UTF8') || '\\x00'::bytea
      || case when new.causation_id is null then '\\x6e'::bytea
              else '\\x76'::bytea || convert_to(new.causation_id, 'UTF8') end
      || '\\x00'::bytea
      || convert_to(new.data::text, 'UTF8'));
  return new;
end
$fn$;
create trigger events_link before insert on event_store.events
  for each row when (new.link is null) execute function event_store.link_event();

-- Sealed blocks: the global order in contiguous ranges of positions, each with the positions
-- and leaves of its events (sha256 of position and link, 32 bytes each, in order), their Merkle
-- root, the hash of the block before, and an Ed25519 signature over the block's hash. A block
-- covers (after_position, through_position]: gaps in the positions (rolled-back appends) are
-- inside a range, so an event inserted into one later is caught. Written once by the sealer.
create table event_store.blocks (
  block_number bigint primary key,
  after_position bigint not null,
  through_position bigint not null,
  event_count integer not null,
  positions bigint[] not null,
  leaves bytea not null,
  merkle_root bytea not null,
  previous_hash bytea not null,
  block_hash bytea not null,
  signature bytea not null,
  key_id text not null,
  sealed_at timestamptz not null,
  constraint blocks_range check (through_position > after_position)
);
`,
  },
  {
    version: 4,
    name: 'one-time upgrades of the log, and relinking a stream after one',
    sql: `
-- Upgrades of the stored log that a migration cannot do in SQL alone (encrypting the personal
-- fields stored before they were encrypted needs the keys, in Node): each is done once, under
-- the owner's role, and recorded here with what it did.
create table event_store.upgrades (
  name text primary key,
  done_at timestamptz not null default now(),
  detail jsonb not null
);

-- An upgrade that rewrote events' data links their streams anew, from the first event, as
-- migration 3 did. The owner's alone: the application's role cannot update events anyway.
create function event_store.relink_stream(target text) returns integer
  language plpgsql as $fn$
declare
  e record;
  previous bytea := '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
  n integer := 0;
begin
  for e in select * from event_store.events where stream_id = target order by revision loop
    previous := sha256(previous || event_store.event_content(
      e.stream_id, e.revision, e.event_id, e.type, e.schema_version,
      e.occurred_at, e.recorded_at, e.actor_user_id, e.actor_agency, e.actor_role,
      e.correlation_id, e.causation_id, e.data));
    update event_store.events set link = previous where global_position = e.global_position;
    n := n + 1;
  end loop;
  return n;
end
$fn$;
revoke all on function event_store.relink_stream(text) from public;
`,
  },
];
