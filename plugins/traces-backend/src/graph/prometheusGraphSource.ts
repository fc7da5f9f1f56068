import type { ServiceGraphEdge } from '@backstage-traces/plugin-traces-common';
import type {
  PrometheusClient,
  PrometheusSample,
} from '../prometheus/PrometheusClient';
import { labelMatchesAny, promqlRange } from '../prometheus/promql';
import type { PrometheusGraphOptions } from './config';
import { expandHops, type ServiceGraphHop } from './expandHops';
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
  /** Per edge, the end of the last step of the range in which its request counter grew. */
  lastSeen: string;
}

/**
 * Step of the last-seen subquery: a minute, coarser for long ranges so that it evaluates at
 * most 360 steps (a week: 28 minutes). `lastSeen` is exact to one step.
 */
export function lastSeenStepSeconds(rangeSeconds: number): number {
  return Math.max(60, Math.ceil(rangeSeconds / 360));
}

type QueryOptions = Omit<PrometheusGraphOptions, 'connection'>;

/**
 * PromQL for one hop: calls *to* `callersOf` (`server=~…`) `or` calls *from* `calleesOf`
 * (`client=~…`). Both sides are summed by the same labels, so an edge matched by both comes
 * back once.
 */
export function buildServiceGraphQueries(
  hop: ServiceGraphHop,
  rangeSeconds: number,
  options: QueryOptions,
): ServiceGraphQueries {
  const { metrics, labels, extraSelector } = options;
  const range = promqlRange(rangeSeconds);
  const by = `${labels.client}, ${labels.server}`;
  const selectors = (
    [
      [labels.server, hop.callersOf],
      [labels.client, hop.calleesOf],
    ] as const
  )
    .filter(([, services]) => services.length > 0)
    .map(
      ([label, services]) =>
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
  // timestamp() of a computed sample is the time of the subquery step that produced it.
  const step = lastSeenStepSeconds(rangeSeconds);
  const grew = bothDirections(
    selector =>
      `timestamp(sum by (${by}) (increase(${
        metrics.requestTotal
      }${selector}${promqlRange(step)})) > 0)`,
  );
  return {
    requests: increase(metrics.requestTotal),
    failed: increase(metrics.requestFailedTotal),
    quantiles: QUANTILES.map(([, q]) => `histogram_quantile(${q}, ${buckets})`),
    lastSeen: `max_over_time((${grew})[${Math.max(
      1,
      Math.round(rangeSeconds),
    )}s:${step}s])`,
  };
}

/**
 * Edges from metrics-generator (or servicegraph connector) series in Prometheus: six instant
 * queries per hop, from the services found at the previous hop.
 */
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
    depth,
  }: ServiceGraphQuery): Promise<ServiceGraphEdges> {
    return {
      source: 'prometheus',
      edges: await expandHops(access.scope.serviceNames, depth, hop =>
        this.hopEdges(hop, start, end),
      ),
    };
  }

  private async hopEdges(
    hop: ServiceGraphHop,
    start: number,
    end: number,
  ): Promise<ServiceGraphEdge[]> {
    const queries = buildServiceGraphQueries(hop, end - start, this.options);
    const controller = new AbortController();
    const run = (query: string) =>
      this.client.queryVector(query, end, { signal: controller.signal });
    let results: PrometheusSample[][];
    try {
      results = await Promise.all([
        run(queries.requests),
        run(queries.failed),
        run(queries.lastSeen),
        ...queries.quantiles.map(run),
      ]);
    } catch (error) {
      controller.abort(); // one failure decides the answer; stop the other queries
      throw error;
    }
    const [requests, failed, lastSeen, ...quantiles] = results;
    return mergeEdges(
      this.options.labels,
      requests,
      failed,
      quantiles,
      lastSeen,
    );
  }
}

/**
 * Joins the instant vectors on (client, server) into edges with whole counts, ms and the
 * last-seen epoch second.
 */
export function mergeEdges(
  labels: { client: string; server: string },
  requests: PrometheusSample[],
  failed: PrometheusSample[],
  quantiles: PrometheusSample[][],
  lastSeen: PrometheusSample[] = [],
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
  for (const sample of lastSeen) {
    const id = keyOf(sample);
    const edge = id && edges.get(id.key);
    if (!edge || !Number.isFinite(sample.value)) continue;
    edge.lastSeen = Math.round(sample.value);
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
