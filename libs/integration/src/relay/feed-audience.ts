import {
  isPublic,
  isRestricted,
  mayReceiveFeed,
  type Resource,
} from '@samverkan/domain/access-policy/access-policy';
import { AGENCIES, type AgencyCode } from '@samverkan/domain/agencies/agencies';
import { erasureStream } from '@samverkan/domain/personal-data/erasure';

/**
 * Who receives an event on the feed depends on its stream: what kind of thing it is, and for a
 * situation report or a prevention talk, facts stated by earlier events of the stream (the
 * report's sensitivity, the talk's participants). The relay keeps this per stream as it reads
 * the log in order, so a retraction or a follow-up goes exactly where its stream's events go.
 */
export type StreamAudience = Resource | null;

interface FeedEvent {
  readonly streamId: string;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
}

const ERASURE_STREAM_PREFIX = erasureStream('');

/**
 * The audience of a stream whose kind alone decides it, from its first event to its last;
 * undefined for the kinds whose events state it (reports, talks, walks, findings). Lets the
 * API's claim check read one event of a promise's long stream instead of folding all of it.
 */
export function fixedAudience(streamId: string): StreamAudience | undefined {
  if (streamId.startsWith('citizen-promise-')) return { kind: 'citizen-promise' };
  if (streamId.startsWith('places-')) return { kind: 'places' };
  // Who reports EST where, and the weekly counts: the partnership's situation picture.
  if (streamId.startsWith('est-reporters-') || streamId.startsWith('est-place-')) {
    return { kind: 'est-counts' };
  }
  if (streamId.startsWith('situation-picture-')) return { kind: 'situation-picture' };
  if (streamId.startsWith('partnership-')) return { kind: 'partnership' };
  // Names events, never a person: every agency's system, so that each erases its copies.
  if (streamId.startsWith(ERASURE_STREAM_PREFIX)) return { kind: 'personal-data-erasure' };
  return undefined;
}

/** The stream's audience after this event (`before`: after the stream's previous events). */
export function audienceAfter(
  before: StreamAudience | undefined,
  event: FeedEvent,
): StreamAudience {
  const { streamId, type, data } = event;
  const fixed = fixedAudience(streamId);
  if (fixed !== undefined) return fixed;
  if (streamId.startsWith('finding-')) {
    if (type === 'FindingReported') {
      const responsible = data['responsibleParty'] as AgencyCode;
      return {
        kind: 'finding',
        reportingAgency: data['reportingAgency'] as AgencyCode,
        responsibleParties: [responsible],
      };
    }
    if (type === 'FindingReassigned' && before?.kind === 'finding') {
      // The party that handed it on keeps hearing of it, as the API lets it read it.
      const next = data['responsibleParty'] as AgencyCode;
      return {
        ...before,
        responsibleParties: [...before.responsibleParties.filter((p) => p !== next), next],
      };
    }
    return before ?? null;
  }
  if (streamId.startsWith('situation-report-')) {
    if (type === 'SituationReported' || type === 'SituationReportCorrected') {
      const reportingAgency =
        type === 'SituationReported'
          ? (data['reportingAgency'] as AgencyCode)
          : before?.kind === 'situation-report'
            ? before.reportingAgency
            : undefined;
      if (!reportingAgency) return null; // a correction of a report never reported
      return {
        kind: 'situation-report',
        reportingAgency,
        sensitivity: data['sensitivity'] === 'open' ? 'open' : 'restricted',
        sharedWith: (data['sharedWith'] as AgencyCode[] | undefined) ?? [],
      };
    }
    return before ?? null;
  }
  if (streamId.startsWith('prevention-talk-')) {
    if (
      type === 'PreventionTalkPlanned' ||
      type === 'PreventionTalkParticipantsChanged' ||
      type === 'PreventionTalkHeld'
    ) {
      const participants = (data['participants'] as { agency: AgencyCode; role: string }[]) ?? [];
      // Those planned stay informed when fewer took part: the union of both lists. A change of
      // participants (before the talk) replaces the list instead, as it does in the API: an
      // agency taken off the talk may no longer read it, so its system must not receive what
      // follows (the outcome of a talk under secrecy it is no longer part of).
      const earlier =
        before?.kind === 'prevention-talk' && type !== 'PreventionTalkParticipantsChanged'
          ? before.participants
          : [];
      const all = [...earlier, ...participants] as Extract<
        Resource,
        { kind: 'prevention-talk' }
      >['participants'];
      const unique = all.filter(
        (p, i) => all.findIndex((q) => q.agency === p.agency && q.role === p.role) === i,
      );
      return { kind: 'prevention-talk', participants: unique };
    }
    return before ?? null;
  }
  if (streamId.startsWith('safety-walk-')) {
    if (type === 'SafetyWalkPlanned') {
      return {
        kind: 'safety-walk',
        invitedParties: (data['invitedParties'] as AgencyCode[] | undefined) ?? [],
      };
    }
    return before ?? { kind: 'safety-walk', invitedParties: [] };
  }
  // The read-access log and anything unknown: not on the feed (fail closed).
  return null;
}

/**
 * Who received one event of a stream (its audience as the relay routed it) and who receives the
 * stream now (after its last event), from the stream's events in order; undefined when the
 * event is not among them. The API's claim check serves an event's withheld fields only to an
 * agency in both: one taken off a talk since then no longer reads what it was sent.
 */
export function audiencesOfEvent(
  streamEvents: readonly (FeedEvent & { readonly eventId: string })[],
  eventId: string,
): { readonly atEvent: StreamAudience; readonly now: StreamAudience } | undefined {
  let audience: StreamAudience | undefined;
  let atEvent: StreamAudience | undefined;
  for (const event of streamEvents) {
    audience = audienceAfter(audience, event);
    if (event.eventId === eventId) atEvent = audience;
  }
  return atEvent === undefined ? undefined : { atEvent, now: audience ?? null };
}

/**
 * What is public by its kind (the citizen promise, a public document; see `isPublic`) is
 * written once, to the partnership's shared topic, instead of once per agency: eight times
 * fewer messages for most of the log. Every agency system reads it, including one that joins
 * later, which is why only what is public by kind goes there (a safety walk that invites every
 * agency today does not: a later agency was not invited).
 */
export function sharedTopic(partnershipId: string): string {
  return `samverkan.${partnershipId}.shared`;
}

/** Whether an event with this audience goes to the shared topic. */
export function goesToSharedTopic(audience: NonNullable<StreamAudience>): boolean {
  return isPublic(audience);
}

/** Every topic an agency's system reads: the shared one and the agency's own two. */
export function agencyTopics(partnershipId: string, agency: AgencyCode): string[] {
  return [
    sharedTopic(partnershipId),
    agencyTopic(partnershipId, agency, false),
    agencyTopic(partnershipId, agency, true),
  ];
}

/** Each agency's own two topics: what it may receive, and the restricted part of it, apart. */
export function agencyTopic(
  partnershipId: string,
  agency: AgencyCode,
  restricted: boolean,
): string {
  return `samverkan.${partnershipId}.${agency}.${restricted ? 'restricted' : 'events'}`;
}

/**
 * The topics an event with this audience goes to: the shared one if every agency may receive
 * it, else one per agency that may.
 */
export function topicsFor(partnershipId: string, audience: StreamAudience): string[] {
  if (!audience) return [];
  if (goesToSharedTopic(audience)) return [sharedTopic(partnershipId)];
  const restricted = isRestricted(audience);
  return AGENCIES.filter((agency) => mayReceiveFeed(agency, audience)).map((agency) =>
    agencyTopic(partnershipId, agency, restricted),
  );
}
