import type { Config } from '@backstage/config';
import { readServiceGraphOptions } from '../graph/config';
import type { UpstreamConnection } from '../lib/upstreamConnection';
import { isMetricName } from '../prometheus/promql';

/** Tempo's `max_exemplars` default: no store gives more per query. */
export const MAX_EXEMPLARS_PER_SERIES = 100;
const DEFAULT_EXEMPLARS_PER_SERIES = 20;
/** The metrics-generator's span metrics latency histogram (Tempo's default name). */
const DEFAULT_SPAN_METRICS_LATENCY = 'traces_spanmetrics_latency';

export interface PrometheusExemplarOptions {
  connection: UpstreamConnection;
  /** Histogram base name; exemplars are read from its `_bucket` series. */
  latencyMetric: string;
  /** `traces.prometheus.extraSelector`, added to the selector. */
  extraSelector?: string;
}

export interface ExemplarOptions {
  /** Most exemplars per metrics series (0: none). */
  maxPerSeries: number;
  /** Set when exemplars come from Prometheus's span metrics where a query allows it. */
  prometheus?: PrometheusExemplarOptions;
}

/** Reads `traces.exemplars` (and `traces.prometheus`); `config.d.ts` is the contract. */
export function readExemplarOptions(root: Config): ExemplarOptions {
  const config = root.getOptionalConfig('traces.exemplars');
  const maxPerSeries =
    config?.getOptionalNumber('maxPerSeries') ?? DEFAULT_EXEMPLARS_PER_SERIES;
  if (
    !Number.isInteger(maxPerSeries) ||
    maxPerSeries < 0 ||
    maxPerSeries > MAX_EXEMPLARS_PER_SERIES
  ) {
    throw new Error(
      `traces.exemplars.maxPerSeries must be a whole number from 0 to ${MAX_EXEMPLARS_PER_SERIES}, got ${maxPerSeries}`,
    );
  }
  const prometheus =
    maxPerSeries > 0 && config?.getOptionalBoolean('fromPrometheus') !== false
      ? readServiceGraphOptions(root).prometheus
      : undefined;
  if (!prometheus) return { maxPerSeries };

  const latencyMetric =
    root
      .getOptionalString('traces.prometheus.metrics.spanMetricsLatency')
      ?.trim() || DEFAULT_SPAN_METRICS_LATENCY;
  if (!isMetricName(latencyMetric)) {
    throw new Error(
      `traces.prometheus.metrics.spanMetricsLatency is not a valid metric name: '${latencyMetric}'`,
    );
  }
  return {
    maxPerSeries,
    prometheus: {
      connection: prometheus.connection,
      latencyMetric,
      ...(prometheus.extraSelector && {
        extraSelector: prometheus.extraSelector,
      }),
    },
  };
}
