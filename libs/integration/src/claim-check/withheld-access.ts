import {
  isRestricted,
  mayRead,
  mayReadRetractedContent,
  mayReceiveFeed,
  type ReadDecision,
} from '@samverkan/domain/access-policy/access-policy';
import type { Actor } from '@samverkan/domain/actor';
import type { StreamAudience } from '../relay/feed-audience';

/** The role an agency system's API key (or client-credentials token) acts in. */
export const AGENCY_SYSTEM_ROLE = 'agency-system';

export interface WithheldAccessFacts {
  /** The stream's audience as the relay routed the event. */
  readonly audienceAtEvent: StreamAudience;
  /** The stream's audience now. */
  readonly audienceNow: StreamAudience;
  /** The stream's event types. */
  readonly streamTypes: ReadonlySet<string>;
}

/**
 * Who may fetch an event's withheld fields: an agency that was sent the event on the feed and
 * still receives its stream (the same `mayReceiveFeed` the relay routes by, so the claim check
 * opens nothing the topic did not carry); a person, besides, only under the API's own read
 * rules. A retracted report's text stays with the agency that reported it, as in the API.
 * Restricted data (a talk, a restricted report) is logged in the read-access log, with a
 * purpose. Undefined means no: the route answers as for an unknown id.
 */
export function mayFetchWithheld(
  reader: Actor,
  facts: WithheldAccessFacts,
): Extract<ReadDecision, { allowed: true }> | undefined {
  const { audienceAtEvent: sent, audienceNow: now } = facts;
  if (!sent || !now) return undefined;
  if (!mayReceiveFeed(reader.agency, sent) || !mayReceiveFeed(reader.agency, now)) {
    return undefined;
  }
  if (
    now.kind === 'situation-report' &&
    facts.streamTypes.has('SituationReportRetracted') &&
    !mayReadRetractedContent(reader, now)
  ) {
    return undefined;
  }
  const restricted = isRestricted(sent) || isRestricted(now);
  if (reader.role === AGENCY_SYSTEM_ROLE) {
    return {
      allowed: true,
      logged: restricted,
      ground: "the agency's system receives this event on the feed",
    };
  }
  const read = mayRead(reader, now);
  return read.allowed ? { ...read, logged: read.logged || restricted } : undefined;
}
