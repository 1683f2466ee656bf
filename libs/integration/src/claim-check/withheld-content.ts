import type { EventStore, RecordedEvent } from '@samverkan/event-store/event-store.port';
import { SqlEventStore } from '@samverkan/event-store/sql/sql-event-store';
import { protectionBesideLog } from '@samverkan/event-store/database-beside-log';
import {
  LEGAL_GROUND_TEXT,
  type LegalBasis,
} from '@samverkan/domain/prevention-talks/prevention-talks.events';
import { audiencesOfEvent, fixedAudience, type StreamAudience } from '../relay/feed-audience';
import { claimCheck } from './claim-check';

/** One event's withheld fields, still sealed, with what the access decision needs. */
export interface WithheldContent {
  readonly eventId: string;
  readonly streamId: string;
  readonly type: string;
  /** The stream's audience as the relay routed this event. */
  readonly audienceAtEvent: StreamAudience;
  /** The stream's audience after its last event. */
  readonly audienceNow: StreamAudience;
  /** The stream's event types: a retraction, say, changes who may read what it retracts. */
  readonly streamTypes: ReadonlySet<string>;
  /** By withheld path: the sealed text (or plaintext from before encryption). */
  readonly sealed: ReadonlyMap<string, string>;
  /**
   * A talk's legal ground as its statute (`OSL 10 kap. 18 a §`): the read-access log names the
   * ground the data was shared on.
   */
  readonly legalGround?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The API's side of the feed's claim check: finds an event by id, folds its stream as the relay
 * did, and withholds its data the same way, so the paths match those the message named. Read
 * in the store's sealed form: nothing is decrypted until the caller has been let through.
 */
export class WithheldContentReader {
  constructor(private readonly store: EventStore) {}

  /** Undefined when there is no such event (or the id is no UUID). */
  async find(eventId: string): Promise<WithheldContent | undefined> {
    if (!UUID.test(eventId)) return undefined;
    const id = eventId.toLowerCase();
    const stored = await this.locate(id);
    if (!stored) return undefined;
    const { streamId, revision } = stored;
    const fixed = fixedAudience(streamId);
    // A stream whose kind decides its audience needs only the event; the others (a report, a
    // talk: short streams) are folded from the start, as the relay did.
    const events: RecordedEvent[] = [];
    for await (const e of this.store.readStream(streamId, {
      personalData: 'sealed',
      ...(fixed === undefined ? {} : { fromRevision: revision, maxCount: 1 }),
    })) {
      events.push(e);
    }
    const event = events.find((e) => e.eventId === id);
    const audiences =
      fixed === undefined ? audiencesOfEvent(events, id) : { atEvent: fixed, now: fixed };
    if (!event || !audiences) return undefined;
    const basis = events.find((e) => e.type === 'PreventionTalkPlanned')?.data['legalGround'];
    const legalGround =
      typeof basis === 'object' && basis !== null && !Array.isArray(basis)
        ? LEGAL_GROUND_TEXT[basis['basis'] as LegalBasis]
        : undefined;
    return {
      ...(legalGround === undefined ? {} : { legalGround }),
      eventId: id,
      streamId,
      type: event.type,
      audienceAtEvent: audiences.atEvent,
      audienceNow: audiences.now,
      streamTypes: new Set(events.map((e) => e.type)),
      sealed: claimCheck(event).content,
    };
  }

  /**
   * The texts revealed, in one key query: each plaintext, or the marker of why its key was
   * destroyed (`[raderad]`, `[borttagen vid rättelse]`, `[gallrad]`).
   */
  async reveal(sealed: ReadonlyMap<string, string>): Promise<Record<string, string>> {
    const fields = Object.fromEntries(sealed);
    const protection = protectionBesideLog(this.store);
    return protection ? protection.fields.revealSealedTexts(fields) : fields;
  }

  /** The port reads streams, not single events: the log's own index on event ids finds it. */
  private async locate(
    eventId: string,
  ): Promise<{ streamId: string; revision: number } | undefined> {
    if (!(this.store instanceof SqlEventStore)) {
      throw new Error('The claim check needs the SQL event store');
    }
    const [row] = await this.store.sqlClient.query<{ stream_id: string; revision: string }>(
      `select stream_id, revision from event_store.events where event_id = $1::uuid`,
      [eventId],
    );
    return row ? { streamId: row.stream_id, revision: Number(row.revision) } : undefined;
  }
}
