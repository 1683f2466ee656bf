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
];
