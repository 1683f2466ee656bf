import { Global, Injectable, Logger, Module, type OnModuleDestroy } from '@nestjs/common';
import { ShutdownGrace, shutdownGraceSeconds } from '@samverkan/shared/shutdown-grace';
import type { NextFunction, Request, Response } from 'express';

/**
 * The API's stop. Nest's shutdown hooks do the closing, in this order: live streams end with a
 * final `end` event (their module's destroy hook), the HTTP server stops accepting and waits for
 * the requests in flight, then the projections and the relay end after the batch under way,
 * and the store closes. This adds what the hooks lack: `/ready` turns 503 as soon as the stop
 * begins, answers ask clients to close their connections (so none is left idle for the server
 * to cut under a client's next request), and the grace period.
 */
@Injectable()
export class GracefulShutdown implements OnModuleDestroy {
  readonly grace = new ShutdownGrace(shutdownGraceSeconds(), new Logger('Shutdown'));
  private readonly inFlight = new Set<Response>();

  constructor() {
    this.grace.gauge('HTTP requests in flight', () => this.inFlight.size);
  }

  get stopping(): boolean {
    return this.grace.stopping;
  }

  /** Express middleware, first in line: counts the requests in flight. */
  readonly track = (_req: Request, res: Response, next: NextFunction): void => {
    this.inFlight.add(res);
    const done = () => this.inFlight.delete(res);
    res.once('finish', done);
    res.once('close', done);
    if (this.stopping) res.setHeader('Connection', 'close');
    next();
  };

  /**
   * On these signals the grace period starts; Nest's own listener (enableShutdownHooks) runs
   * the hooks and exits 0 when they are done. Past the period the process exits 1, naming
   * what was still under way.
   */
  listen(signals: readonly NodeJS.Signals[]): void {
    for (const signal of signals) {
      process.once(signal, () => {
        new Logger('Shutdown').log(
          `${signal}: finishing the requests in flight, then stopping (within ${this.grace.graceSeconds} s)`,
        );
        this.begin();
        this.grace.beginWithDeadline();
      });
    }
  }

  /** Also when the application is closed without a signal (app.close()). */
  onModuleDestroy(): void {
    this.begin();
  }

  private begin(): void {
    if (!this.stopping) {
      for (const res of this.inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    }
    this.grace.begin();
  }
}

/** Global: the modules that own work to finish (projections, relay) report their steps to it. */
@Global()
@Module({ providers: [GracefulShutdown], exports: [GracefulShutdown] })
export class ShutdownModule {}
