import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';

/** Nest injection token of the process's registry (the API's; the workers make their own). */
export const METRICS_REGISTRY = Symbol('MetricsRegistry');

/**
 * A process's metrics: its own registry rather than prom-client's global one, so two apps in
 * one process (the test suites) never share or clash over series, with Node's default process
 * metrics under their usual names (`process_cpu_seconds_total`…) for stock dashboards.
 */
export function newMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Answers a scrape with the registry in Prometheus's text format. */
export function answerScrape(registry: Registry, res: ServerResponse<IncomingMessage>): void {
  registry.metrics().then(
    (text) => {
      res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
      res.end(text);
    },
    () => {
      // A collector failed (the database is down): no partial page a graph would misread.
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('metrics unavailable\n');
    },
  );
}

/**
 * One read shared by the series a scrape collects from it (several gauges from one status
 * query), so a scrape costs one query, not one per series.
 */
export function onePerScrape<T>(read: () => Promise<T>, holdMs = 1000): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (!last || Date.now() - last.at > holdMs) {
      const value = read();
      last = { at: Date.now(), value };
      // A failed read is not kept for the next scrape.
      value.catch(() => (last = undefined));
    }
    return last.value;
  };
}
