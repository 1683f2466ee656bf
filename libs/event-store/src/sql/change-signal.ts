/**
 * Wakes live subscribers when the log may have grown, so they need no polling delay. The
 * in-process signal covers appends made by this process; the PostgreSQL adapter adds LISTEN/NOTIFY
 * for appends made by other processes. A signal may be spurious or lost: subscribers still poll
 * at an idle interval, so a lost wake-up costs latency, never events.
 */
export interface ChangeSignal {
  /** Resolves at the next wake-up, after `timeoutMs`, or when `abort` fires, whichever is first. */
  wait(timeoutMs: number, abort?: AbortSignal): Promise<void>;
  /** This process committed an append. */
  appended(): void;
  close(): Promise<void>;
}

export class InProcessChangeSignal implements ChangeSignal {
  private waiters = new Set<() => void>();

  wait(timeoutMs: number, abort?: AbortSignal): Promise<void> {
    if (abort?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        abort?.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      abort?.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }

  appended(): void {
    this.wake();
  }

  /** Wakes every waiter; also used by the PostgreSQL adapter when a notification arrives. */
  wake(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const done of waiting) done();
  }

  close(): Promise<void> {
    this.wake();
    return Promise.resolve();
  }
}
