import type { AgencyCode } from '@samverkan/domain/agencies/agencies';
import { isoWeekStart } from '@samverkan/domain/calendar';
import type {
  PreventionTalkEvent,
  PreventionTalkHeld,
  PreventionTalkParticipantsChanged,
  PreventionTalkPlanned,
  Participant,
} from '@samverkan/domain/prevention-talks/prevention-talks.events';
import type {
  FindingAddressed,
  FindingEvent,
  FindingReassigned,
  FindingReported,
  SafetyWalkConducted,
  SafetyWalkEvent,
  SafetyWalkPlanned,
} from '@samverkan/domain/safety-walks/safety-walks.events';
import {
  EST_COUNTS_EVENT_TYPES,
  EST_REPORTERS_EVENT_TYPES,
  type EstCountsReported,
  type EstReporterAssigned,
} from '@samverkan/domain/situation-picture/est.events';
import type { RecordedEvent } from '@samverkan/event-store/event-store.port';
import type { EntityManager } from 'typeorm';
import type { Projection } from '../projection';
import { deleteRowsOfStreams, isPastRetention, retentionCutoffsFor } from '../retention';
import { upsertRows, type Column } from './batched-upsert';

const WALK_STREAM = 'safety-walk-';
const FINDING_STREAM = 'finding-';
const TALK_STREAM = 'prevention-talk-';
const EST_PLACE_STREAM = 'est-place-';
const EST_REPORTERS_STREAM = 'est-reporters-';

const WALK_TYPES: readonly SafetyWalkEvent['type'][] = [
  'SafetyWalkPlanned',
  'SafetyWalkConducted',
  'FindingReassigned',
  'FindingAddressed',
];
const FINDING_TYPES: readonly FindingEvent['type'][] = [
  'FindingReported',
  'FindingReassigned',
  'FindingAddressed',
];
// Consents and credits are left out: this read model says nothing of either.
const TALK_TYPES: readonly PreventionTalkEvent['type'][] = [
  'PreventionTalkPlanned',
  'PreventionTalkParticipantsChanged',
  'PreventionTalkHeld',
  'PreventionTalkFollowedUp',
];

export interface WalkRow {
  walkId: string;
  areaId: string | null;
  route: readonly string[];
  unresolvedPlaces: readonly string[];
  plannedOn: string | null;
  invitedParties: readonly AgencyCode[];
  conductedOn: string | null;
  participants: readonly AgencyCode[];
  residentsTakingPart: number | null;
  status: 'planned' | 'conducted';
  position: number;
}

export interface FindingRow {
  streamId: string;
  findingId: string;
  /** Null for a finding reported outside a walk. */
  walkId: string | null;
  placeIds: readonly string[];
  unresolvedPlace: string | null;
  kind: string;
  description: string;
  responsibleParty: AgencyCode;
  /** Every party it was given to, the current one last (the access policy's `finding`). */
  responsibleParties: readonly AgencyCode[];
  /** Outside walks: who reported it. */
  reportingAgency: AgencyCode | null;
  /** On a walk: the walk's invited parties (the access policy's `safety-walk`). */
  invitedParties: readonly AgencyCode[];
  foundOn: string;
  addressedOn: string | null;
  action: string | null;
  position: number;
}

/** What the talk agreed, without the action: that is free text about a young person. */
export interface TalkFollowUpRow {
  responsibleAgency: AgencyCode;
  dueOn: string;
}

export interface TalkRow {
  talkId: string;
  plannedFor: string;
  heldOn: string | null;
  status: 'planned' | 'held' | 'closed';
  legalBasis: 'consent' | 'osl-10-18a';
  /** The planned list as last changed: a change replaces it (the one removed reads no more). */
  plannedParticipants: readonly Participant[];
  heldParticipants: readonly Participant[];
  followUps: readonly TalkFollowUpRow[];
  position: number;
}

interface EstCountRow {
  placeId: string;
  week: string;
  reportingAgency: AgencyCode;
  counts: EstCountsReported['data']['counts'];
  position: number;
}

interface EstReporterRow {
  placeId: string;
  agency: AgencyCode;
  assigned: boolean;
  position: number;
}

/**
 * Who may read a talk, as the feed decides it too (libs/integration feed-audience): those
 * planned (as last changed) and those who held it; a change of participants before the talk
 * replaces the planned list, so an agency taken off it is no longer among the readers.
 */
export function talkReaders(talk: Pick<TalkRow, 'plannedParticipants' | 'heldParticipants'>) {
  const all = [...talk.plannedParticipants, ...talk.heldParticipants];
  return all.filter(
    (p, i) => all.findIndex((q) => q.agency === p.agency && q.role === p.role) === i,
  );
}

const findingKey = (streamId: string, findingId: string) => `${streamId}\u0000${findingId}`;

/**
 * The partnership's work as lists and worklists need it: safety walks and every finding (from
 * walks and outside them) until addressed, prevention talks with who takes part and the
 * follow-ups they agreed, and the EST weekly counts with who reports for which place.
 *
 * Of a talk it keeps only what the access policy and the worklist need: never the subject's
 * reference, the purpose, the outcome, the notes or what a follow-up is to do (personal data,
 * to be made erasable; the talk's own stream holds them).
 *
 * A batch reads the rows it touches once, folds its events into them in memory (each row
 * takes only events after its own `last_position`) and writes each table with one statement,
 * guarded by position again: applying the same events twice, or a batch split anywhere,
 * leaves the same tables.
 */
export const partnershipWorkProjection: Projection = {
  name: 'partnership-work',
  version: 1,
  tables: ['safety_walks', 'findings', 'prevention_talks', 'est_counts', 'est_reporters'],
  eventTypes: [
    ...new Set<string>([
      ...WALK_TYPES,
      ...FINDING_TYPES,
      ...TALK_TYPES,
      ...EST_COUNTS_EVENT_TYPES,
      ...EST_REPORTERS_EVENT_TYPES,
    ]),
  ],
  createTables: (schema) => [
    `create table ${schema}.safety_walks (
       walk_id text primary key,
       area_id text,
       route text[] not null,
       -- Texts of walks from before the places register that matched no place.
       unresolved_places text[] not null,
       planned_on date,
       invited_parties text[] not null,
       conducted_on date,
       participants text[] not null,
       residents_taking_part integer,
       status text not null,
       last_position bigint not null
     )`,
    `create index on ${schema}.safety_walks (planned_on, walk_id)`,
    `create table ${schema}.findings (
       stream_id text not null,
       finding_id text not null,
       walk_id text,
       place_ids text[] not null,
       unresolved_place text,
       kind text not null,
       description text not null,
       responsible_party text not null,
       responsible_parties text[] not null,
       reporting_agency text,
       invited_parties text[] not null,
       found_on date not null,
       addressed_on date,
       action text,
       last_position bigint not null,
       primary key (stream_id, finding_id)
     )`,
    `create index on ${schema}.findings (found_on, stream_id, finding_id)`,
    `create index on ${schema}.findings (responsible_party) where addressed_on is null`,
    `create table ${schema}.prevention_talks (
       talk_id text primary key,
       planned_for date not null,
       held_on date,
       status text not null,
       legal_basis text not null,
       -- Who may read the talk (planned as last changed, and who held it): [{agency, role}].
       participants jsonb not null,
       planned_participants jsonb not null,
       held_participants jsonb not null,
       -- The agreed follow-ups, responsible agency and due date only: [{responsibleAgency, dueOn}].
       follow_ups jsonb not null,
       closed boolean not null,
       last_position bigint not null
     )`,
    `create index on ${schema}.prevention_talks (planned_for, talk_id)`,
    `create table ${schema}.est_counts (
       place_id text not null,
       week text not null,
       week_start date not null,
       reporting_agency text not null,
       counts jsonb not null,
       last_position bigint not null,
       primary key (place_id, week, reporting_agency)
     )`,
    `create index on ${schema}.est_counts (week_start)`,
    `create table ${schema}.est_reporters (
       place_id text not null,
       agency text not null,
       -- An unassigned reporter stays as a row, so an older batch applied again cannot revive it.
       assigned boolean not null,
       last_position bigint not null,
       primary key (place_id, agency)
     )`,
  ],
  async apply(events: readonly RecordedEvent[], tx: EntityManager, schema: string): Promise<void> {
    const walkEvents = events.filter((e) => e.streamId.startsWith(WALK_STREAM));
    const findingEvents = events.filter((e) => e.streamId.startsWith(FINDING_STREAM));
    const talkEvents = events.filter((e) => e.streamId.startsWith(TALK_STREAM));
    if (walkEvents.length > 0 || findingEvents.length > 0) {
      await applyWalksAndFindings(tx, schema, walkEvents, findingEvents);
    }
    if (talkEvents.length > 0) await applyTalks(tx, schema, talkEvents);
    await applyEst(
      tx,
      schema,
      events.filter((e) => e.streamId.startsWith(EST_PLACE_STREAM)),
      events.filter((e) => e.streamId.startsWith(EST_REPORTERS_STREAM)),
    );
  },
  // A talk's row goes with the first of its events whose retention period ends.
  retention: {
    retention: 'prevention-talks',
    streams: { streamPrefix: TALK_STREAM, eventTypes: TALK_TYPES },
    clearExpired: (tx, schema, expired) =>
      deleteRowsOfStreams(
        tx,
        `${schema}.prevention_talks`,
        'talk_id',
        TALK_STREAM,
        expired.streamIds,
      ),
  },
};

async function applyWalksAndFindings(
  tx: EntityManager,
  schema: string,
  walkEvents: readonly RecordedEvent[],
  findingEvents: readonly RecordedEvent[],
): Promise<void> {
  const walkIds = [...new Set(walkEvents.map((e) => e.streamId.slice(WALK_STREAM.length)))];
  const streams = [...new Set([...walkEvents, ...findingEvents].map((e) => e.streamId))];
  const walks = new Map((await loadWalks(tx, schema, walkIds)).map((w) => [w.walkId, w]));
  const findings = new Map(
    (await loadFindings(tx, schema, streams)).map((f) => [findingKey(f.streamId, f.findingId), f]),
  );
  const changedWalks = new Set<string>();
  const changedFindings = new Set<string>();
  const touchFinding = (
    key: string,
    position: number,
    change: (f: FindingRow) => FindingRow | null,
  ) => {
    const before = findings.get(key);
    if (!before || before.position >= position) return;
    const after = change(before);
    if (!after) return;
    findings.set(key, { ...after, position });
    changedFindings.add(key);
  };
  for (const event of walkEvents) {
    const walkId = event.streamId.slice(WALK_STREAM.length);
    const position = event.globalPosition;
    const walk = walks.get(walkId);
    switch (event.type) {
      case 'SafetyWalkPlanned': {
        if (walk && walk.position >= position) break;
        // Partial: walks from before the register may lack what later ones state.
        const d = event.data as Partial<SafetyWalkPlanned['data']>;
        walks.set(walkId, {
          walkId,
          areaId: d.areaId ?? null,
          route: d.route ?? [],
          unresolvedPlaces: d.unresolvedPlaces ?? [],
          plannedOn: d.plannedOn ?? null,
          invitedParties: d.invitedParties ?? [],
          conductedOn: null,
          participants: [],
          residentsTakingPart: null,
          status: 'planned',
          position,
        });
        changedWalks.add(walkId);
        break;
      }
      case 'SafetyWalkConducted': {
        // Before its plan the walk is no walk (as in the domain's fold).
        if (!walk || walk.position >= position) break;
        const d = event.data as unknown as SafetyWalkConducted['data'];
        walks.set(walkId, {
          ...walk,
          conductedOn: d.conductedOn,
          participants: d.participants,
          residentsTakingPart: d.residentsTakingPart,
          status: 'conducted',
          position,
        });
        changedWalks.add(walkId);
        for (const f of d.findings) {
          const key = findingKey(event.streamId, f.findingId);
          const stored = findings.get(key);
          if (stored && stored.position >= position) continue;
          findings.set(key, {
            streamId: event.streamId,
            findingId: f.findingId,
            walkId,
            placeIds: f.placeIds,
            unresolvedPlace: f.unresolvedPlace ?? null,
            kind: f.kind,
            description: f.description,
            responsibleParty: f.responsibleParty,
            responsibleParties: [f.responsibleParty],
            reportingAgency: null,
            invitedParties: walk.invitedParties,
            foundOn: d.conductedOn,
            addressedOn: null,
            action: null,
            position,
          });
          changedFindings.add(key);
        }
        break;
      }
      case 'FindingReassigned':
      case 'FindingAddressed':
        foldFindingChange(event, touchFinding);
        break;
      default:
        break;
    }
  }
  for (const event of findingEvents) {
    const position = event.globalPosition;
    if (event.type === 'FindingReported') {
      const d = event.data as unknown as FindingReported['data'];
      const key = findingKey(event.streamId, d.findingId);
      const stored = findings.get(key);
      if (stored && stored.position >= position) continue;
      findings.set(key, {
        streamId: event.streamId,
        findingId: d.findingId,
        walkId: null,
        placeIds: d.placeIds,
        unresolvedPlace: d.unresolvedPlace ?? null,
        kind: d.kind,
        description: d.description,
        responsibleParty: d.responsibleParty,
        responsibleParties: [d.responsibleParty],
        reportingAgency: d.reportingAgency,
        invitedParties: [],
        foundOn: d.reportedOn,
        addressedOn: null,
        action: null,
        position,
      });
      changedFindings.add(key);
    } else {
      foldFindingChange(event, touchFinding);
    }
  }
  await upsertRows(
    tx,
    `${schema}.safety_walks`,
    ['walk_id'],
    WALK_COLUMNS,
    [...changedWalks].map((id) => walks.get(id)!),
  );
  await upsertRows(
    tx,
    `${schema}.findings`,
    ['stream_id', 'finding_id'],
    FINDING_COLUMNS,
    [...changedFindings].map((key) => findings.get(key)!),
  );
}

/** A reassignment or an addressing, in a walk's stream or a finding's own: the same change. */
function foldFindingChange(
  event: RecordedEvent,
  touch: (key: string, position: number, change: (f: FindingRow) => FindingRow | null) => void,
): void {
  if (event.type === 'FindingReassigned') {
    const d = event.data as unknown as FindingReassigned['data'];
    touch(findingKey(event.streamId, d.findingId), event.globalPosition, (f) => ({
      ...f,
      responsibleParty: d.responsibleParty,
      responsibleParties: [
        ...f.responsibleParties.filter((p) => p !== d.responsibleParty),
        d.responsibleParty,
      ],
    }));
  } else if (event.type === 'FindingAddressed') {
    const d = event.data as unknown as FindingAddressed['data'];
    touch(findingKey(event.streamId, d.findingId), event.globalPosition, (f) => ({
      ...f,
      addressedOn: d.addressedOn,
      action: d.action,
    }));
  }
}

async function applyTalks(
  tx: EntityManager,
  schema: string,
  events: readonly RecordedEvent[],
): Promise<void> {
  const ids = [...new Set(events.map((e) => e.streamId.slice(TALK_STREAM.length)))];
  const talks = new Map((await loadTalks(tx, schema, ids)).map((t) => [t.talkId, t]));
  const cutoffs = await retentionCutoffsFor(tx, events);
  const changed = new Set<string>();
  const gallrad = new Set<string>();
  for (const event of events) {
    const talkId = event.streamId.slice(TALK_STREAM.length);
    const position = event.globalPosition;
    if (gallrad.has(talkId)) continue;
    if (isPastRetention(event, cutoffs)) {
      // Its retention period ended: the row goes as the retention job clears it, and nothing
      // later in the stream makes it again (a rebuild must not bring it back).
      talks.delete(talkId);
      changed.delete(talkId);
      gallrad.add(talkId);
      continue;
    }
    const talk = talks.get(talkId);
    if (event.type === 'PreventionTalkPlanned') {
      if (talk && talk.position >= position) continue;
      // Never the subject's reference or the purpose: only what access and worklists need.
      const d = event.data as unknown as PreventionTalkPlanned['data'];
      talks.set(talkId, {
        talkId,
        plannedFor: d.plannedFor,
        heldOn: null,
        status: 'planned',
        // Talks planned before a ground was stated rested on consent (as the upcast reads them).
        legalBasis:
          (d.legalGround as PreventionTalkPlanned['data']['legalGround'] | undefined)?.basis ??
          'consent',
        plannedParticipants: participantsOf(d.participants),
        heldParticipants: [],
        followUps: [],
        position,
      });
      changed.add(talkId);
      continue;
    }
    // Events before the plan make no talk (as in the domain's fold).
    if (!talk || talk.position >= position) continue;
    let next: TalkRow | undefined;
    switch (event.type) {
      case 'PreventionTalkParticipantsChanged': {
        const d = event.data as unknown as PreventionTalkParticipantsChanged['data'];
        next =
          talk.status === 'planned'
            ? { ...talk, plannedParticipants: participantsOf(d.participants) }
            : talk;
        break;
      }
      case 'PreventionTalkHeld': {
        // Never the outcome, nor what a follow-up is to do: only who answers for it, and when.
        const d = event.data as unknown as PreventionTalkHeld['data'];
        next = {
          ...talk,
          status: 'held',
          heldOn: d.heldOn,
          heldParticipants: participantsOf(d.participants),
          followUps: d.agreedFollowUp.map((f) => ({
            responsibleAgency: f.responsibleAgency,
            dueOn: f.dueOn,
          })),
        };
        break;
      }
      case 'PreventionTalkFollowedUp': {
        const { closed } = event.data as { closed?: boolean };
        next = talk.status === 'held' && closed === true ? { ...talk, status: 'closed' } : talk;
        break;
      }
      default:
        next = talk;
    }
    talks.set(talkId, { ...next, position });
    changed.add(talkId);
  }
  await deleteRowsOfStreams(
    tx,
    `${schema}.prevention_talks`,
    'talk_id',
    TALK_STREAM,
    [...gallrad].map((id) => TALK_STREAM + id),
  );
  await upsertRows(
    tx,
    `${schema}.prevention_talks`,
    ['talk_id'],
    TALK_COLUMNS,
    [...changed].map((id) => talks.get(id)!),
  );
}

/** Agency and role only, whatever else a participant entry may carry one day. */
const participantsOf = (list: readonly Participant[]): Participant[] =>
  list.map((p) => ({ agency: p.agency, role: p.role }));

/**
 * EST counts and reporters: each event states the whole row (a correction restates the
 * week's counts), so the batch keeps the last event per row and writes it, position-guarded.
 */
async function applyEst(
  tx: EntityManager,
  schema: string,
  countEvents: readonly RecordedEvent[],
  reporterEvents: readonly RecordedEvent[],
): Promise<void> {
  const counts = new Map<string, EstCountRow>();
  for (const event of countEvents) {
    const d = event.data as unknown as EstCountsReported['data'];
    counts.set(`${d.placeId}\u0000${d.week}\u0000${d.reportingAgency}`, {
      placeId: d.placeId,
      week: d.week,
      reportingAgency: d.reportingAgency,
      counts: d.counts,
      position: event.globalPosition,
    });
  }
  const reporters = new Map<string, EstReporterRow>();
  for (const event of reporterEvents) {
    const d = event.data as unknown as EstReporterAssigned['data'];
    reporters.set(`${d.placeId}\u0000${d.agency}`, {
      placeId: d.placeId,
      agency: d.agency,
      assigned: event.type === 'EstReporterAssigned',
      position: event.globalPosition,
    });
  }
  await upsertRows(
    tx,
    `${schema}.est_counts`,
    ['place_id', 'week', 'reporting_agency'],
    EST_COUNT_COLUMNS,
    [...counts.values()],
  );
  await upsertRows(tx, `${schema}.est_reporters`, ['place_id', 'agency'], EST_REPORTER_COLUMNS, [
    ...reporters.values(),
  ]);
}

const WALK_COLUMNS: readonly Column<WalkRow>[] = [
  { name: 'walk_id', type: 'text', value: (w) => w.walkId },
  { name: 'area_id', type: 'text', value: (w) => w.areaId },
  { name: 'route', type: 'text[]', value: (w) => w.route },
  { name: 'unresolved_places', type: 'text[]', value: (w) => w.unresolvedPlaces },
  { name: 'planned_on', type: 'date', value: (w) => w.plannedOn },
  { name: 'invited_parties', type: 'text[]', value: (w) => w.invitedParties },
  { name: 'conducted_on', type: 'date', value: (w) => w.conductedOn },
  { name: 'participants', type: 'text[]', value: (w) => w.participants },
  { name: 'residents_taking_part', type: 'integer', value: (w) => w.residentsTakingPart },
  { name: 'status', type: 'text', value: (w) => w.status },
  { name: 'last_position', type: 'bigint', value: (w) => w.position },
];

const FINDING_COLUMNS: readonly Column<FindingRow>[] = [
  { name: 'stream_id', type: 'text', value: (f) => f.streamId },
  { name: 'finding_id', type: 'text', value: (f) => f.findingId },
  { name: 'walk_id', type: 'text', value: (f) => f.walkId },
  { name: 'place_ids', type: 'text[]', value: (f) => f.placeIds },
  { name: 'unresolved_place', type: 'text', value: (f) => f.unresolvedPlace },
  { name: 'kind', type: 'text', value: (f) => f.kind },
  { name: 'description', type: 'text', value: (f) => f.description },
  { name: 'responsible_party', type: 'text', value: (f) => f.responsibleParty },
  { name: 'responsible_parties', type: 'text[]', value: (f) => f.responsibleParties },
  { name: 'reporting_agency', type: 'text', value: (f) => f.reportingAgency },
  { name: 'invited_parties', type: 'text[]', value: (f) => f.invitedParties },
  { name: 'found_on', type: 'date', value: (f) => f.foundOn },
  { name: 'addressed_on', type: 'date', value: (f) => f.addressedOn },
  { name: 'action', type: 'text', value: (f) => f.action },
  { name: 'last_position', type: 'bigint', value: (f) => f.position },
];

const TALK_COLUMNS: readonly Column<TalkRow>[] = [
  { name: 'talk_id', type: 'text', value: (t) => t.talkId },
  { name: 'planned_for', type: 'date', value: (t) => t.plannedFor },
  { name: 'held_on', type: 'date', value: (t) => t.heldOn },
  { name: 'status', type: 'text', value: (t) => t.status },
  { name: 'legal_basis', type: 'text', value: (t) => t.legalBasis },
  { name: 'participants', type: 'jsonb', value: (t) => talkReaders(t) },
  { name: 'planned_participants', type: 'jsonb', value: (t) => t.plannedParticipants },
  { name: 'held_participants', type: 'jsonb', value: (t) => t.heldParticipants },
  { name: 'follow_ups', type: 'jsonb', value: (t) => t.followUps },
  { name: 'closed', type: 'boolean', value: (t) => t.status === 'closed' },
  { name: 'last_position', type: 'bigint', value: (t) => t.position },
];

const EST_COUNT_COLUMNS: readonly Column<EstCountRow>[] = [
  { name: 'place_id', type: 'text', value: (c) => c.placeId },
  { name: 'week', type: 'text', value: (c) => c.week },
  // A week the calendar does not know would be refused by the decider; null fails loudly.
  { name: 'week_start', type: 'date', value: (c) => isoWeekStart(c.week) ?? null },
  { name: 'reporting_agency', type: 'text', value: (c) => c.reportingAgency },
  { name: 'counts', type: 'jsonb', value: (c) => c.counts },
  { name: 'last_position', type: 'bigint', value: (c) => c.position },
];

const EST_REPORTER_COLUMNS: readonly Column<EstReporterRow>[] = [
  { name: 'place_id', type: 'text', value: (r) => r.placeId },
  { name: 'agency', type: 'text', value: (r) => r.agency },
  { name: 'assigned', type: 'boolean', value: (r) => r.assigned },
  { name: 'last_position', type: 'bigint', value: (r) => r.position },
];

async function loadWalks(tx: EntityManager, schema: string, ids: string[]): Promise<WalkRow[]> {
  if (ids.length === 0) return [];
  const rows = await tx.query<
    {
      walk_id: string;
      area_id: string | null;
      route: string[];
      unresolved_places: string[];
      planned_on: string | null;
      invited_parties: AgencyCode[];
      conducted_on: string | null;
      participants: AgencyCode[];
      residents_taking_part: number | null;
      status: WalkRow['status'];
      last_position: string;
    }[]
  >(
    `select walk_id, area_id, route, unresolved_places, planned_on::text, invited_parties,
            conducted_on::text, participants, residents_taking_part, status, last_position
       from ${schema}.safety_walks where walk_id = any($1::text[]) for update`,
    [ids],
  );
  return rows.map((r) => ({
    walkId: r.walk_id,
    areaId: r.area_id,
    route: r.route,
    unresolvedPlaces: r.unresolved_places,
    plannedOn: r.planned_on,
    invitedParties: r.invited_parties,
    conductedOn: r.conducted_on,
    participants: r.participants,
    residentsTakingPart: r.residents_taking_part,
    status: r.status,
    position: Number(r.last_position),
  }));
}

async function loadFindings(
  tx: EntityManager,
  schema: string,
  streams: string[],
): Promise<FindingRow[]> {
  if (streams.length === 0) return [];
  const rows = await tx.query<
    {
      stream_id: string;
      finding_id: string;
      walk_id: string | null;
      place_ids: string[];
      unresolved_place: string | null;
      kind: string;
      description: string;
      responsible_party: AgencyCode;
      responsible_parties: AgencyCode[];
      reporting_agency: AgencyCode | null;
      invited_parties: AgencyCode[];
      found_on: string;
      addressed_on: string | null;
      action: string | null;
      last_position: string;
    }[]
  >(
    `select stream_id, finding_id, walk_id, place_ids, unresolved_place, kind, description,
            responsible_party, responsible_parties, reporting_agency, invited_parties,
            found_on::text, addressed_on::text, action, last_position
       from ${schema}.findings where stream_id = any($1::text[]) for update`,
    [streams],
  );
  return rows.map((r) => ({
    streamId: r.stream_id,
    findingId: r.finding_id,
    walkId: r.walk_id,
    placeIds: r.place_ids,
    unresolvedPlace: r.unresolved_place,
    kind: r.kind,
    description: r.description,
    responsibleParty: r.responsible_party,
    responsibleParties: r.responsible_parties,
    reportingAgency: r.reporting_agency,
    invitedParties: r.invited_parties,
    foundOn: r.found_on,
    addressedOn: r.addressed_on,
    action: r.action,
    position: Number(r.last_position),
  }));
}

async function loadTalks(tx: EntityManager, schema: string, ids: string[]): Promise<TalkRow[]> {
  const rows = await tx.query<
    {
      talk_id: string;
      planned_for: string;
      held_on: string | null;
      status: TalkRow['status'];
      legal_basis: TalkRow['legalBasis'];
      planned_participants: Participant[];
      held_participants: Participant[];
      follow_ups: TalkFollowUpRow[];
      last_position: string;
    }[]
  >(
    `select talk_id, planned_for::text, held_on::text, status, legal_basis,
            planned_participants, held_participants, follow_ups, last_position
       from ${schema}.prevention_talks where talk_id = any($1::text[]) for update`,
    [ids],
  );
  return rows.map((r) => ({
    talkId: r.talk_id,
    plannedFor: r.planned_for,
    heldOn: r.held_on,
    status: r.status,
    legalBasis: r.legal_basis,
    plannedParticipants: r.planned_participants,
    heldParticipants: r.held_participants,
    followUps: r.follow_ups,
    position: Number(r.last_position),
  }));
}
