import { Logger } from '@nestjs/common';
import type { EventStore, EventSubscription } from '@samverkan/event-store/event-store.port';
import type { Projection } from './projection';
import type { CatchUpOutcome, ProjectionRunner } from './projection-runner';

/** How often a projection that is not the leader (or has failed) looks again. */
const RETRY_MS = 5_000;

/**
 * Keeps projections up to date: catches each up from its checkpoint, then follows the log. The
 * store's subscription is only the wake-up (an event arrived); the runner reads and applies in
 * batches from the checkpoint, so wake-ups that come while a run is going are coalesced.
 */
export class ProjectionDaemon {
  private readonly logger = new Logger('Projections');
  private subscription: EventSubscription | undefined;
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly last = new Map<string, CatchUpOutcome>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
    readonly projections: readonly Projection[],
  ) {}

  start(): void {
    void this.warnOutdated();
    for (const p of this.projections) this.kick(p);
    // A wake-up only: the events are not looked at, so their fields are not decrypted.
    this.subscription = this.store.subscribe({ after: 'end', personalData: 'sealed' });
    const subscription = this.subscription;
    void (async () => {
      try {
        for await (const _event of subscription) {
          if (this.stopped) break;
          for (const p of this.projections) this.kick(p);
        }
      } catch (error) {
        if (!this.stopped) this.logger.error(`Wake-up subscription ended: ${String(error)}`);
      }
    })();
    // Leases move and failures get resumed: look again now and then.
    this.timer = setInterval(() => {
      for (const p of this.projections) this.kick(p);
    }, RETRY_MS);
    this.timer.unref();
  }

  /** A table set built by another version of its projection wants a rebuild: say so. */
  private async warnOutdated(): Promise<void> {
    for (const p of this.projections) {
      try {
        const { version, tableSet } = await this.runner.status(p.name);
        if (version !== null && version !== p.version) {
          this.logger.warn(
            `'${p.name}' reads ${tableSet}, built by version ${version}; this is version ${p.version}: run npm run projections:rebuild -- ${p.name}`,
          );
        }
      } catch (error) {
        this.logger.warn(`Could not read the status of '${p.name}': ${String(error)}`);
      }
    }
  }

  /** The last outcome of each projection's run in this process. */
  outcome(name: string): CatchUpOutcome | undefined {
    return this.last.get(name);
  }

  /**
   * Resolves once the named projections (all by default) have applied the log up to
   * `position`, or the time is up. A view waits only for its own: one stopped projection must
   * not hold up reads of the others.
   */
  async waitFor(position: number, timeoutMs: number, names?: readonly string[]): Promise<boolean> {
    const which = names ?? this.projections.map((p) => p.name);
    const lowest = async () => {
      const statuses = await Promise.all(which.map((name) => this.runner.status(name)));
      return Math.min(...statuses.map((s) => s.position));
    };
    return (await this.pollUntil(position, timeoutMs, lowest)) >= position;
  }

  /**
   * Waits, at most `timeoutMs`, until every projection not stopped at a poison event has applied
   * `position` (a stopped one would hold it back for good; its view says so). Returns the
   * position they had all applied at the last look: what a read of any view shows at least.
   */
  waitForRunning(position: number, timeoutMs: number): Promise<number> {
    return this.pollUntil(position, timeoutMs, async () => {
      const statuses = await Promise.all(this.projections.map((p) => this.runner.status(p.name)));
      const running = statuses.filter((s) => s.status !== 'failed').map((s) => s.position);
      return running.length > 0 ? Math.min(...running) : Number.MAX_SAFE_INTEGER;
    });
  }

  /** Reads `applied` until it reaches `position` or the time is up; returns the last reading. */
  private async pollUntil(
    position: number,
    timeoutMs: number,
    applied: () => Promise<number>,
  ): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const through = await applied();
      if (through >= position || Date.now() >= deadline) return through;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Ends each projection's run after the batch under way commits (with its checkpoint). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.subscription?.close();
    await Promise.all(this.running.values());
  }

  private kick(projection: Projection): void {
    if (this.stopped) return;
    if (this.running.has(projection.name)) {
      this.again.add(projection.name);
      return;
    }
    const run = (async () => {
      do {
        this.again.delete(projection.name);
        try {
          const outcome = await this.runner.catchUp(projection, () => this.stopped);
          const before = this.last.get(projection.name);
          if (outcome.kind === 'failed' && before?.kind !== 'failed') {
            this.logger.error(
              `'${projection.name}' is stopped at position ${outcome.failedPosition}: ${outcome.error}`,
            );
          }
          this.last.set(projection.name, outcome);
        } catch (error) {
          this.logger.error(`'${projection.name}' run failed: ${String(error)}`);
        }
      } while (this.again.has(projection.name) && !this.stopped);
    })().finally(() => this.running.delete(projection.name));
    this.running.set(projection.name, run);
  }
}
