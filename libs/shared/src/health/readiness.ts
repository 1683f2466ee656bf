import {
  HealthIndicatorService,
  type HealthCheckResult,
  type HealthIndicatorFunction,
  type HealthIndicatorResult,
} from '@nestjs/terminus';

/**
 * How long one dependency may take to answer a readiness probe. Load balancers and
 * orchestrators give up after a few seconds (set their probe timeout above this one):
 * a hanging database must turn into a 503 before that, not into a probe that times out.
 */
export const CHECK_TIMEOUT_MS = 3_000;

/** What a dependency's probe found: `up` false is down with reasons to show; a throw is down. */
export interface ProbeOutcome {
  readonly up: boolean;
  /** For the operator: positions, lags, states. Never credentials. */
  readonly details?: Record<string, unknown>;
}

export type Probe = () => Promise<ProbeOutcome>;

const indicators = new HealthIndicatorService();

/**
 * A terminus health indicator named `key` over `probe`, answered within `timeoutMs`. One probe
 * at a time: while a dependency hangs, later checks wait on the probe already under way instead
 * of starting more (each would hold a pool slot or a socket until the dependency answers).
 */
export function indicator(
  key: string,
  probe: Probe,
  timeoutMs = CHECK_TIMEOUT_MS,
): HealthIndicatorFunction {
  let pending: Promise<ProbeOutcome> | undefined;
  return async (): Promise<HealthIndicatorResult> => {
    const session = indicators.check(key);
    if (!pending) {
      const started = probe();
      pending = started;
      void started.then(
        () => (pending = undefined),
        () => (pending = undefined),
      );
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      const outcome = await Promise.race([
        pending,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
      return outcome.up ? session.up(outcome.details) : session.down(outcome.details);
    } catch (error) {
      return session.down({ error: error instanceof Error ? error.message : String(error) });
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * Runs the indicators side by side as terminus's HealthCheckService does, for the worker
 * processes, which serve their probes without a Nest application: `ok` when every one is up.
 */
export async function checkAll(
  checks: readonly HealthIndicatorFunction[],
): Promise<HealthCheckResult> {
  const results = await Promise.all(checks.map(async (check) => check()));
  const details: HealthIndicatorResult = Object.assign({}, ...results) as HealthIndicatorResult;
  const down = Object.entries(details).filter(([, d]) => d.status === 'down');
  return {
    status: down.length > 0 ? 'error' : 'ok',
    info: Object.fromEntries(Object.entries(details).filter(([, d]) => d.status === 'up')),
    error: Object.fromEntries(down),
    details,
  };
}

/**
 * Each check's state and details without the error texts (a driver's message can name a host,
 * a user or a query): what may be shown where the asker is not known to be an operator.
 */
export function withoutErrors(details: HealthIndicatorResult): HealthIndicatorResult {
  return Object.fromEntries<HealthIndicatorResult[string]>(
    Object.entries(details).map(([key, { error: _error, ...rest }]) => [key, rest]),
  );
}

/** What `/ready` says to anyone: up, down, or on its way out. */
export type Readiness = 'ok' | 'unavailable' | 'shutting_down';

export const readinessOf = (result: HealthCheckResult): Readiness =>
  result.status === 'ok' ? 'ok' : result.status === 'error' ? 'unavailable' : 'shutting_down';

/**
 * Logs readiness when it changes, with the checks that are down and why: once per outage
 * rather than once per probe (a load balancer asks every few seconds).
 */
export class ReadinessLog {
  private last: Readiness = 'ok';

  constructor(
    private readonly logger: { log(message: string): void; warn(message: string): void },
  ) {}

  note(result: HealthCheckResult): void {
    const now = readinessOf(result);
    if (now === this.last) return;
    this.last = now;
    if (now === 'ok') {
      this.logger.log('Ready: every check is up');
      return;
    }
    const down = Object.entries(result.error ?? {})
      .map(([key, d]) => `${key}${typeof d?.['error'] === 'string' ? ` (${d['error']})` : ''}`)
      .join(', ');
    this.logger.warn(`Not ready: ${down || now}`);
  }
}
