import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { mayRead } from '@samverkan/domain/access-policy/access-policy';
import type { Actor } from '@samverkan/domain/actor';
import {
  EVENT_STORE,
  type EventStore,
  type EventSubscription,
} from '@samverkan/event-store/event-store.port';
import type { StreamAudience } from '@samverkan/integration/relay/feed-audience';
import { ProjectionDaemon } from '@samverkan/projections/projection-daemon';
import { StreamAudiences } from './stream-audiences';

/** What a live stream tells a browser: that something happened, never what it says. */
export interface LiveNotification {
  readonly position: number;
  readonly type: string;
  readonly streamId: string;
}

interface Heard extends LiveNotification {
  /** Who may know of it: the stream's audience after the event (the feed's rule). */
  readonly audience: StreamAudience;
}

/** How many notifications are kept for a browser that reconnects with Last-Event-ID. */
const KEPT = 2000;
/** Streams whose audience is remembered between their events (the rest are read again). */
const STREAMS_REMEMBERED = 5000;
/** How long a notification waits for the views to apply its event before it goes out anyway. */
const VIEWS_WAIT_MS = 5_000;
/** While the views are behind, how often their positions are read again (not per event). */
const VIEWS_BEHIND_CHECK_MS = 1_000;

/**
 * One subscription to the log per API instance, from the moment the first browser listens,
 * fanned out to every live stream: each event becomes a notification (type, stream, position)
 * with its audience, decided as the feed decides it, and each listener hears only what its
 * reader may read (`mayRead` on that audience, asked again for every event). Restricted content
 * never leaves here: a notification says only that the reader's view changed.
 *
 * A notification goes out once the views have applied its event: the browser reads its view
 * again when told, and a read that came before the projection would show the old view, with no
 * later notification to correct it.
 */
@Injectable()
export class LiveNotifications implements OnModuleDestroy {
  private readonly logger = new Logger('Live');
  private subscription: EventSubscription | undefined;
  private readonly kept: Heard[] = [];
  private readonly listeners = new Set<(heard: Heard) => void>();
  private readonly audiences: StreamAudiences;
  /** The position the subscription started after: a resume from before it cannot be served. */
  private startedAfter: number | undefined;
  /** What the views were last seen to have applied. */
  private viewsThrough = 0;
  /** The views fell more than VIEWS_WAIT_MS behind: notifications go out without waiting. */
  private viewsBehind = false;
  private viewsCheckedAt = 0;
  private closing = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly daemon: ProjectionDaemon,
  ) {
    this.audiences = new StreamAudiences(store, STREAMS_REMEMBERED);
  }

  /**
   * Listens for what `reader()` may read (asked per event, so a revoked role hears nothing
   * more), first replaying what was kept after `after`. Returns the way to stop, or `reset`
   * when `after` is older than what is kept (the browser reloads its view instead).
   */
  async listen(
    reader: () => Actor | undefined,
    after: number | undefined,
    deliver: (n: LiveNotification) => void,
  ): Promise<{ stop: () => void; reset: boolean }> {
    await this.start();
    const forReader = (heard: Heard) => {
      const actor = reader();
      if (!actor || heard.audience === null || !mayRead(actor, heard.audience).allowed) return;
      deliver({ position: heard.position, type: heard.type, streamId: heard.streamId });
    };
    let reset = false;
    if (after !== undefined) {
      const oldest = this.kept[0]?.position ?? Number.POSITIVE_INFINITY;
      if (after < (this.startedAfter ?? 0) || (after + 1 < oldest && this.kept.length >= KEPT)) {
        reset = true;
      } else {
        for (const heard of this.kept) if (heard.position > after) forReader(heard);
      }
    }
    this.listeners.add(forReader);
    return { stop: () => this.listeners.delete(forReader), reset };
  }

  private async start(): Promise<void> {
    if (this.subscription) return;
    const { headPosition: head } = await this.store.status();
    if (this.subscription) return;
    this.startedAfter = head;
    // Sealed: nothing here reads personal fields, so nothing is decrypted for it.
    this.subscription = this.store.subscribe({ after: head, personalData: 'sealed' });
    void this.run(this.subscription);
  }

  private async run(subscription: EventSubscription): Promise<void> {
    try {
      for await (const event of subscription) {
        const heard: Heard = {
          position: event.globalPosition,
          type: event.type,
          streamId: event.streamId,
          audience: await this.audiences.of(event),
        };
        await this.viewsReach(event.globalPosition);
        this.kept.push(heard);
        if (this.kept.length > KEPT) this.kept.shift();
        for (const listener of this.listeners) listener(heard);
      }
    } catch (error) {
      this.logger.warn(
        `Live notifications stopped (${error instanceof Error ? error.message : String(error)}); the next listener starts them again`,
      );
      if (this.subscription === subscription) this.subscription = undefined;
    }
  }

  /**
   * Waits until the views have applied `position`, at most VIEWS_WAIT_MS. Views further behind
   * than that (a projector stopped, a rebuild) or out of reach would make every notification wait
   * in turn: then each goes out at once, with a warning, and their positions are read again once
   * a second, until they have caught up.
   */
  private async viewsReach(position: number): Promise<void> {
    if (position <= this.viewsThrough) return;
    const wasBehind = this.viewsBehind;
    if (wasBehind && Date.now() - this.viewsCheckedAt < VIEWS_BEHIND_CHECK_MS) return;
    try {
      const waitMs = wasBehind || this.closing ? 0 : VIEWS_WAIT_MS;
      this.viewsThrough = await this.daemon.waitForRunning(position, waitMs);
    } catch (error) {
      // The read-model database is away: the readiness probe says so; notify all the same.
      this.logger.debug(`Could not read the views' positions: ${String(error)}`);
    }
    this.viewsCheckedAt = Date.now();
    this.viewsBehind = position > this.viewsThrough && !this.closing;
    if (this.viewsBehind && !wasBehind) {
      this.logger.warn(
        `The views have not applied position ${position} within ${VIEWS_WAIT_MS} ms: notifications go out without waiting until they catch up`,
      );
    } else if (!this.viewsBehind && wasBehind) {
      this.logger.log('The views caught up: notifications wait for them again');
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    this.listeners.clear();
    await this.subscription?.close();
    this.subscription = undefined;
  }
}
