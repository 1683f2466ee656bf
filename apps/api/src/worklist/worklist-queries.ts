import type { Actor } from '@samverkan/domain/actor';
import type { AgencyCode } from '@samverkan/domain/agencies/agencies';
import { addDays, type IsoWeek, type LocalDate } from '@samverkan/domain/calendar';
import type {
  Cadence,
  CommitmentOwner,
} from '@samverkan/domain/citizen-promise/citizen-promise.events';
import { actsFor } from '@samverkan/domain/citizen-promise/commitment-owner';
import { commitmentTimeline } from '@samverkan/domain/citizen-promise/commitment-timeline';
import type { Participant } from '@samverkan/domain/prevention-talks/prevention-talks.events';
import type { LegalBasis } from '@samverkan/domain/prevention-talks/prevention-talks.events';
import {
  readPromiseCredits,
  readPromiseDocument,
} from '@samverkan/projections/commitment-timeline/commitment-timeline.projection';
import type { Queryable } from '@samverkan/projections/situation-picture/situation-picture.projection';
import { FINDING_COLUMNS, findingVisibleSql, type FindingRow } from '../lists/finding-rows';
import { SqlParams } from '../lists/keyset';
import { MAX_SPAN_DAYS } from '../lists/list-query';

/** The most items one section of a worklist shows; its total says how many there are. */
export const SECTION_LIMIT = 100;
/** A follow-up is on the worklist from this many days before it is due. */
export const DUE_WITHIN_DAYS = 14;
/** Promises looked at for commitments behind: a partnership has one or two at a time. */
const PROMISES_LOOKED_AT = 20;

/** Open findings given to the reader's agency, oldest first, as far as the policy lets it see. */
export async function assignedFindings(
  db: Queryable,
  reader: Actor,
): Promise<{ rows: FindingRow[]; total: number }> {
  const params = new SqlParams();
  const where = `f.responsible_party = ${params.p(reader.agency)} and f.addressed_on is null
    and ${findingVisibleSql(reader, params)}`;
  const rows = await db.query<(FindingRow & { total: number })[]>(
    `select ${FINDING_COLUMNS}, count(*) over ()::int as total from projections.findings f
      where ${where}
      order by f.found_on, f.stream_id collate "C", f.finding_id collate "C"
      limit ${SECTION_LIMIT}`,
    params.values,
  );
  return { rows, total: rows[0]?.total ?? 0 };
}

export interface DueFollowUpRow {
  talk_id: string;
  legal_basis: LegalBasis;
  participants: Participant[];
  due_on: string;
}

/**
 * Agreed follow-ups of talks not closed that the reader's agency answers for, due within
 * `DUE_WITHIN_DAYS` or overdue: one row per follow-up, with the talk's readers so that the
 * caller asks the access policy before anything of the talk is shown.
 */
export async function dueFollowUps(
  db: Queryable,
  agency: AgencyCode,
  today: LocalDate,
): Promise<DueFollowUpRow[]> {
  // Bounded by what one agency has due: a talk is followed up or closed within weeks.
  return db.query<DueFollowUpRow[]>(
    `select t.talk_id, t.legal_basis, t.participants, f->>'dueOn' as due_on
       from projections.prevention_talks t, jsonb_array_elements(t.follow_ups) f
      where not t.closed and f->>'responsibleAgency' = $1 and (f->>'dueOn')::date <= $2::date
      order by (f->>'dueOn')::date, t.talk_id collate "C"
      limit 1000`,
    [agency, addDays(today, DUE_WITHIN_DAYS)],
  );
}

export interface CommitmentBehind {
  readonly promiseId: string;
  readonly title: string;
  readonly commitmentId: string;
  readonly description: string;
  readonly owner: CommitmentOwner;
  readonly cadence: Cadence | null;
  readonly fulfilmentText: string | null;
}

/**
 * Commitments of promises in force that the reader's agency carries (its own, the
 * municipality's through its administrations, or joint) and that are behind their cadence
 * over the promise's period up to today (at most the last five years of it).
 */
export async function commitmentsBehind(
  db: Queryable,
  agency: AgencyCode,
  today: LocalDate,
): Promise<CommitmentBehind[]> {
  const promises = await db.query<{ promise_id: string }[]>(
    `select promise_id from projections.promises
      where document->>'status' = 'in_force' and document->'period'->>'from' <= $1
      order by document->'period'->>'from' desc, promise_id collate "C"
      limit ${PROMISES_LOOKED_AT}`,
    [today],
  );
  const behind: CommitmentBehind[] = [];
  for (const { promise_id } of promises) {
    const doc = await readPromiseDocument(db, promise_id);
    if (!doc) continue;
    const to = doc.period.to < today ? doc.period.to : today;
    const earliest = addDays(to, -(MAX_SPAN_DAYS - 1));
    const from = doc.period.from > earliest ? doc.period.from : earliest;
    const timeline = commitmentTimeline(doc, await readPromiseCredits(db, promise_id), {
      from,
      to,
    });
    for (const c of timeline.commitments) {
      if (c.status !== 'behind' || !actsFor(c.owner, agency)) continue;
      behind.push({
        promiseId: doc.promiseId,
        title: doc.title,
        commitmentId: c.commitmentId,
        description: c.description,
        owner: c.owner,
        cadence: c.cadence,
        fulfilmentText: c.fulfilmentText,
      });
    }
  }
  return behind;
}

/** Places the agency reports EST for that have no count of its own for `week` yet. */
export async function estPlacesWithoutCount(
  db: Queryable,
  agency: AgencyCode,
  week: IsoWeek,
): Promise<string[]> {
  const rows = await db.query<{ place_id: string }[]>(
    `select r.place_id from projections.est_reporters r
      where r.agency = $1 and r.assigned
        and not exists (select 1 from projections.est_counts c
                         where c.place_id = r.place_id and c.week = $2
                           and c.reporting_agency = $1)
      order by r.place_id collate "C"
      limit ${SECTION_LIMIT}`,
    [agency, week],
  );
  return rows.map((r) => r.place_id);
}

export interface UnknownPlace {
  readonly source: 'activity' | 'situation-report' | 'finding' | 'safety-walk' | 'est-reporter';
  /** `promiseId/activityId` of an activity, `walkId/findingId` of a walk's finding, else the id. */
  readonly id: string;
  /** Free text from before the places register that matched no place. */
  readonly unresolvedPlace?: string;
  /** An id the register does not hold (any more). */
  readonly placeId?: string;
}

/**
 * What the places register does not cover, for the safety coordinator who keeps it: free-text
 * places kept from before the register, and place ids the register does not hold. Restricted
 * situation reports are only counted here: their content is read with a purpose, one by one.
 */
export async function unknownPlaces(
  db: Queryable,
  registered: readonly string[],
): Promise<{ items: UnknownPlace[]; total: number; restrictedNotShown: number }> {
  const ids = '$1::text[]';
  const rows = await db.query<
    {
      source: UnknownPlace['source'];
      id: string;
      text: string | null;
      place_id: string | null;
      total: number;
    }[]
  >(
    `with found (source, id, text, place_id) as (
       select 'activity', a.promise_id || '/' || a.activity_id, a.unresolved_place, null::text
         from projections.commitment_activities a
        where a.status <> 'withdrawn' and a.unresolved_place is not null
       union all
       select 'activity', a.promise_id || '/' || a.activity_id, null, p
         from projections.commitment_activities a, unnest(a.place_ids) p
        where a.status <> 'withdrawn' and p <> all(${ids})
       union all
       select 'situation-report', r.report_id, r.unresolved_place, null
         from projections.situation_reports r
        where r.status = 'reported' and r.sensitivity = 'open' and r.unresolved_place is not null
       union all
       select 'situation-report', r.report_id, null, p
         from projections.situation_reports r, unnest(r.place_ids) p
        where r.status = 'reported' and r.sensitivity = 'open' and p <> all(${ids})
       union all
       select 'finding', coalesce(f.walk_id || '/', '') || f.finding_id, f.unresolved_place, null
         from projections.findings f where f.unresolved_place is not null
       union all
       select 'finding', coalesce(f.walk_id || '/', '') || f.finding_id, null, p
         from projections.findings f, unnest(f.place_ids) p where p <> all(${ids})
       union all
       select 'safety-walk', w.walk_id, u, null
         from projections.safety_walks w, unnest(w.unresolved_places) u
       union all
       select 'safety-walk', w.walk_id, null, p
         from projections.safety_walks w,
              unnest(w.route || case when w.area_id is null then '{}'::text[] else array[w.area_id] end) p
        where p <> all(${ids})
       union all
       select 'est-reporter', e.place_id || '/' || e.agency, null, e.place_id
         from projections.est_reporters e where e.assigned and e.place_id <> all(${ids})
     )
     select source, id, text, place_id, count(*) over ()::int as total from found
      order by source, id collate "C", text, place_id
      limit ${SECTION_LIMIT}`,
    [registered],
  );
  const [restricted] = await db.query<{ n: number }[]>(
    `select count(*)::int as n from projections.situation_reports r
      where r.status = 'reported' and r.sensitivity <> 'open'
        and (r.unresolved_place is not null or not (r.place_ids <@ $1::text[]))`,
    [registered],
  );
  return {
    items: rows.map((r) => ({
      source: r.source,
      id: r.id,
      ...(r.text === null ? {} : { unresolvedPlace: r.text }),
      ...(r.place_id === null ? {} : { placeId: r.place_id }),
    })),
    total: rows[0]?.total ?? 0,
    restrictedNotShown: restricted?.n ?? 0,
  };
}
