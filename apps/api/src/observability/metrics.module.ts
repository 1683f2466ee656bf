import { createServer, type Server } from 'node:http';
import {
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  answerScrape,
  METRICS_REGISTRY,
  newMetricsRegistry,
} from '@samverkan/shared/metrics/metrics-registry';
import type { Registry } from 'prom-client';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';

/** SAMVERKAN_METRICS_PORT: a port of its own for Prometheus, without credentials; unset: none. */
export function metricsPort(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env['SAMVERKAN_METRICS_PORT']?.trim();
  if (!raw) return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error('SAMVERKAN_METRICS_PORT must be a port number from 0 to 65535');
  }
  return port;
}

/**
 * The API's metrics: one registry for the process (global, so the event store, projections
 * and relay modules register their series in it), served at `GET /metrics` to the operator
 * role, and with SAMVERKAN_METRICS_PORT also on a port of its own, bound to HOST like the API,
 * for a Prometheus that scrapes without a token (keep that port internal).
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [{ provide: METRICS_REGISTRY, useFactory: newMetricsRegistry }, HttpMetrics],
  exports: [METRICS_REGISTRY, HttpMetrics],
})
export class MetricsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server: Server | undefined;

  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = metricsPort();
    if (port === undefined) return;
    const host = process.env['HOST'] ?? '127.0.0.1';
    const server = createServer((req, res) => {
      if (req.method === 'GET' && req.url === '/metrics') return answerScrape(this.registry, res);
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    this.server = server;
    this.logger.log(`Metrics at http://${host}:${this.boundPort() ?? port}/metrics`);
  }

  /** The port the metrics server listens on (when SAMVERKAN_METRICS_PORT is 0, the one it got). */
  boundPort(): number | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
