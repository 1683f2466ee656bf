import { stateAfter } from '@samverkan/domain/decider';
import {
  CITIZEN_PROMISE_EVENT_TYPES,
  CREDIT_EVENT_TYPES,
  type CitizenPromiseEvent,
  type CreditEvent,
} from '@samverkan/domain/citizen-promise/citizen-promise.events';
import {
  foldPromiseDocument,
  type PromiseDocument,
} from '@samverkan/domain/citizen-promise/citizen-promise.view';
import {
  foldCredits,
  type CreditRecord,
} from '@samverkan/domain/citizen-promise/commitment-credit-ledger';
import type { BoardReportInputs } from '@samverkan/domain/follow-up/board-report';
import { placesRegisterDecider } from '@samverkan/domain/places/places-register.decider';
import { PLACES_EVENT_TYPES, type PlacesEvent } from '@samverkan/domain/places/places.events';
import {
  findingDecider,
  type ReportedFindingState,
} from '@samverkan/domain/safety-walks/finding.decider';
import {
  safetyWalkDecider,
  type SafetyWalkState,
} from '@samverkan/domain/safety-walks/safety-walk.decider';
import {
  FINDING_EVENT_TYPES,
  SAFETY_WALK_EVENT_TYPES,
  type FindingEvent,
  type SafetyWalkEvent,
} from '@samverkan/domain/safety-walks/safety-walks.events';
import { foldEstCounts } from '@samverkan/domain/situation-picture/est-summary';
import {
  EST_COUNTS_EVENT_TYPES,
  type EstCountsEvent,
} from '@samverkan/domain/situation-picture/est.events';
import {
  SITUATION_PICTURE_EVENT_TYPES,
  SITUATION_REPORT_EVENT_TYPES,
  type SituationPictureEvent,
  type SituationReportEvent,
} from '@samverkan/domain/situation-picture/situation-picture.events';
import {
  foldSituationPicture,
  type SituationPictureRecord,
} from '@samverkan/domain/situation-picture/situation-picture.view';
import type { EventStore, RecordedEvent } from '@samverkan/event-store/event-store.port';
import { asOfFilter } from '../projections/as-of';

const domainEvent = <E>(e: RecordedEvent): E => ({ type: e.type, data: e.data }) as unknown as E;

/**
 * Reads the log up to one position and hands back the events whose types are asked for. The
 * position is fixed first (the store's head, or `asOf`), so everything folded from one read
 * describes one moment, and that moment's position reproduces it.
 */
export async function readLogAt(
  store: EventStore,
  types: readonly string[],
  asOf: string | undefined,
  each: (event: RecordedEvent) => void,
): Promise<number> {
  const known = asOfFilter(asOf);
  const head = (await store.status()).headPosition;
  const limit = asOf !== undefined && /^\d{1,15}$/.test(asOf) ? Math.min(Number(asOf), head) : head;
  let position = asOf === undefined || /^\d{1,15}$/.test(asOf) ? limit : 0;
  for await (const event of store.readAll({ filter: { types } })) {
    if (event.globalPosition > limit) break;
    if (!known(event)) continue;
    if (asOf !== undefined && !/^\d{1,15}$/.test(asOf)) position = event.globalPosition;
    each(event);
  }
  return position;
}

/** A promise's credits as they stood at `asOf`, folded from the log (time travel). */
export async function creditsAt(
  store: EventStore,
  promiseId: string,
  asOf: string | undefined,
): Promise<CreditRecord[]> {
  const records: CreditRecord[] = [];
  await readLogAt(store, CREDIT_EVENT_TYPES, asOf, (e) =>
    records.push({ streamId: e.streamId, event: domainEvent<CreditEvent>(e) }),
  );
  return records.filter((r) => r.event.data.promiseId === promiseId);
}

/**
 * Everything the board's follow-up report is built from, folded from the log with the domain's
 * own functions, at the head or as of a past moment: the report equals a rebuild stopped there.
 */
export async function boardReportInputsAt(
  store: EventStore,
  promiseId: string,
  partnershipId: string,
  asOf: string | undefined,
): Promise<Omit<BoardReportInputs, 'range'> | undefined> {
  const promiseStream = `citizen-promise-${promiseId}`;
  const placesStream = `places-${partnershipId}`;
  const pictureStream = `situation-picture-${partnershipId}`;
  const promiseEvents: CitizenPromiseEvent[] = [];
  const credits: CreditRecord[] = [];
  const placesEvents: PlacesEvent[] = [];
  const situation: SituationPictureRecord[] = [];
  const est: EstCountsEvent[] = [];
  const walks = new Map<string, SafetyWalkEvent[]>();
  const findings = new Map<string, FindingEvent[]>();
  const types = [
    ...new Set([
      ...CITIZEN_PROMISE_EVENT_TYPES,
      ...PLACES_EVENT_TYPES,
      ...SITUATION_REPORT_EVENT_TYPES,
      ...SITUATION_PICTURE_EVENT_TYPES,
      ...EST_COUNTS_EVENT_TYPES,
      ...SAFETY_WALK_EVENT_TYPES,
      ...FINDING_EVENT_TYPES,
    ]),
  ];
  const position = await readLogAt(store, types, asOf, (e) => {
    if ((CREDIT_EVENT_TYPES as readonly string[]).includes(e.type)) {
      const event = domainEvent<CreditEvent>(e);
      if (event.data.promiseId === promiseId) credits.push({ streamId: e.streamId, event });
    }
    if (e.streamId === promiseStream) promiseEvents.push(domainEvent(e));
    else if (e.streamId === placesStream) placesEvents.push(domainEvent(e));
    else if (e.streamId.startsWith('situation-report-') || e.streamId === pictureStream) {
      situation.push({
        streamId: e.streamId,
        recordedAt: e.recordedAt,
        event: domainEvent<SituationReportEvent | SituationPictureEvent>(e),
      });
    } else if (e.streamId.startsWith('est-place-')) est.push(domainEvent(e));
    else if (e.streamId.startsWith('safety-walk-')) push(walks, e.streamId, domainEvent(e));
    else if (e.streamId.startsWith('finding-')) push(findings, e.streamId, domainEvent(e));
  });
  const doc: PromiseDocument | undefined = foldPromiseDocument(promiseEvents);
  if (!doc) return undefined;
  return {
    doc,
    credits: foldCredits(credits, promiseId),
    position,
    places: stateAfter(placesRegisterDecider, placesEvents),
    situation: foldSituationPicture(situation),
    est: foldEstCounts(est),
    walks: [...walks.values()].map((events): SafetyWalkState =>
      stateAfter(safetyWalkDecider, events),
    ),
    findings: [...findings.values()].map((events): ReportedFindingState =>
      stateAfter(findingDecider, events),
    ),
  };
}

function push<E>(map: Map<string, E[]>, key: string, value: E): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
