import {
  isRestricted,
  mayReceiveFeed,
  type Resource,
} from '@samverkan/domain/access-policy/access-policy';
import { goesToSharedTopic } from '../relay/feed-audience';
import { PARTNERSHIP_EVENT_TYPES } from '@samverkan/domain/agencies/agencies.events';
import { AGENCIES, TALK_ROLES, type AgencyCode } from '@samverkan/domain/agencies/agencies';
import { CITIZEN_PROMISE_EVENT_TYPES } from '@samverkan/domain/citizen-promise/citizen-promise.events';
import { PREVENTION_TALK_EVENT_TYPES } from '@samverkan/domain/prevention-talks/prevention-talks.events';
import { PLACES_EVENT_TYPES } from '@samverkan/domain/places/places.events';
import { erasureStream, type PersonalDataErased } from '@samverkan/domain/personal-data/erasure';
import {
  FINDING_EVENT_TYPES,
  SAFETY_WALK_EVENT_TYPES,
} from '@samverkan/domain/safety-walks/safety-walks.events';
import {
  EST_COUNTS_EVENT_TYPES,
  EST_REPORTERS_EVENT_TYPES,
} from '@samverkan/domain/situation-picture/est.events';
import {
  SITUATION_PICTURE_EVENT_TYPES,
  SITUATION_REPORT_EVENT_TYPES,
} from '@samverkan/domain/situation-picture/situation-picture.events';

/** The kinds of stream on the feed, each with the event types its streams hold. */
export const FEED_STREAM_KINDS = [
  { kind: 'partnership', streamPrefix: 'partnership-', eventTypes: PARTNERSHIP_EVENT_TYPES },
  {
    kind: 'citizen-promise',
    streamPrefix: 'citizen-promise-',
    eventTypes: CITIZEN_PROMISE_EVENT_TYPES,
  },
  {
    kind: 'situation-report',
    streamPrefix: 'situation-report-',
    eventTypes: SITUATION_REPORT_EVENT_TYPES,
  },
  {
    kind: 'situation-picture',
    streamPrefix: 'situation-picture-',
    eventTypes: SITUATION_PICTURE_EVENT_TYPES,
  },
  {
    kind: 'prevention-talk',
    streamPrefix: 'prevention-talk-',
    eventTypes: PREVENTION_TALK_EVENT_TYPES,
  },
  { kind: 'safety-walk', streamPrefix: 'safety-walk-', eventTypes: SAFETY_WALK_EVENT_TYPES },
  { kind: 'finding', streamPrefix: 'finding-', eventTypes: FINDING_EVENT_TYPES },
  { kind: 'places', streamPrefix: 'places-', eventTypes: PLACES_EVENT_TYPES },
  { kind: 'est-counts', streamPrefix: 'est-reporters-', eventTypes: EST_REPORTERS_EVENT_TYPES },
  { kind: 'est-counts', streamPrefix: 'est-place-', eventTypes: EST_COUNTS_EVENT_TYPES },
  {
    kind: 'personal-data-erasure',
    streamPrefix: erasureStream(''),
    eventTypes: ['PersonalDataErased'] as const satisfies readonly PersonalDataErased['type'][],
  },
] as const;

const unique = (types: readonly string[]): string[] => [...new Set(types)];

/**
 * Every event type on the feed, once each (credits and a finding's follow-up travel on several
 * kinds of stream). Each is published in its type's current schema version.
 */
export const FEED_EVENT_TYPES: readonly string[] = unique(
  FEED_STREAM_KINDS.flatMap((k) => [...k.eventTypes]),
);

/**
 * The resources of a kind that could come to this agency: where it is one of the parties (the
 * reporter, a participant, invited). If the policy lets none of them through, the kind never
 * reaches the agency's topics.
 */
function resourcesFor(
  kind: (typeof FEED_STREAM_KINDS)[number]['kind'],
  agency: AgencyCode,
): Resource[] {
  switch (kind) {
    case 'situation-report':
      return (['open', 'restricted'] as const).map((sensitivity) => ({
        kind,
        reportingAgency: agency,
        sensitivity,
        sharedWith: [],
      }));
    case 'prevention-talk': {
      const role = TALK_ROLES[agency]?.[0];
      return role ? [{ kind, participants: [{ agency, role }] }] : [];
    }
    case 'safety-walk':
      return [{ kind, invitedParties: [agency] }];
    case 'finding':
      return [{ kind, reportingAgency: agency, responsibleParties: [agency] }];
    default:
      return [{ kind }];
  }
}

/** The event types that can arrive on one of an agency's own topics. */
export function eventTypesOnTopic(agency: AgencyCode, restricted: boolean): string[] {
  return unique(
    FEED_STREAM_KINDS.filter((k) =>
      resourcesFor(k.kind, agency).some(
        (resource) =>
          mayReceiveFeed(agency, resource) &&
          isRestricted(resource) === restricted &&
          !goesToSharedTopic(resource),
      ),
    ).flatMap((k) => [...k.eventTypes]),
  );
}

/** The event types that can arrive on the shared topic (what is public by its kind). */
export function eventTypesOnSharedTopic(): string[] {
  return unique(
    FEED_STREAM_KINDS.filter((k) =>
      FEED_AGENCIES.flatMap((agency) => resourcesFor(k.kind, agency)).some(goesToSharedTopic),
    ).flatMap((k) => [...k.eventTypes]),
  );
}

export const FEED_AGENCIES: readonly AgencyCode[] = AGENCIES;
