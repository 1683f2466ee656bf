import { Gauge, type Registry } from 'prom-client';
import { onePerScrape } from '@samverkan/shared/metrics/metrics-registry';

export interface ProjectionSample {
  readonly name: string;
  readonly position: number;
  readonly lag: number;
  readonly status: 'running' | 'failed';
}

/**
 * Each projection's lag behind the log's head, its position, and whether it is stopped at an
 * event its handler failed on: read from the checkpoints at each scrape, so the API (which may
 * leave the work to projectors) and every projector show the same figures.
 */
export function registerProjectionMetrics(
  registry: Registry,
  status: () => Promise<readonly ProjectionSample[]>,
): void {
  const sample = onePerScrape(status);
  const gauge = (name: string, help: string, value: (p: ProjectionSample) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['projection'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        // The database down: no figures rather than a failed scrape (the process metrics
        // are wanted most then).
        const projections = await sample().catch(() => []);
        for (const p of projections) this.set({ projection: p.name }, value(p));
      },
    });
  gauge(
    'samverkan_projection_lag_events',
    'Events in the log that the projection has not applied yet',
    (p) => p.lag,
  );
  gauge(
    'samverkan_projection_position',
    'The global position through which the projection has applied the log',
    (p) => p.position,
  );
  gauge(
    'samverkan_projection_failed',
    '1 while the projection is stopped at an event its handler failed on',
    (p) => (p.status === 'failed' ? 1 : 0),
  );
}
