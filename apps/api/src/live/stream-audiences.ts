import {
  audienceAfter,
  fixedAudience,
  type StreamAudience,
} from '@samverkan/integration/relay/feed-audience';
import type { EventStore, RecordedEvent } from '@samverkan/event-store/event-store.port';

/**
 * Who may know of each event, as the feed decides it: a stream's audience after an event,
 * remembered per stream for the streams seen last (an event of a stream not remembered reads its
 * earlier events once). Read in log order: each event's audience builds on the one before it.
 */
export class StreamAudiences {
  private readonly audiences = new Map<string, StreamAudience>();

  constructor(
    private readonly store: EventStore,
    private readonly remembered = 5000,
  ) {}

  async of(event: RecordedEvent): Promise<StreamAudience> {
    const fixed = fixedAudience(event.streamId);
    if (fixed !== undefined) return fixed;
    let before = this.audiences.get(event.streamId);
    if (before === undefined && event.revision > 0) {
      // Sealed: an audience is built from facts, never from personal fields.
      for await (const earlier of this.store.readStream(event.streamId, {
        personalData: 'sealed',
      })) {
        if (earlier.revision >= event.revision) break;
        before = audienceAfter(before, earlier);
      }
    }
    const audience = audienceAfter(before, event);
    this.audiences.delete(event.streamId);
    this.audiences.set(event.streamId, audience);
    if (this.audiences.size > this.remembered) {
      this.audiences.delete(this.audiences.keys().next().value!);
    }
    return audience;
  }
}
