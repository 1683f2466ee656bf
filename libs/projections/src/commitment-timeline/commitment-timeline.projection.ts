import {
  CITIZEN_PROMISE_EVENT_TYPES,
  type ActivityDetails,
  type CitizenPromiseEvent,
  type CommitmentActivityCorrected,
  type CommitmentActivityRecorded,
} from '@samverkan/domain/citizen-promise/citizen-promise.events';
import {
  evolvePromiseDocument,
  type PromiseDocument,
} from '@samverkan/domain/citizen-promise/citizen-promise.view';
import type { RecordedEvent } from '@samverkan/event-store/event-store.port';
import type { EntityManager } from 'typeorm';
import type { Projection } from '../projection';
import type { Queryable } from '../situation-picture/situation-picture.projection';

const PROMISE_STREAM = 'citizen-promise-';
const ACTIVITY_EVENTS = new Set([
  'CommitmentActivityRecorded',
  'CommitmentActivityCorrected',
  'CommitmentActivityWithdrawn',
]);

type Activity = PromiseDocument['activities'][number];

/** What a batch does to one activity: all of it (recorded in the batch) or a change to it. */
interface ActivityChange {
  promiseId: string;
  activityId: string;
  commitmentId?: string;
  details?: ActivityDetails;
  status: Activity['status'];
  /** Corrections in this batch (position, reason), appended to those before. */
  corrections: { position: number; reason: string }[];
  withdrawalReason?: string;
  /** The position of its recording: activities keep the order they were recorded in. */
  recordedPosition?: number;
  position: number;
}

/**
 * Commitment timelines: per promise its document (commitments, owners, cadences, signatures,
 * revisions, follow-ups) and every activity under its commitments as it stands now. The
 * document is evolved by the domain's own function; activities, the bulk of the log, are folded
 * per batch in memory and written with one statement per kind of change. Rows keep the position
 * of the last event applied, so a batch applied again changes nothing.
 */
export const commitmentTimelineProjection: Projection = {
  name: 'commitment-timeline',
  version: 1,
  tables: ['promises', 'commitment_activities'],
  eventTypes: CITIZEN_PROMISE_EVENT_TYPES,
  createTables: (schema) => [
    `create table ${schema}.promises (
       promise_id text primary key,
       -- The promise's document without its activities (those are rows of their own).
       document jsonb not null,
       last_position bigint not null
     )`,
    `create table ${schema}.commitment_activities (
       promise_id text not null,
       activity_id text not null,
       commitment_id text not null,
       kind text not null,
       activity_date date not null,
       place text not null,
       agencies_present text[] not null,
       outcome text not null,
       figures jsonb not null,
       status text not null,
       corrections text[] not null,
       withdrawal_reason text,
       recorded_position bigint not null,
       last_position bigint not null,
       primary key (promise_id, activity_id)
     )`,
    `create index on ${schema}.commitment_activities (promise_id, commitment_id, activity_date)`,
  ],
  async apply(events: readonly RecordedEvent[], tx: EntityManager, schema: string): Promise<void> {
    const documentEvents = new Map<string, RecordedEvent[]>();
    const activities = new Map<string, ActivityChange>();
    for (const event of events) {
      if (!event.streamId.startsWith(PROMISE_STREAM)) continue;
      const promiseId = event.streamId.slice(PROMISE_STREAM.length);
      if (!ACTIVITY_EVENTS.has(event.type)) {
        const list = documentEvents.get(promiseId) ?? [];
        list.push(event);
        documentEvents.set(promiseId, list);
        continue;
      }
      const data = event.data as { activityId: string };
      const key = `${promiseId}\u0000${data.activityId}`;
      const before = activities.get(key);
      const base = before ?? { promiseId, activityId: data.activityId, corrections: [] };
      switch (event.type) {
        case 'CommitmentActivityRecorded': {
          const {
            activityId: _a,
            commitmentId,
            ...details
          } = event.data as unknown as CommitmentActivityRecorded['data'];
          activities.set(key, {
            promiseId,
            activityId: data.activityId,
            commitmentId,
            details,
            status: 'recorded',
            corrections: [],
            recordedPosition: event.globalPosition,
            position: event.globalPosition,
          });
          break;
        }
        case 'CommitmentActivityCorrected': {
          const {
            activityId: _a,
            reason,
            ...details
          } = event.data as unknown as CommitmentActivityCorrected['data'];
          activities.set(key, {
            ...base,
            details,
            status: 'corrected',
            corrections: [...base.corrections, { position: event.globalPosition, reason }],
            position: event.globalPosition,
          });
          break;
        }
        default: {
          const { reason } = event.data as { reason: string };
          activities.set(key, {
            ...base,
            status: 'withdrawn',
            withdrawalReason: reason,
            position: event.globalPosition,
          });
        }
      }
    }
    if (documentEvents.size > 0) await applyDocuments(tx, schema, documentEvents);
    const changes = [...activities.values()];
    const recorded = changes.filter((c) => c.recordedPosition !== undefined);
    const changed = changes.filter((c) => c.recordedPosition === undefined);
    if (recorded.length > 0) {
      await tx.query(
        `insert into ${schema}.commitment_activities as a (promise_id, activity_id, commitment_id,
           kind, activity_date, place, agencies_present, outcome, figures, status, corrections,
           withdrawal_reason, recorded_position, last_position)
         select u.pid, u.aid, u.cid, u.kind, u.day, u.place,
                array(select jsonb_array_elements_text(u.agencies)), u.outcome, u.figures,
                u.status, array(select jsonb_array_elements_text(u.corrections)), u.wr,
                u.recorded, u.pos
           from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::text[],
                $7::jsonb[], $8::text[], $9::jsonb[], $10::text[], $11::jsonb[], $12::text[],
                $13::bigint[], $14::bigint[])
             as u(pid, aid, cid, kind, day, place, agencies, outcome, figures, status,
                  corrections, wr, recorded, pos)
         -- A batch applied again (even overlapping what landed) restates the activity whole.
         on conflict (promise_id, activity_id) do update set
           commitment_id = excluded.commitment_id, kind = excluded.kind,
           activity_date = excluded.activity_date, place = excluded.place,
           agencies_present = excluded.agencies_present, outcome = excluded.outcome,
           figures = excluded.figures, status = excluded.status,
           corrections = excluded.corrections, withdrawal_reason = excluded.withdrawal_reason,
           recorded_position = excluded.recorded_position, last_position = excluded.last_position
         where a.last_position < excluded.last_position`,
        [
          recorded.map((c) => c.promiseId),
          recorded.map((c) => c.activityId),
          recorded.map((c) => c.commitmentId),
          recorded.map((c) => c.details!.kind),
          recorded.map((c) => c.details!.date),
          recorded.map((c) => c.details!.place),
          recorded.map((c) => JSON.stringify(c.details!.agenciesPresent)),
          recorded.map((c) => c.details!.outcome),
          recorded.map((c) => JSON.stringify(c.details!.figures)),
          recorded.map((c) => c.status),
          recorded.map((c) => JSON.stringify(c.corrections.map((x) => x.reason))),
          recorded.map((c) => c.withdrawalReason ?? null),
          recorded.map((c) => c.recordedPosition),
          recorded.map((c) => c.position),
        ],
      );
    }
    if (changed.length > 0) {
      // Corrections and withdrawals of activities recorded in earlier batches. Only what the
      // row has not seen counts (the position guards), so a batch applied again, whole or in
      // part, appends no correction twice.
      await tx.query(
        `update ${schema}.commitment_activities a set
           kind = coalesce(u.kind, a.kind), activity_date = coalesce(u.day, a.activity_date),
           place = coalesce(u.place, a.place),
           agencies_present = case when u.agencies is null then a.agencies_present
             else array(select jsonb_array_elements_text(u.agencies)) end,
           outcome = coalesce(u.outcome, a.outcome), figures = coalesce(u.figures, a.figures),
           status = u.status,
           corrections = a.corrections || array(
             select x ->> 1 from jsonb_array_elements(u.corrections) x
              where (x ->> 0)::bigint > a.last_position order by (x ->> 0)::bigint),
           withdrawal_reason = coalesce(u.wr, a.withdrawal_reason), last_position = u.pos
           from unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[], $6::jsonb[],
                $7::text[], $8::jsonb[], $9::text[], $10::jsonb[], $11::text[], $12::bigint[])
             as u(pid, aid, kind, day, place, agencies, outcome, figures, status, corrections,
                  wr, pos)
          where a.promise_id = u.pid and a.activity_id = u.aid and a.last_position < u.pos`,
        [
          changed.map((c) => c.promiseId),
          changed.map((c) => c.activityId),
          changed.map((c) => c.details?.kind ?? null),
          changed.map((c) => c.details?.date ?? null),
          changed.map((c) => c.details?.place ?? null),
          changed.map((c) => (c.details ? JSON.stringify(c.details.agenciesPresent) : null)),
          changed.map((c) => c.details?.outcome ?? null),
          changed.map((c) => (c.details ? JSON.stringify(c.details.figures) : null)),
          changed.map((c) => c.status),
          changed.map((c) => JSON.stringify(c.corrections.map((x) => [x.position, x.reason]))),
          changed.map((c) => c.withdrawalReason ?? null),
          changed.map((c) => c.position),
        ],
      );
    }
  },
};

/** Promise documents change seldom: read, evolve with the domain's function, write back. */
async function applyDocuments(
  tx: EntityManager,
  schema: string,
  byPromise: Map<string, RecordedEvent[]>,
): Promise<void> {
  const ids = [...byPromise.keys()];
  const rows = await tx.query<
    { promise_id: string; document: PromiseDocument; last_position: string }[]
  >(
    `select promise_id, document, last_position from ${schema}.promises
      where promise_id = any($1::text[]) for update`,
    [ids],
  );
  const stored = new Map(rows.map((r) => [r.promise_id, r]));
  const out: { id: string; document: PromiseDocument; position: number }[] = [];
  for (const [id, events] of byPromise) {
    const row = stored.get(id);
    let doc: PromiseDocument | undefined = row?.document;
    let position = Number(row?.last_position ?? 0);
    for (const event of events) {
      if (event.globalPosition <= position) continue;
      doc = evolvePromiseDocument(doc, {
        type: event.type,
        data: event.data,
      } as unknown as CitizenPromiseEvent);
      position = event.globalPosition;
    }
    if (doc && position > Number(row?.last_position ?? 0))
      out.push({ id, document: doc, position });
  }
  if (out.length === 0) return;
  await tx.query(
    `insert into ${schema}.promises (promise_id, document, last_position)
     select * from unnest($1::text[], $2::jsonb[], $3::bigint[])
     on conflict (promise_id) do update
       set document = excluded.document, last_position = excluded.last_position`,
    [out.map((o) => o.id), out.map((o) => JSON.stringify(o.document)), out.map((o) => o.position)],
  );
}

interface ActivityRow {
  activity_id: string;
  commitment_id: string;
  kind: string;
  activity_date: string;
  place: string;
  agencies_present: Activity['agenciesPresent'];
  outcome: string;
  figures: Record<string, number>;
  status: Activity['status'];
  corrections: string[];
  withdrawal_reason: string | null;
}

/** A promise's document with its activities in the order recorded, from the read model. */
export async function readPromiseDocument(
  db: Queryable,
  promiseId: string,
  schema = 'projections',
): Promise<PromiseDocument | undefined> {
  const [row] = await db.query<{ document: PromiseDocument }[]>(
    `select document from ${schema}.promises where promise_id = $1`,
    [promiseId],
  );
  if (!row) return undefined;
  const activities = await db.query<ActivityRow[]>(
    `select activity_id, commitment_id, kind, activity_date::text, place, agencies_present,
            outcome, figures, status, corrections, withdrawal_reason
       from ${schema}.commitment_activities where promise_id = $1
      order by recorded_position`,
    [promiseId],
  );
  return {
    ...row.document,
    activities: activities.map((a) => ({
      activityId: a.activity_id,
      commitmentId: a.commitment_id,
      kind: a.kind,
      date: a.activity_date,
      place: a.place,
      agenciesPresent: a.agencies_present,
      outcome: a.outcome,
      figures: a.figures,
      status: a.status,
      corrections: a.corrections,
      withdrawalReason: a.withdrawal_reason,
    })),
  };
}
