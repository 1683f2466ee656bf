import type { CreditEntry } from '@samverkan/domain/citizen-promise/commitment-credit-ledger';
import {
  CITIZEN_PROMISE_EVENT_TYPES,
  type CreditedWork,
  type CreditEvent,
  type WorkKind,
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
  version: 2,
  tables: ['promises', 'commitment_activities', 'commitment_credits'],
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
       place_ids text[] not null,
       unresolved_place text,
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
    // Credits live in the work's stream (a walk's, a talk's...): one row per credit, standing
    // or withdrawn, with the work as the credit stated it.
    `create table ${schema}.commitment_credits (
       stream_id text not null,
       promise_id text not null,
       commitment_id text not null,
       work_id text not null,
       work_kind text not null,
       done_on date not null,
       place_ids text[] not null,
       standing boolean not null,
       withdrawal_reason text,
       credited_position bigint not null,
       last_position bigint not null,
       primary key (stream_id, promise_id, commitment_id, work_id)
     )`,
    `create index on ${schema}.commitment_credits (promise_id, commitment_id)`,
  ],
  async apply(events: readonly RecordedEvent[], tx: EntityManager, schema: string): Promise<void> {
    const documentEvents = new Map<string, RecordedEvent[]>();
    const activities = new Map<string, ActivityChange>();
    const credits = new Map<string, CreditChange>();
    for (const event of events) {
      if (event.type === 'CommitmentCredited' || event.type === 'CommitmentCreditWithdrawn') {
        foldCredit(credits, event);
        continue;
      }
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
    if (credits.size > 0) await applyCredits(tx, schema, [...credits.values()]);
    const changes = [...activities.values()];
    const recorded = changes.filter((c) => c.recordedPosition !== undefined);
    const changed = changes.filter((c) => c.recordedPosition === undefined);
    if (recorded.length > 0) {
      await tx.query(
        `insert into ${schema}.commitment_activities as a (promise_id, activity_id, commitment_id,
           kind, activity_date, place_ids, unresolved_place, agencies_present, outcome, figures, status, corrections,
           withdrawal_reason, recorded_position, last_position)
         select u.pid, u.aid, u.cid, u.kind, u.day,
                array(select jsonb_array_elements_text(u.place_ids)), u.unresolved,
                array(select jsonb_array_elements_text(u.agencies)), u.outcome, u.figures,
                u.status, array(select jsonb_array_elements_text(u.corrections)), u.wr,
                u.recorded, u.pos
           from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::jsonb[],
                $7::jsonb[], $8::text[], $9::jsonb[], $10::text[], $11::jsonb[], $12::text[],
                $13::bigint[], $14::bigint[], $15::text[])
             as u(pid, aid, cid, kind, day, place_ids, agencies, outcome, figures, status,
                  corrections, wr, recorded, pos, unresolved)
         -- A batch applied again (even overlapping what landed) restates the activity whole.
         on conflict (promise_id, activity_id) do update set
           commitment_id = excluded.commitment_id, kind = excluded.kind,
           activity_date = excluded.activity_date, place_ids = excluded.place_ids,
           unresolved_place = excluded.unresolved_place,
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
          recorded.map((c) => JSON.stringify(c.details!.placeIds)),
          recorded.map((c) => JSON.stringify(c.details!.agenciesPresent)),
          recorded.map((c) => c.details!.outcome),
          recorded.map((c) => JSON.stringify(c.details!.figures)),
          recorded.map((c) => c.status),
          recorded.map((c) => JSON.stringify(c.corrections.map((x) => x.reason))),
          recorded.map((c) => c.withdrawalReason ?? null),
          recorded.map((c) => c.recordedPosition),
          recorded.map((c) => c.position),
          recorded.map((c) => c.details!.unresolvedPlace ?? null),
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
           place_ids = case when u.place_ids is null then a.place_ids
             else array(select jsonb_array_elements_text(u.place_ids)) end,
           unresolved_place = case when u.place_ids is null then a.unresolved_place
             else u.unresolved end,
           agencies_present = case when u.agencies is null then a.agencies_present
             else array(select jsonb_array_elements_text(u.agencies)) end,
           outcome = coalesce(u.outcome, a.outcome), figures = coalesce(u.figures, a.figures),
           status = u.status,
           corrections = a.corrections || array(
             select x ->> 1 from jsonb_array_elements(u.corrections) x
              where (x ->> 0)::bigint > a.last_position order by (x ->> 0)::bigint),
           withdrawal_reason = coalesce(u.wr, a.withdrawal_reason), last_position = u.pos
           from unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::jsonb[], $6::jsonb[],
                $7::text[], $8::jsonb[], $9::text[], $10::jsonb[], $11::text[], $12::bigint[],
                $13::text[])
             as u(pid, aid, kind, day, place_ids, agencies, outcome, figures, status, corrections,
                  wr, pos, unresolved)
          where a.promise_id = u.pid and a.activity_id = u.aid and a.last_position < u.pos`,
        [
          changed.map((c) => c.promiseId),
          changed.map((c) => c.activityId),
          changed.map((c) => c.details?.kind ?? null),
          changed.map((c) => c.details?.date ?? null),
          changed.map((c) => (c.details ? JSON.stringify(c.details.placeIds) : null)),
          changed.map((c) => (c.details ? JSON.stringify(c.details.agenciesPresent) : null)),
          changed.map((c) => c.details?.outcome ?? null),
          changed.map((c) => (c.details ? JSON.stringify(c.details.figures) : null)),
          changed.map((c) => c.status),
          changed.map((c) => JSON.stringify(c.corrections.map((x) => [x.position, x.reason]))),
          changed.map((c) => c.withdrawalReason ?? null),
          changed.map((c) => c.position),
          changed.map((c) => c.details?.unresolvedPlace ?? null),
        ],
      );
    }
  },
};

/** What a batch does to one credit: credited (with the work) or withdrawn. */
interface CreditChange {
  streamId: string;
  promiseId: string;
  commitmentId: string;
  workId: string;
  work?: CreditedWork;
  standing: boolean;
  withdrawalReason: string | null;
  creditedPosition?: number;
  position: number;
}

function foldCredit(credits: Map<string, CreditChange>, event: RecordedEvent): void {
  const data = event.data as unknown as CreditEvent['data'];
  const workId = 'work' in data ? data.work.workId : data.workId;
  const key = [event.streamId, data.promiseId, data.commitmentId, workId].join('\u0000');
  const before = credits.get(key);
  const base = {
    streamId: event.streamId,
    promiseId: data.promiseId,
    commitmentId: data.commitmentId,
    workId,
  };
  credits.set(
    key,
    'work' in data
      ? {
          ...base,
          work: data.work,
          standing: true,
          withdrawalReason: null,
          creditedPosition: event.globalPosition,
          position: event.globalPosition,
        }
      : {
          ...base,
          ...before,
          standing: false,
          withdrawalReason: data.reason,
          position: event.globalPosition,
        },
  );
}

/**
 * Credits of a batch: given ones are written whole (a credit given again after a withdrawal
 * restates it); withdrawals of credits given in earlier batches only turn them off. The
 * position guard makes a batch applied again change nothing.
 */
async function applyCredits(
  tx: EntityManager,
  schema: string,
  changes: CreditChange[],
): Promise<void> {
  const given = changes.filter((c) => c.work);
  const withdrawn = changes.filter((c) => !c.work);
  if (given.length > 0) {
    await tx.query(
      `insert into ${schema}.commitment_credits as c (stream_id, promise_id, commitment_id,
         work_id, work_kind, done_on, place_ids, standing, withdrawal_reason, credited_position,
         last_position)
       select u.sid, u.pid, u.cid, u.wid, u.kind, u.done_on,
              array(select jsonb_array_elements_text(u.place_ids)), u.standing, u.reason,
              u.credited, u.pos
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[],
              $7::jsonb[], $8::boolean[], $9::text[], $10::bigint[], $11::bigint[])
           as u(sid, pid, cid, wid, kind, done_on, place_ids, standing, reason, credited, pos)
       on conflict (stream_id, promise_id, commitment_id, work_id) do update set
         work_kind = excluded.work_kind, done_on = excluded.done_on,
         place_ids = excluded.place_ids, standing = excluded.standing,
         withdrawal_reason = excluded.withdrawal_reason,
         credited_position = excluded.credited_position, last_position = excluded.last_position
       where c.last_position < excluded.last_position`,
      [
        given.map((c) => c.streamId),
        given.map((c) => c.promiseId),
        given.map((c) => c.commitmentId),
        given.map((c) => c.workId),
        given.map((c) => c.work!.kind),
        given.map((c) => c.work!.doneOn),
        given.map((c) => JSON.stringify(c.work!.placeIds)),
        given.map((c) => c.standing),
        given.map((c) => c.withdrawalReason),
        given.map((c) => c.creditedPosition),
        given.map((c) => c.position),
      ],
    );
  }
  if (withdrawn.length > 0) {
    await tx.query(
      `update ${schema}.commitment_credits c
          set standing = false, withdrawal_reason = u.reason, last_position = u.pos
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
           as u(sid, pid, cid, wid, reason, pos)
        where c.stream_id = u.sid and c.promise_id = u.pid and c.commitment_id = u.cid
          and c.work_id = u.wid and c.last_position < u.pos`,
      [
        withdrawn.map((c) => c.streamId),
        withdrawn.map((c) => c.promiseId),
        withdrawn.map((c) => c.commitmentId),
        withdrawn.map((c) => c.workId),
        withdrawn.map((c) => c.withdrawalReason),
        withdrawn.map((c) => c.position),
      ],
    );
  }
}

/** The credits of one promise's commitments from the read model, in the order credited. */
export async function readPromiseCredits(
  db: Queryable,
  promiseId: string,
  schema = 'projections',
): Promise<CreditEntry[]> {
  const rows = await db.query<
    {
      stream_id: string;
      commitment_id: string;
      work_id: string;
      work_kind: WorkKind;
      done_on: string;
      place_ids: string[];
      standing: boolean;
      withdrawal_reason: string | null;
    }[]
  >(
    `select stream_id, commitment_id, work_id, work_kind, done_on::text, place_ids, standing,
            withdrawal_reason
       from ${schema}.commitment_credits where promise_id = $1
      order by credited_position`,
    [promiseId],
  );
  return rows.map((r) => ({
    streamId: r.stream_id,
    promiseId,
    commitmentId: r.commitment_id,
    work: { kind: r.work_kind, workId: r.work_id, doneOn: r.done_on, placeIds: r.place_ids },
    standing: r.standing,
    withdrawalReason: r.withdrawal_reason,
  }));
}

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
  place_ids: string[];
  unresolved_place: string | null;
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
    `select activity_id, commitment_id, kind, activity_date::text, place_ids, unresolved_place,
            agencies_present,
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
      placeIds: a.place_ids,
      ...(a.unresolved_place === null ? {} : { unresolvedPlace: a.unresolved_place }),
      agenciesPresent: a.agencies_present,
      outcome: a.outcome,
      figures: a.figures,
      status: a.status,
      corrections: a.corrections,
      withdrawalReason: a.withdrawal_reason,
    })),
  };
}
