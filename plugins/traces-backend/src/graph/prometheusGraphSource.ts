import type { ServiceGraphEdge } from '@backstage-traces/plugin-traces-common';
import type {
  PrometheusClient,
  PrometheusSample,
} from '../prometheus/PrometheusClient';
import { labelMatchesAny, promqlRange } from '../prometheus/promql';
import type { PrometheusGraphOptions } from './config';
import { roundMs, sortEdges } from './serviceGraph';
import type {
  ServiceGraphEdges,
  ServiceGraphQuery,
  ServiceGraphSource,
} from './types';

export const QUANTILES = [
  ['latencyP50Ms', 0.5],
  ['latencyP95Ms', 0.95],
  ['latencyP99Ms', 0.99],
] as const;

export interface ServiceGraphQueries {
  requests: string;
  failed: string;
  /** One `histogram_quantile` per entry of QUANTILES, in that order. */
  quantiles: string[];
}

type QueryOptions = Omit<PrometheusGraphOptions, 'connection'>;

/**
 * PromQL for the edges touching `services`, in both directions: calls *to* them
 * (`server=~…`) `or` calls *from* them (`client=~…`). Both sides are summed by the same
 * labels, so an edge between two of the services comes back once.
 */
export function buildServiceGraphQueries(
  services: readonly string[],
  rangeSeconds: number,
  options: QueryOptions,
): ServiceGraphQueries {
  const { metrics, labels, extraSelector } = options;
  const range = promqlRange(rangeSeconds);
  const by = `${labels.client}, ${labels.server}`;
  const selectors = [labels.server, labels.client].map(
    label =>
      `{${labelMatchesAny(label, services)}${
        extraSelector ? `, ${extraSelector}` : ''
      }}`,
  );
  const bothDirections = (expression: (selector: string) => string) =>
    selectors.map(expression).join(' or ');

  const increase = (metric: string) =>
    bothDirections(
      selector => `sum by (${by}) (increase(${metric}${selector}${range}))`,
    );
  const buckets = bothDirections(
    selector =>
      `sum by (${by}, le) (rate(${metrics.requestServerSeconds}_bucket${selector}${range}))`,
  );
  return {
    requests: increase(metrics.requestTotal),
    failed: increase(metrics.requestFailedTotal),
    quantiles: QUANTILES.map(([, q]) => `histogram_quantile(${q}, ${buckets})`),
  };
}

/** Edges from metrics-generator (or servicegraph connector) series in Prometheus. */
export class PrometheusGraphSource implements ServiceGraphSource {
  readonly kind = 'prometheus';

  constructor(
    private readonly client: PrometheusClient,
    private readonly options: QueryOptions,
  ) {}

  async getEdges({
    access,
    start,
    end,
  }: ServiceGraphQuery): Promise<ServiceGraphEdges> {
    const queries = buildServiceGraphQueries(
      access.scope.serviceNames,
      end - start,
      this.options,
    );
    const controller = new AbortController();
    const run = (query: string) =>
      this.client.queryVector(query, end, { signal: controller.signal });
    let results: PrometheusSample[][];
    try {
      results = await Promise.all([
        run(queries.requests),
        run(queries.failed),
        ...queries.quantiles.map(run),
      ]);
    } catch (error) {
      controller.abort(); // one failure decides the answer; stop the other queries
      throw error;
    }
    const [requests, failed, ...quantiles] = results;
    return {
      source: 'prometheus',
      edges: mergeEdges(this.options.labels, requests, failed, quantiles),
    };
  }
}

/** Joins the five instant vectors on (client, server) into edges with whole counts and ms. */
export function mergeEdges(
  labels: { client: string; server: string },
  requests: PrometheusSample[],
  failed: PrometheusSample[],
  quantiles: PrometheusSample[][],
): ServiceGraphEdge[] {
  const keyOf = (sample: PrometheusSample) => {
    const source = sample.metric[labels.client];
    const target = sample.metric[labels.server];
    // Self-edges (a service calling itself) are not dependencies.
    return source && target && source !== target
      ? { key: JSON.stringify([source, target]), source, target }
      : undefined;
  };

  const edges = new Map<string, ServiceGraphEdge>();
  for (const sample of requests) {
    const id = keyOf(sample);
    // increase() extrapolates to the window: round, and drop edges without a single call.
    const count = Number.isFinite(sample.value) ? Math.round(sample.value) : 0;
    if (!id || count <= 0) continue;
    edges.set(id.key, {
      source: id.source,
      target: id.target,
      requestCount: count,
      errorCount: 0,
    });
  }
  for (const sample of failed) {
    const id = keyOf(sample);
    const edge = id && edges.get(id.key);
    if (!edge || !Number.isFinite(sample.value)) continue;
    edge.errorCount = Math.min(
      edge.requestCount,
      Math.max(0, Math.round(sample.value)),
    );
  }
  quantiles.forEach((samples, index) => {
    const field = QUANTILES[index][0];
    for (const sample of samples) {
      const id = keyOf(sample);
      const edge = id && edges.get(id.key);
      // NaN: no observations in the window; ±Inf: the quantile is beyond the buckets.
      if (!edge || !Number.isFinite(sample.value) || sample.value < 0) continue;
      edge[field] = roundMs(sample.value * 1000);
    }
  });
  return sortEdges([...edges.values()]);
}
