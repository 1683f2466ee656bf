import type { RecordedEvent } from '@samverkan/event-store/event-store.port';
import { claimCheck, dataRef } from './claim-check/claim-check';

/**
 * An event of the log as agency systems receive it: a CloudEvent (spec 1.0, structured JSON
 * mode). Extension attribute names are lowercase letters and digits only, as the spec requires.
 */
export interface SamverkanCloudEvent {
  readonly specversion: '1.0';
  /** The event id: a consumer de-duplicates by it (delivery is at least once). */
  readonly id: string;
  /** The partnership, e.g. `urn:samverkan:partnership:hammaro`. */
  readonly source: string;
  /** The event type with its schema version, e.g. `se.samverkan.CommitmentActivityRecorded.v1`. */
  readonly type: string;
  /** The stream, e.g. `citizen-promise-hammaro-2023-2025`: the Kafka key, so order holds per stream. */
  readonly subject: string;
  /** When it happened (occurredAt). */
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly dataschema: string;
  /** The event's global position in the partnership's log. */
  readonly globalposition: number;
  /** The stream revision of the event. */
  readonly streamrevision: number;
  /** The agency whose user or system did it. */
  readonly agency: string;
  /** When the log recorded it. */
  readonly recordedtime: string;
  readonly correlationid: string;
  /**
   * Where the API serves the withheld personal fields (CloudEvents `dataref` extension), to a
   * caller that may receive the event. Only when something was withheld.
   */
  readonly dataref?: string;
  /** The paths in `data` that were withheld and are `null` (`agreedFollowUp[0].action`). */
  readonly withheld?: readonly string[];
  /** The event's data, each personal field `null` (the claim check). */
  readonly data: Readonly<Record<string, unknown>>;
}

/** The API's address in development, where SAMVERKAN_PUBLIC_URL is not set. */
export const DEFAULT_API_URL = 'http://localhost:3000';

export const CLOUD_EVENT_TYPE_PREFIX = 'se.samverkan.';

export function cloudEventType(type: string, schemaVersion: number): string {
  return `${CLOUD_EVENT_TYPE_PREFIX}${type}.v${schemaVersion}`;
}

export function partnershipSource(partnershipId: string): string {
  return `urn:samverkan:partnership:${partnershipId}`;
}

/**
 * The CloudEvent of a recorded event. The actor's user id is left out on purpose: agency
 * systems learn which agency acted, and the audit trail (not the feed) says who. Personal
 * fields are withheld whatever form the event was read in (see claim-check.ts); `apiUrl` is
 * where the API is reached from outside (SAMVERKAN_PUBLIC_URL).
 */
export function toCloudEvent(
  event: RecordedEvent,
  partnershipId: string,
  options: { readonly apiUrl?: string } = {},
): SamverkanCloudEvent {
  const claimed = claimCheck(event);
  return {
    specversion: '1.0',
    id: event.eventId,
    source: partnershipSource(partnershipId),
    type: cloudEventType(event.type, event.schemaVersion),
    subject: event.streamId,
    time: event.occurredAt.toISOString(),
    datacontenttype: 'application/json',
    dataschema: `urn:samverkan:schema:${event.type}:v${event.schemaVersion}`,
    globalposition: event.globalPosition,
    streamrevision: event.revision,
    agency: event.actor.agency,
    recordedtime: event.recordedAt.toISOString(),
    correlationid: event.correlationId,
    ...(claimed.withheld.length > 0
      ? {
          dataref: dataRef(options.apiUrl ?? DEFAULT_API_URL, event.eventId),
          withheld: claimed.withheld,
        }
      : {}),
    data: claimed.data,
  };
}
