import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  normalizeTraceId,
  type MetricExemplar,
  type MetricSeries,
} from '@backstage-traces/plugin-traces-common';
import type { TraceScope } from '@backstage-traces/plugin-traces-node';
import { log2Bucket } from '../embedded/traceql/metrics';
import type { PrometheusClient } from '../prometheus/PrometheusClient';
import type { PrometheusExemplarOptions } from './config';
import {
  spanMetricsSelector,
  type SpanMetricsSelector,
} from './spanMetricsSelector';

/** The label of an exemplar's trace ID: Tempo's metrics-generator, the OTel Collector, others. */
const TRACE_ID_LABELS = ['traceID', 'trace_id', 'traceId'];

export interface ExemplarQuery {
  query: string;
  scope: TraceScope;
  /** Epoch seconds. */
  start: number;
  end: number;
  signal?: AbortSignal;
}

/** One span of the span metrics, by the service it belongs to. */
interface SpanExemplar {
  service: string;
  traceId: string;
  timestampMs: number;
  seconds: number;
}

/** What Prometheus found for one query: attach it with `attach`. */
export interface FoundExemplars {
  selector: SpanMetricsSelector;
  exemplars: SpanExemplar[];
}

/**
 * Exemplars of the metrics-generator's span metrics in Prometheus, for TraceQL metrics queries
 * that span metrics can answer (see `spanMetricsSelector`). These are the spans the
 * metrics-generator saw, over any range Prometheus keeps, without asking Tempo to read traces.
 */
export class PrometheusExemplarSource {
  constructor(
    private readonly client: PrometheusClient,
    private readonly options: PrometheusExemplarOptions,
    private readonly logger: LoggerService,
  ) {}

  /**
   * The exemplars in scope, or undefined when span metrics cannot answer the query, Prometheus
   * has none, or fails (logged: exemplars are an aid, never a reason to fail a chart).
   */
  async find(request: ExemplarQuery): Promise<FoundExemplars | undefined> {
    const selector = spanMetricsSelector(
      request.query,
      request.scope,
      this.options,
    );
    if (!selector) return undefined;
    let found;
    try {
      found = await this.client.queryExemplars(
        selector.selector,
        request.start,
        request.end,
        { signal: request.signal },
      );
    } catch (error) {
      if (request.signal?.aborted) return undefined;
      this.logger.warn(
        `Exemplars from Prometheus failed, using the trace store's: ${
          (error as Error).message
        }`,
      );
      return undefined;
    }
    const inScope = request.scope.serviceNames
      ? new Set(request.scope.serviceNames)
      : undefined;
    const exemplars: SpanExemplar[] = [];
    for (const { seriesLabels, exemplars: list } of found) {
      const service = seriesLabels.service ?? '';
      // Prometheus selected by scope already; a series outside it is never shown.
      if (inScope && !inScope.has(service)) continue;
      for (const exemplar of list) {
        const label = TRACE_ID_LABELS.find(name => exemplar.labels[name]);
        const traceId = label && normalizeTraceId(exemplar.labels[label]);
        if (!traceId || !Number.isFinite(exemplar.value)) continue;
        exemplars.push({
          service,
          traceId,
          timestampMs: Math.round(exemplar.timestamp * 1000),
          seconds: exemplar.value,
        });
      }
    }
    return exemplars.length > 0 ? { selector, exemplars } : undefined;
  }
}

/**
 * The series with the found exemplars in place of the store's: each exemplar on the series of
 * its service (`by (resource.service.name)`) and, for `histogram_over_time`, of its duration
 * bucket; valued as TraceQL values its exemplars (the step's sample, or for quantiles the
 * span's duration in seconds).
 */
export function attachExemplars(
  series: MetricSeries[],
  found: FoundExemplars,
): MetricSeries[] {
  const { fn, byService } = found.selector;
  return series.map(one => {
    const exemplars: MetricExemplar[] = [];
    const seen = new Set<string>();
    for (const exemplar of found.exemplars) {
      if (byService && one.labels['resource.service.name'] !== exemplar.service)
        continue;
      if (
        fn === 'histogram_over_time' &&
        log2Bucket(exemplar.seconds * 1e9) !== Number(one.labels.__bucket)
      ) {
        continue;
      }
      const key = `${exemplar.traceId}@${exemplar.timestampMs}`;
      if (seen.has(key)) continue;
      seen.add(key);
      exemplars.push({
        traceId: exemplar.traceId,
        timestampMs: exemplar.timestampMs,
        value:
          fn === 'quantile_over_time'
            ? exemplar.seconds
            : sampleAt(one, exemplar.timestampMs),
        durationMs: exemplar.seconds * 1000,
      });
    }
    return { ...one, exemplars };
  });
}

/** The value of the step `timestampMs` falls in (samples are stamped with their step's start). */
function sampleAt(series: MetricSeries, timestampMs: number): number {
  let value = 0;
  for (const sample of series.samples) {
    if (sample.timestampMs > timestampMs) break;
    value = sample.value;
  }
  return value;
}
