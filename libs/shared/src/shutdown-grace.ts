import { integerSetting } from './configuration/read-setting';
/** SAMVERKAN_SHUTDOWN_GRACE_SECONDS: how long a stopping process may finish its work. */
export const shutdownGraceSeconds = (env: NodeJS.ProcessEnv = process.env): number =>
  integerSetting(env, 'SAMVERKAN_SHUTDOWN_GRACE_SECONDS');

/**
 * A process's stop under a deadline. Once begun it says so (readiness turns 503, so a load
 * balancer stops sending), and each piece of work that must end first (requests in flight, a
 * projection's batch, the relay's batch, the store) is run as a named step. Past the grace
 * period the process exits 1 with a line naming the steps still under way: an orchestrator
 * kills it soon after anyway, and the line says what was cut short.
 */
export class ShutdownGrace {
  private begun = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly under = new Map<string, number>();
  private readonly gauges = new Map<string, () => number>();

  constructor(
    readonly graceSeconds: number,
    private readonly logger: { error(message: string): void },
    private readonly exit: (code: number) => void = (code) => process.exit(code),
  ) {}

  get stopping(): boolean {
    return this.begun;
  }

  /** The stop has begun (readiness says so); no deadline: the caller closes at its own pace. */
  begin(): void {
    this.begun = true;
  }

  /** The stop has begun under the grace period (once): past it, exit 1. */
  beginWithDeadline(): void {
    this.begin();
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.logger.error(
        `Shutdown did not finish within ${this.graceSeconds} s; still under way: ${this.unfinished().join(', ') || 'nothing named (closing connections)'}`,
      );
      this.exit(1);
    }, this.graceSeconds * 1000);
  }

  /** Work counted while it runs (`n` in flight), named in the line if the time runs out. */
  gauge(name: string, count: () => number): void {
    this.gauges.set(name, count);
  }

  async step<T>(name: string, work: () => Promise<T>): Promise<T> {
    this.under.set(name, (this.under.get(name) ?? 0) + 1);
    try {
      return await work();
    } finally {
      const left = (this.under.get(name) ?? 1) - 1;
      if (left > 0) this.under.set(name, left);
      else this.under.delete(name);
    }
  }

  /** Everything finished: the clock stops. */
  finished(): void {
    clearTimeout(this.timer);
  }

  unfinished(): string[] {
    const counted = [...this.gauges]
      .map(([name, count]) => [name, count()] as const)
      .filter(([, n]) => n > 0)
      .map(([name, n]) => `${name} (${n})`);
    return [...counted, ...this.under.keys()];
  }
}
