/**
 * RED (rate, errors, duration) over the search's time range, from TraceQL metrics queries.
 * The backend adds the entity's service scope to each query's spanset filter.
 */
import {
  spreadExemplars,
  type MetricExemplar,
  type MetricSample,
  type MetricSeries,
} from '@backstage-traces/plugin-traces-common';
import type { TimeRange } from '../../api';

export const RED_QUERIES = {
  /** All spans of the entity's services per second. */
  rate: '{ } | rate()',
  errors: '{ status = error } | rate()',
  /**
   * Latency of the requests the services serve: counts per power-of-two duration bucket
   * (`__bucket`, seconds) per step. Buckets add up over steps and series, so the headline
   * percentiles are those of every request in the range, not an average of per-step ones.
   */
  latency: '{ kind = server } | histogram_over_time(duration)',
} as const;

export const QUANTILES = [0.5, 0.95, 0.99] as const;

/** Tempo's default limit for a TraceQL metrics range (`max_duration` of metrics: 24h). */
export const MAX_METRICS_RANGE_SECONDS = 24 * 3600;

/** Aim for about this many points per sparkline. */
const TARGET_POINTS = 60;
const MIN_STEP_SECONDS = 15;

/**
 * The metrics window: the search range, or its last 24 hours when longer, since Tempo rejects
 * longer metrics queries by default.
 */
export function metricsWindow(
  range: TimeRange,
): TimeRange & { clamped: boolean } {
  const length = range.end - range.start;
  if (length <= MAX_METRICS_RANGE_SECONDS) return { ...range, clamped: false };
  return {
    start: range.end - MAX_METRICS_RANGE_SECONDS,
    end: range.end,
    clamped: true,
  };
}

/** A step giving about 60 points, rounded to a readable unit, at least 15s. */
export function metricsStep(range: TimeRange): string {
  const raw = Math.max(
    MIN_STEP_SECONDS,
    (range.end - range.start) / TARGET_POINTS,
  );
  const nice = [
    15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
    86400,
  ];
  const step = nice.find(s => s >= raw) ?? Math.ceil(raw);
  return `${step}s`;
}

/** Seconds of a step such as `60s` (the form `metricsStep` and the backend use). */
export function stepSeconds(step: string): number {
  const seconds = Number(step.replace(/s$/, ''));
  return Number.isFinite(seconds) && seconds > 0 ? seconds : NaN;
}

/** Combines samples of several series by timestamp (sorted by time). */
function combine(
  seriesList: MetricSeries[],
  reduce: (a: number, b: number) => number,
): MetricSample[] {
  const byTime = new Map<number, number>();
  for (const series of seriesList) {
    for (const { timestampMs, value } of series.samples) {
      if (!Number.isFinite(value)) continue;
      const current = byTime.get(timestampMs);
      byTime.set(
        timestampMs,
        current === undefined ? value : reduce(current, value),
      );
    }
  }
  return [...byTime.entries()]
    .sort(([a], [b]) => a - b)
    .map(([timestampMs, value]) => ({ timestampMs, value }));
}

/** Rates add up across series (e.g. one series per service of the entity). */
export function sumSeries(series: MetricSeries[]): MetricSample[] {
  return combine(series, (a, b) => a + b);
}

/**
 * The samples of steps that had ended by `endMs`. Tempo stamps a sample with the start of its
 * step and answers up to a step past the end, so the last samples cover time that is still
 * running: their rates are low only because the step is not over.
 */
export function completeSteps(
  samples: MetricSample[],
  stepMs: number,
  endMs: number,
): MetricSample[] {
  return samples.filter(s => s.timestampMs + stepMs <= endMs);
}

/** Spans counted by per-second rate samples of `stepSeconds` steps (the partial step included). */
export function countOf(samples: MetricSample[], seconds: number): number {
  return samples.reduce((sum, s) => sum + s.value * seconds, 0);
}

export interface RateSummary {
  /** Spans in the window. */
  total: number;
  /** Spans per second over the whole window (steps without spans count: they had none). */
  average: number;
  /** Highest per-second rate of a finished step. */
  peak: number;
  /** Per-second rate of the last finished step. */
  lastStep?: number;
  /** Finished steps only: what the sparkline draws. */
  samples: MetricSample[];
}

export function rateSummary(
  samples: MetricSample[],
  window: TimeRange,
  step: string,
): RateSummary | undefined {
  const seconds = stepSeconds(step);
  if (samples.length === 0 || !Number.isFinite(seconds)) return undefined;
  const total = countOf(samples, seconds);
  const complete = completeSteps(samples, seconds * 1000, window.end * 1000);
  return {
    total,
    average: total / Math.max(1, window.end - window.start),
    peak: Math.max(0, ...complete.map(s => s.value)),
    lastStep: complete[complete.length - 1]?.value,
    samples: complete,
  };
}

/**
 * Error ratio per finished step with spans. Missing error samples mean no errors in that step
 * (Tempo drops empty series and samples).
 */
export function errorRatioSamples(
  rate: MetricSample[],
  errors: MetricSample[],
): MetricSample[] {
  const errorsByTime = new Map(errors.map(s => [s.timestampMs, s.value]));
  return rate
    .filter(s => s.value > 0)
    .map(s => ({
      timestampMs: s.timestampMs,
      value: Math.min(1, (errorsByTime.get(s.timestampMs) ?? 0) / s.value),
    }));
}

/** Overall error ratio of the window: total errors over total spans (a count-weighted ratio). */
export function overallErrorRatio(
  rate: MetricSample[],
  errors: MetricSample[],
): number | undefined {
  const total = rate.reduce((sum, s) => sum + s.value, 0);
  if (total <= 0) return undefined;
  const errorTotal = errors.reduce((sum, s) => sum + s.value, 0);
  return Math.min(1, errorTotal / total);
}

/** Request counts per power-of-two duration bucket, upper bounds in seconds, ascending. */
export interface Log2Histogram {
  bounds: number[];
  counts: number[];
}

function bucketBound(series: MetricSeries): number | undefined {
  const raw = series.labels.__bucket;
  const bound =
    typeof raw === 'number' || typeof raw === 'string' ? Number(raw) : NaN;
  return Number.isFinite(bound) && bound > 0 ? bound : undefined;
}

/**
 * `histogram_over_time` series (one per bucket, and per service when several answer) as one
 * histogram per step, keyed by timestamp.
 */
export function histogramsByStep(
  series: MetricSeries[],
): Map<number, Log2Histogram> {
  const bounds = [
    ...new Set(series.map(bucketBound).filter(b => b !== undefined)),
  ].sort((a, b) => a - b);
  const index = new Map(bounds.map((bound, i) => [bound, i]));
  const byStep = new Map<number, Log2Histogram>();
  for (const s of series) {
    const bound = bucketBound(s);
    if (bound === undefined) continue;
    for (const { timestampMs, value } of s.samples) {
      if (!(value > 0)) continue;
      let histogram = byStep.get(timestampMs);
      if (!histogram) {
        histogram = { bounds, counts: bounds.map(() => 0) };
        byStep.set(timestampMs, histogram);
      }
      histogram.counts[index.get(bound)!] += value;
    }
  }
  return byStep;
}

/** The counts of several histograms over the same bounds, added. */
export function mergeHistograms(
  histograms: Iterable<Log2Histogram>,
): Log2Histogram | undefined {
  let merged: Log2Histogram | undefined;
  for (const h of histograms) {
    const target = merged ?? {
      bounds: h.bounds,
      counts: h.counts.map(() => 0),
    };
    for (let i = 0; i < h.counts.length; i++) target.counts[i] += h.counts[i];
    merged = target;
  }
  return merged;
}

/**
 * Quantile `p` of a power-of-two histogram, in seconds: the bucket holding the p-th request,
 * interpolated exponentially between its bounds (half its upper bound, and the upper bound) by
 * the share of its requests needed, as Tempo's `quantile_over_time` does.
 */
export function log2Quantile(
  p: number,
  histogram: Log2Histogram,
): number | undefined {
  const { bounds, counts } = histogram;
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return undefined;
  const target = Math.max(1, Math.ceil(p * total));
  let below = 0;
  let bucket = counts.length - 1;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] > 0 && below + counts[i] >= target) {
      bucket = i;
      break;
    }
    below += counts[i];
  }
  const fraction = Math.min(1, (target - below) / counts[bucket]);
  const max = Math.log2(bounds[bucket]);
  return 2 ** (max - 1 + fraction);
}

export interface LatencySummary {
  /** Server spans in the window. */
  count: number;
  /** Percentile label (`p50`) → milliseconds over every request in the window. */
  overall: Array<{ label: string; ms: number }>;
  /** Per percentile: milliseconds per finished step that had requests (sparklines). */
  series: Array<{ label: string; samples: MetricSample[] }>;
}

export function latencySummary(
  series: MetricSeries[],
  window: TimeRange,
  step: string,
): LatencySummary | undefined {
  const byStep = histogramsByStep(series);
  const overall = mergeHistograms(byStep.values());
  if (!overall) return undefined;
  const stepMs = stepSeconds(step) * 1000;
  const steps = [...byStep.entries()]
    .filter(([timestampMs]) => timestampMs + stepMs <= window.end * 1000)
    .sort(([a], [b]) => a - b);
  const label = (q: number) => `p${Math.round(q * 100)}`;
  return {
    count: overall.counts.reduce((a, b) => a + b, 0),
    overall: QUANTILES.map(q => ({
      label: label(q),
      ms: log2Quantile(q, overall)! * 1000,
    })),
    series: QUANTILES.map(q => ({
      label: label(q),
      samples: steps.map(([timestampMs, histogram]) => ({
        timestampMs,
        value: log2Quantile(q, histogram)! * 1000,
      })),
    })),
  };
}

/** Exemplars a chart draws at most: a 160 px sparkline has room for about this many. */
export const MAX_CHART_EXEMPLARS = 12;

/** An exemplar placed on a chart: `y` in the chart's unit, if the chart has a value there. */
export interface ExemplarPoint {
  traceId: string;
  spanId?: string;
  timestampMs: number;
  y?: number;
}

/**
 * The exemplars of a chart's series as points: one per trace (a trace's first), at most
 * `limit`, spread over time from the first to the last, each at `yOf(exemplar)` (none when
 * the chart has no value there, e.g. in the running step).
 */
export function exemplarPoints(
  series: MetricSeries[],
  yOf: (exemplar: MetricExemplar) => number | undefined,
  limit = MAX_CHART_EXEMPLARS,
): ExemplarPoint[] {
  const byTrace = new Map<string, MetricExemplar>();
  for (const exemplar of series.flatMap(s => s.exemplars)) {
    if (!exemplar.traceId) continue;
    const seen = byTrace.get(exemplar.traceId);
    if (!seen || exemplar.timestampMs < seen.timestampMs) {
      byTrace.set(exemplar.traceId, exemplar);
    }
  }
  const picked = spreadExemplars([...byTrace.values()], limit);
  return picked.map(exemplar => {
    const y = yOf(exemplar);
    return {
      traceId: exemplar.traceId!,
      ...(exemplar.spanId && { spanId: exemplar.spanId }),
      timestampMs: exemplar.timestampMs,
      ...(y !== undefined && Number.isFinite(y) && { y }),
    };
  });
}

/** The sample of the step `timestampMs` falls in (samples are stamped with their step's start). */
export function sampleAt(
  samples: MetricSample[],
  timestampMs: number,
  stepMs: number,
): number | undefined {
  for (let i = samples.length - 1; i >= 0; i--) {
    const { timestampMs: stepStart, value } = samples[i];
    if (stepStart <= timestampMs) {
      return timestampMs < stepStart + stepMs ? value : undefined;
    }
  }
  return undefined;
}
