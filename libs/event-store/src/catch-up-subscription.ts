import type { EventSubscription, RecordedEvent, SubscribeOptions } from './event-store.port';

/**
 * What every adapter's subscription keeps alike: the position it stands at (from `after`: that
 * position, 0 for the start, or, for `'end'`, the head the adapter reads when iteration begins),
 * that position as the checkpoint, and one iteration only. An adapter supplies `follow`, which
 * yields the events after the position and moves it, and `close`.
 */
export abstract class CatchUpSubscription implements EventSubscription {
  /** Undefined until the adapter has read the head, for `after: 'end'`. */
  protected position: number | undefined;
  protected closed = false;
  private iterating = false;

  protected constructor(after: SubscribeOptions['after']) {
    if (typeof after === 'number') this.position = after;
    else if (after === undefined) this.position = 0;
  }

  get checkpoint(): number {
    return this.position ?? 0;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.iterating) throw new Error('A subscription can be iterated once');
    this.iterating = true;
    yield* this.follow();
  }

  /** Yields the events after `position`, moving it past each, until closed. */
  protected abstract follow(): AsyncGenerator<RecordedEvent>;

  abstract close(): Promise<void>;
}
