/**
 * RED (rate, errors, duration) over the search's time range, from TraceQL metrics queries.
 * The backend adds the entity's service scope to each query's spanset filter.
 */
import type {
  MetricSample,
  MetricSeries,
} from '@backstage-traces/plugin-traces-common';
import type { TimeRange } from '../../api';

export const RED_QUERIES = {
  /** All spans of the entity's services per second. */
  rate: '{ } | rate()',
  errors: '{ status = error } | rate()',
  /** Latency of the requests the services serve; in seconds. */
  latency: '{ kind = server } | quantile_over_time(duration, 0.5, 0.95, 0.99)',
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

function labelQuantile(series: MetricSeries): number | undefined {
  const p = series.labels.p;
  const value =
    typeof p === 'number' || typeof p === 'string' ? Number(p) : NaN;
  return Number.isFinite(value) ? value : undefined;
}

/**
 * The samples of quantile `q`, in milliseconds. Quantiles of several services cannot be added,
 * so the worst (highest) per timestamp is kept.
 */
export function quantileSamples(
  series: MetricSeries[],
  q: number,
): MetricSample[] {
  const matching = series.filter(s => {
    const p = labelQuantile(s);
    return p !== undefined && Math.abs(p - q) < 1e-9;
  });
  return combine(matching, Math.max).map(s => ({
    ...s,
    value: s.value * 1000,
  }));
}

/** Error ratio per timestamp where both rates have a sample and the rate is positive. */
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

export interface SampleStats {
  /** The last sample's value. */
  latest: number;
  /** Mean over the samples (time-weighted equally, since steps are even). */
  avg: number;
  max: number;
}

export function sampleStats(samples: MetricSample[]): SampleStats | undefined {
  if (samples.length === 0) return undefined;
  const values = samples.map(s => s.value);
  return {
    latest: values[values.length - 1],
    avg: values.reduce((a, b) => a + b, 0) / values.length,
    max: Math.max(...values),
  };
}

/**
 * Overall error ratio of the window: total errors over total spans. Missing error samples mean
 * no errors in that step (Tempo drops empty series and samples).
 */
export function overallErrorRatio(
  rate: MetricSample[],
  errors: MetricSample[],
): number | undefined {
  const total = rate.reduce((sum, s) => sum + s.value, 0);
  if (total <= 0) return undefined;
  const errorTotal = errors.reduce((sum, s) => sum + s.value, 0);
  return Math.min(1, errorTotal / total);
}
