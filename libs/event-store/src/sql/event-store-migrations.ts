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
    name: 'streams, events and the append function',
    sql: `
-- Global positions come from this sequence. CACHE 1 matters: read_watermark() reads its
-- last_value as "every position drawn so far", which per-session caches would break.
create sequence event_store.global_position_seq as bigint cache 1;

create table event_store.streams (
  -- "C" collation so that a stream-prefix filter can use the index as a range.
  stream_id text collate "C" primary key,
  -- Revision of the stream's last event (0-based). The row lock on it is what orders
  -- concurrent appends to one stream; appends to different streams never wait on each other.
  revision bigint not null,
  created_at timestamptz not null default now()
);

create table event_store.events (
  global_position bigint primary key default nextval('event_store.global_position_seq'),
  event_id uuid not null,
  stream_id text collate "C" not null,
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

-- Appends events to one stream in one statement, so an append costs one round trip.
-- p_expected: -1 any, -2 no_stream, -3 stream_exists, otherwise the exact revision.
-- Outcomes: 'appended'; 'already_appended' (every event id was stored before in this stream:
-- a retry, nothing written, the first positions returned); 'wrong_expected_revision'
-- (nothing written, stream_revision holds the actual revision, -1 for no stream).
create function event_store.append_events(
  p_stream_id text,
  p_expected bigint,
  p_event_ids uuid[],
  p_types text[],
  p_schema_versions integer[],
  p_data jsonb[],
  p_occurred_at timestamptz[],
  p_actor_user_id text,
  p_actor_agency text,
  p_actor_role text,
  p_correlation_id text,
  p_causation_id text,
  out outcome text,
  out stream_revision bigint,
  out global_positions bigint[],
  out revisions bigint[]
) language plpgsql as $fn$
declare
  v_current bigint;
  v_count integer := cardinality(p_event_ids);
  v_found integer;
begin
  -- Take the transaction id before drawing any global position. Readers treat a position as
  -- final once every transaction with an xid below a reader's own has ended (read_watermark);
  -- a position drawn before its transaction had an id would escape that rule and be skipped.
  perform pg_current_xact_id();

  loop
    select s.revision into v_current
      from event_store.streams s where s.stream_id = p_stream_id for update;
    if not found then
      v_current := -1;
    end if;

    if not (p_expected = -1
         or (p_expected = -2 and v_current = -1)
         or (p_expected = -3 and v_current >= 0)
         or p_expected = v_current) then
      -- A retry of an append that committed is not a conflict: return what it wrote.
      select count(*),
             array_agg(e.global_position order by array_position(p_event_ids, e.event_id)),
             array_agg(e.revision order by array_position(p_event_ids, e.event_id))
        into v_found, global_positions, revisions
        from event_store.events e
       where e.event_id = any(p_event_ids) and e.stream_id = p_stream_id;
      stream_revision := v_current;
      if v_found = v_count then
        outcome := 'already_appended';
      else
        outcome := 'wrong_expected_revision';
        global_positions := null;
        revisions := null;
      end if;
      return;
    end if;

    if v_current = -1 then
      insert into event_store.streams (stream_id, revision) values (p_stream_id, v_count - 1)
        on conflict (stream_id) do nothing;
      -- Not found: another writer created the stream since we looked; lock it and check again.
      exit when found;
    else
      update event_store.streams set revision = v_current + v_count
       where stream_id = p_stream_id;
      exit;
    end if;
  end loop;

  with appended as (
    insert into event_store.events (
      event_id, stream_id, revision, type, schema_version, data, occurred_at,
      actor_user_id, actor_agency, actor_role, correlation_id, causation_id)
    select e.event_id, p_stream_id, v_current + e.ord, e.type, e.schema_version, e.data,
           e.occurred_at, p_actor_user_id, p_actor_agency, p_actor_role, p_correlation_id,
           p_causation_id
      from unnest(p_event_ids, p_types, p_schema_versions, p_data, p_occurred_at)
             with ordinality as e(event_id, type, schema_version, data, occurred_at, ord)
     order by e.ord
    returning event_store.events.revision as rev, event_store.events.global_position as pos
  )
  select array_agg(a.pos order by a.rev), array_agg(a.rev order by a.rev)
    into global_positions, revisions
    from appended a;

  outcome := 'appended';
  stream_revision := v_current + v_count;
end
$fn$;

-- The read side of the gap-free global order. Global positions are drawn at insert but
-- transactions commit in any order, so a reader that passed position 7 while the transaction
-- holding 6 was still open would skip 6 for ever. This returns the last position drawn so far
-- and then takes a transaction id of its own: every writer of a position <= last_drawn got its
-- xid before drawing (append_events sees to that), so before ours, so below ours. Once a later
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
