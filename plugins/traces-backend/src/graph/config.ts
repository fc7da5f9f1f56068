import type { Config } from '@backstage/config';
import {
  readTimeoutMs,
  readUpstreamConnection,
  type UpstreamConnection,
} from '../lib/upstreamConnection';
import { isLabelName, isMetricName } from '../prometheus/promql';
import { readMaxResponseBytes } from '../config';

/** Names of the service graph series; the OTel Collector's connector and Alloy use others. */
export interface ServiceGraphMetricNames {
  requestTotal: string;
  requestFailedTotal: string;
  /** Histogram base name; `_bucket` is appended. */
  requestServerSeconds: string;
}

export interface PrometheusGraphOptions {
  connection: UpstreamConnection;
  metrics: ServiceGraphMetricNames;
  labels: { client: string; server: string };
  /** Extra label matchers added to every selector, e.g. `cluster="eu-1"`. */
  extraSelector?: string;
}

export interface ServiceGraphOptions {
  /** Undefined while `traces.prometheus.baseUrl` is unset: the graph is built from traces. */
  prometheus?: PrometheusGraphOptions;
  /** How many recent traces the trace source aggregates. */
  sampleTraces: number;
  /** Time budget for fetching the sampled traces. */
  sampleTimeoutMs: number;
}

export const DEFAULT_METRIC_NAMES: ServiceGraphMetricNames = {
  requestTotal: 'traces_service_graph_request_total',
  requestFailedTotal: 'traces_service_graph_request_failed_total',
  requestServerSeconds: 'traces_service_graph_request_server_seconds',
};

const MAX_SAMPLE_TRACES = 500;
const DEFAULT_SAMPLE_TRACES = 50;
const DEFAULT_SAMPLE_TIMEOUT_MS = 20_000;

/** Reads `traces.prometheus` and `traces.serviceGraph`; `config.d.ts` is the contract. */
export function readServiceGraphOptions(root: Config): ServiceGraphOptions {
  const traces = root.getOptionalConfig('traces');
  const graph = traces?.getOptionalConfig('serviceGraph');

  const sampleTraces =
    graph?.getOptionalNumber('sampleTraces') ?? DEFAULT_SAMPLE_TRACES;
  if (
    !Number.isInteger(sampleTraces) ||
    sampleTraces < 1 ||
    sampleTraces > MAX_SAMPLE_TRACES
  ) {
    throw new Error(
      `traces.serviceGraph.sampleTraces must be a whole number from 1 to ${MAX_SAMPLE_TRACES}, got ${sampleTraces}`,
    );
  }

  return {
    prometheus: readPrometheusGraphOptions(
      traces?.getOptionalConfig('prometheus'),
      readMaxResponseBytes(traces),
    ),
    sampleTraces,
    sampleTimeoutMs: graph
      ? readTimeoutMs(
          graph,
          'sampleTimeout',
          'traces.serviceGraph',
          DEFAULT_SAMPLE_TIMEOUT_MS,
        )
      : DEFAULT_SAMPLE_TIMEOUT_MS,
  };
}

function readPrometheusGraphOptions(
  config: Config | undefined,
  maxResponseBytes: number,
): PrometheusGraphOptions | undefined {
  const connection = readUpstreamConnection(
    config,
    'traces.prometheus',
    maxResponseBytes,
  );
  if (!config || !connection) return undefined;

  const metrics = { ...DEFAULT_METRIC_NAMES };
  for (const key of Object.keys(metrics) as Array<
    keyof ServiceGraphMetricNames
  >) {
    const value = config.getOptionalString(`metrics.${key}`)?.trim();
    if (value === undefined || value === '') continue;
    if (!isMetricName(value)) {
      throw new Error(
        `traces.prometheus.metrics.${key} is not a valid metric name: '${value}'`,
      );
    }
    metrics[key] = value;
  }

  const labels = { client: 'client', server: 'server' };
  for (const key of ['client', 'server'] as const) {
    const value = config.getOptionalString(`labels.${key}`)?.trim();
    if (value === undefined || value === '') continue;
    if (!isLabelName(value)) {
      throw new Error(
        `traces.prometheus.labels.${key} is not a valid label name: '${value}'`,
      );
    }
    labels[key] = value;
  }
  if (labels.client === labels.server) {
    throw new Error(
      'traces.prometheus.labels.client and labels.server must differ',
    );
  }

  const extraSelector =
    config.getOptionalString('extraSelector')?.trim() || undefined;
  if (extraSelector && /^\{|\}$/.test(extraSelector)) {
    throw new Error(
      `traces.prometheus.extraSelector takes label matchers without braces, e.g. cluster="eu-1", got '${extraSelector}'`,
    );
  }

  return {
    connection,
    metrics,
    labels,
    ...(extraSelector && { extraSelector: extraSelector.replace(/,\s*$/, '') }),
  };
}
