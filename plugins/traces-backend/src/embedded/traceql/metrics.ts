import {
  SPAN_KINDS,
  STATUS_CODES,
  type MetricSeries,
} from '@backstage-traces/plugin-traces-common';
import { InputError } from '@backstage/errors';
import type { Field, MetricsOp } from './ast';
import { parseQuery } from './parse';
import { conditionField, planSpansets, type SearchPlan } from './search';
import type {
  ConditionField,
  TraceQLScope,
  TraceQLSpan,
  TraceQLValue,
} from './types';

/** The time range of a metrics query, in epoch seconds, as the routes receive it. */
export interface MetricsRange {
  start: number;
  end: number;
  /** Seconds between samples; undefined picks Tempo's default step for the range. */
  step?: number;
  /** `/api/metrics/query`: one value for the whole range. */
  instant?: boolean;
}

export interface MetricsAccumulator {
  /** One matched span (each once); spans outside the plan's [fromNs, toNs) are ignored. */
  observe(span: TraceQLSpan, traceId: string): void;
  /**
   * `count` matched spans that share the `groupBy` values (in the plan's order) and the step
   * `interval` (floor((startNs - fromNs) / stepNs)): for a store that groups in SQL when the
   * prefilter is exact. Only for rate() and count_over_time().
   */
  observeCount(
    groupValues: readonly TraceQLValue[],
    interval: number,
    count: number,
  ): void;
  /**
   * One matched span's duration, with its `groupBy` values and step `interval` as for
   * `observeCount`: for a store that reads durations in SQL when the prefilter is exact. Only
   * for histogram_over_time() and quantile_over_time() (of duration).
   */
  observeDuration(
    groupValues: readonly TraceQLValue[],
    interval: number,
    durationNs: number,
  ): void;
  /**
   * One matched span as an exemplar of its series only, for a store that counts every span
   * with `observeCount` or `observeDuration`.
   */
  exemplify(span: TraceQLSpan, traceId: string): void;
  /** The series, in the shape normalizeMetricsResponse gives for Tempo, sorted by name. */
  result(): MetricSeries[];
}

export interface MetricsPlan {
  /** Which spans count: evaluate each candidate trace, then observe the spans it returns. */
  search: SearchPlan;
  function: MetricsOp['fn'];
  /** Spans count when they start in [fromNs, toNs): the step-aligned range, as in Tempo. */
  fromNs: bigint;
  toNs: bigint;
  stepNs: bigint;
  /** Number of samples per series. */
  intervals: number;
  /** The by() fields, in order (`observeCount` takes their values in this order). */
  groupBy: ConditionField[];
  newAccumulator(): MetricsAccumulator;
}

const NANOS_PER_SECOND = 1_000_000_000n;
const EMPTY = new Map<number, number>();
const MAX_EXEMPLARS = 100;
const MAX_EXEMPLARS_PER_INTERVAL = 2;
/** The label of histogram_over_time's bucket (Tempo's internalLabelBucket). */
const BUCKET_LABEL = '__bucket';

interface Series {
  values: Array<string | number | boolean | null>;
  /** count / rate / histogram (one series per bucket): span counts per interval. */
  counts?: Float64Array;
  /** quantile: per interval (created when a span lands there), counts per log2 bucket (seconds). */
  histograms?: Array<Map<number, number> | undefined>;
  exemplars: MetricSeries['exemplars'];
  exemplarsPerInterval: Uint8Array;
}

class Accumulator implements MetricsAccumulator {
  private readonly series = new Map<string, Series>();
  private readonly getters: Array<(span: TraceQLSpan) => unknown>;
  private readonly labelNames: string[];
  private readonly values: unknown[];

  private readonly metrics: MetricsOp;
  private readonly readsDuration: boolean;
  private readonly plan: Pick<
    MetricsPlan,
    'fromNs' | 'toNs' | 'stepNs' | 'intervals'
  >;

  constructor(
    metrics: MetricsOp,
    plan: Pick<MetricsPlan, 'fromNs' | 'toNs' | 'stepNs' | 'intervals'>,
  ) {
    this.metrics = metrics;
    this.plan = plan;
    this.readsDuration =
      metrics.field?.kind === 'intrinsic' && metrics.field.name === 'duration';
    this.getters = metrics.by.map(groupGetter);
    this.labelNames = metrics.by.map(labelName);
    // A histogram's bucket is one more label: Tempo's nil rule below sees it too.
    if (metrics.fn === 'histogram_over_time')
      this.labelNames.push(BUCKET_LABEL);
    this.values = new Array(metrics.by.length);
  }

  observe(span: TraceQLSpan, traceId: string): void {
    this.take(span, traceId, true);
  }

  exemplify(span: TraceQLSpan, traceId: string): void {
    this.take(span, traceId, false);
  }

  /** A span's series and step: counted there when `count`, and an exemplar of it. */
  private take(span: TraceQLSpan, traceId: string, count: boolean): void {
    const { fromNs, toNs, stepNs } = this.plan;
    if (span.startNs < fromNs || span.startNs >= toNs) return;
    const interval = Number((span.startNs - fromNs) / stepNs);
    for (let i = 0; i < this.getters.length; i++)
      this.values[i] = this.getters[i](span);
    const { fn } = this.metrics;
    if (fn === 'quantile_over_time') {
      const bucket = log2Bucket(span.durationNs);
      if (bucket === undefined) return;
      const series = this.seriesFor(this.values);
      if (count) {
        const histogram = (series.histograms![interval] ??= new Map());
        histogram.set(bucket, (histogram.get(bucket) ?? 0) + 1);
      }
      this.exemplar(series, interval, span, traceId, span.durationNs / 1e9);
      return;
    }
    let values = this.values;
    if (fn === 'histogram_over_time') {
      // Tempo's histogram is count_over_time() by (…, __bucket): each bucket its own series.
      const bucket = log2Bucket(span.durationNs);
      if (bucket === undefined) return;
      values = [...this.values, bucket];
    }
    const series = this.seriesFor(values);
    if (count) series.counts![interval] += 1;
    this.exemplar(series, interval, span, traceId, NaN);
  }

  observeCount(
    groupValues: readonly TraceQLValue[],
    interval: number,
    count: number,
  ): void {
    if (this.metrics.fn !== 'rate' && this.metrics.fn !== 'count_over_time') {
      throw new Error('observeCount is only for rate() and count_over_time()');
    }
    if (interval < 0 || interval >= this.plan.intervals) return;
    this.setValues(groupValues);
    this.seriesFor(this.values).counts![interval] += count;
  }

  observeDuration(
    groupValues: readonly TraceQLValue[],
    interval: number,
    durationNs: number,
  ): void {
    const { fn } = this.metrics;
    if (
      !this.readsDuration ||
      (fn !== 'histogram_over_time' && fn !== 'quantile_over_time')
    ) {
      throw new Error(
        'observeDuration is only for histogram_over_time() and quantile_over_time() of duration',
      );
    }
    if (interval < 0 || interval >= this.plan.intervals) return;
    const bucket = log2Bucket(durationNs);
    if (bucket === undefined) return;
    this.setValues(groupValues);
    if (fn === 'quantile_over_time') {
      const histograms = this.seriesFor(this.values).histograms!;
      const histogram = (histograms[interval] ??= new Map());
      histogram.set(bucket, (histogram.get(bucket) ?? 0) + 1);
    } else {
      this.seriesFor([...this.values, bucket]).counts![interval] += 1;
    }
  }

  private setValues(groupValues: readonly TraceQLValue[]) {
    for (let i = 0; i < this.getters.length; i++) {
      this.values[i] = groupValues[i] === undefined ? null : groupValues[i];
    }
  }

  private seriesFor(values: unknown[]): Series {
    const key =
      values.length === 1 ? keyOf(values[0]) : values.map(keyOf).join('\u0000');
    let series = this.series.get(key);
    if (!series) {
      const { intervals } = this.plan;
      series = {
        values: values.map(labelValue),
        exemplars: [],
        exemplarsPerInterval: new Uint8Array(intervals),
      };
      if (this.metrics.fn === 'quantile_over_time') {
        series.histograms = new Array(intervals);
      } else {
        series.counts = new Float64Array(intervals);
      }
      this.series.set(key, series);
    }
    return series;
  }

  private exemplar(
    series: Series,
    interval: number,
    span: TraceQLSpan,
    traceId: string,
    value: number,
  ) {
    if (
      series.exemplars.length >= MAX_EXEMPLARS ||
      series.exemplarsPerInterval[interval] >= MAX_EXEMPLARS_PER_INTERVAL
    ) {
      return;
    }
    series.exemplarsPerInterval[interval]++;
    series.exemplars.push({
      traceId,
      spanId: span.spanId,
      timestampMs: Number(span.startNs / 1_000_000n),
      // Count and rate exemplars carry the value of their sample (filled in by result()).
      value,
      // As Tempo, which labels exemplars with the duration when the query reads it.
      ...(this.readsDuration && { durationMs: span.durationNs / 1e6 }),
    });
  }

  result(): MetricSeries[] {
    const { fromNs, stepNs, intervals } = this.plan;
    const timestamps = Array.from({ length: intervals }, (_, i) =>
      Number((fromNs + BigInt(i) * stepNs) / 1_000_000n),
    );
    const out: MetricSeries[] = [];
    for (const series of this.series.values()) {
      const base = this.labels(series.values);
      if (this.metrics.fn === 'quantile_over_time') {
        for (const q of this.metrics.quantiles ?? []) {
          const labels = { ...base, p: q };
          const samples = timestamps.map((timestampMs, i) => ({
            timestampMs,
            value: log2Quantile(q, series.histograms![i] ?? EMPTY),
          }));
          out.push({
            labels,
            name: promLabels(labels),
            samples,
            exemplars: series.exemplars,
          });
        }
      } else {
        const factor = this.metrics.fn === 'rate' ? 1e9 / Number(stepNs) : 1;
        const samples = Array.from(series.counts!, (count, i) => ({
          timestampMs: timestamps[i],
          value: count * factor,
        }));
        const exemplars = series.exemplars.map(exemplar => ({
          ...exemplar,
          value:
            samples[intervalOfMs(exemplar.timestampMs, fromNs, stepNs)]
              ?.value ?? 0,
        }));
        const labels =
          this.labelNames.length === 0 ? { __name__: this.metrics.fn } : base;
        out.push({ labels, name: promLabels(labels), samples, exemplars });
      }
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : Number(a.name > b.name)));
  }

  /** Tempo's labelsFor: nil values are dropped, unless all are nil (then the first is "nil"). */
  private labels(
    values: Series['values'],
  ): Record<string, string | number | boolean> {
    const labels: Record<string, string | number | boolean> = {};
    values.forEach((value, i) => {
      if (value !== null) labels[this.labelNames[i]] = value;
    });
    if (Object.keys(labels).length === 0 && this.labelNames.length > 0) {
      labels[this.labelNames[0]] = 'nil';
    }
    return labels;
  }
}

/**
 * Compiles a TraceQL metrics query (`{…} | rate()`, `count_over_time()`,
 * `quantile_over_time(duration, 0.5, …)`, `histogram_over_time(duration)`, each optionally
 * `by(…)`) the way Tempo 2.7.2 answers `/api/metrics/query_range`: the range is aligned to the
 * step (start down, end up), a span counts in the step its start falls in, there is one sample
 * per step from the aligned start to the aligned end inclusive, and quantiles and histograms
 * come from power-of-two duration buckets (Log2Bucketize/Log2Quantile in
 * pkg/traceql/engine_metrics.go): a histogram is one count series per bucket, labelled
 * `__bucket` with the bucket's upper bound in seconds.
 *
 * @throws InputError for invalid or unsupported TraceQL, a query without a metrics function, or
 *   a bad range.
 */
export function compileMetrics(
  query: string,
  scope: TraceQLScope,
  range: MetricsRange,
): MetricsPlan {
  const parsed = parseQuery(query);
  const metrics = parsed.metrics;
  if (!metrics) {
    throw new InputError(
      'Not a metrics query: add a metrics function such as | rate() after the spanset filter',
    );
  }
  if (!(range.end > range.start)) {
    throw new InputError('The metrics range must end after it starts');
  }
  if (metrics.fn === 'quantile_over_time') checkQuantiles(metrics);
  const startNs = secondsToNanos(range.start);
  const endNs = secondsToNanos(range.end);
  let stepNs: bigint;
  let fromNs: bigint;
  let toNs: bigint;
  if (range.instant) {
    // Tempo rewrites an instant query into a range query with step = end - start.
    stepNs = endNs - startNs;
    fromNs = startNs;
    toNs = endNs;
  } else {
    stepNs =
      range.step === undefined
        ? defaultStepNs(startNs, endNs)
        : secondsToNanos(range.step);
    if (stepNs <= 0n) throw new InputError('The metrics step must be positive');
    fromNs = startNs - (startNs % stepNs);
    const rest = endNs % stepNs;
    toNs = rest === 0n ? endNs : endNs + stepNs - rest;
  }
  const intervals = range.instant ? 1 : Number((toNs - fromNs) / stepNs) + 1;
  const search = planSpansets(parsed, scope);
  const fields = metrics.by;
  const plan = {
    search,
    function: metrics.fn,
    fromNs,
    toNs,
    stepNs,
    intervals,
    groupBy: fields.map(field => {
      const target = conditionField(field);
      if (!target) {
        throw new InputError(
          `by(${describe(field)}) is not supported by the embedded store`,
        );
      }
      return target;
    }),
  };
  if (metrics.field && !isSpanDuration(metrics.field)) {
    throw new InputError(
      `${metrics.fn}(${describe(
        metrics.field,
      )}) is not supported by the embedded store (only duration)`,
    );
  }
  return {
    ...plan,
    newAccumulator: () => new Accumulator(metrics, plan),
  };
}

function checkQuantiles(metrics: MetricsOp) {
  for (const q of metrics.quantiles ?? []) {
    if (!(q >= 0 && q <= 1)) {
      throw new InputError(
        `Invalid TraceQL: quantile ${q} is not between 0 and 1`,
      );
    }
  }
}

/** The accumulator buckets the span's own duration. */
function isSpanDuration(field: Field): boolean {
  return field.kind === 'intrinsic' && field.name === 'duration';
}

function describe(field: Field): string {
  return field.kind === 'intrinsic'
    ? field.name
    : `${field.scope === 'unscoped' ? '' : field.scope}.${field.name}`;
}

function secondsToNanos(seconds: number): bigint {
  if (!Number.isFinite(seconds))
    throw new InputError(`Invalid time ${seconds}`);
  return BigInt(Math.round(seconds * 1e6)) * 1000n;
}

/** Tempo's DefaultQueryRangeStep: about 240 points, in whole 5 s (or 1 s) units, at least 1 s. */
export function defaultStepNs(startNs: bigint, endNs: bigint): bigint {
  const baseline = (endNs - startNs) / 240n;
  let interval = (baseline / (5n * NANOS_PER_SECOND)) * 5n * NANOS_PER_SECOND;
  if (interval < 5n * NANOS_PER_SECOND) {
    interval = (baseline / NANOS_PER_SECOND) * NANOS_PER_SECOND;
  }
  return interval < NANOS_PER_SECOND ? NANOS_PER_SECOND : interval;
}

// ---------------------------------------------------------------------------------------------

function intervalOfMs(
  timestampMs: number,
  fromNs: bigint,
  stepNs: bigint,
): number {
  return Number((BigInt(timestampMs) * 1_000_000n - fromNs) / stepNs);
}

function keyOf(value: unknown): string {
  if (value === null || value === undefined) return '\u0001nil';
  if (typeof value === 'string') return `s${value}`;
  return `${typeof value}${JSON.stringify(value)}`;
}

function labelValue(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object') return JSON.stringify(value);
  return value as string | number | boolean;
}

/** The value of a by() field; Tempo's unscoped lookup is the span's attribute, else the resource's. */
function groupGetter(field: Field): (span: TraceQLSpan) => unknown {
  if (field.kind === 'intrinsic') {
    switch (field.name) {
      case 'name':
        return span => span.name;
      case 'status':
        return span => STATUS_CODES[span.statusCode] ?? null;
      case 'statusMessage':
        return span => span.statusMessage ?? '';
      case 'kind':
        return span => SPAN_KINDS[span.kind] ?? null;
      case 'duration':
        return span => goDuration(span.durationNs);
      default:
        throw new InputError(
          `by(${field.name}) is not supported by the embedded store`,
        );
    }
  }
  const name = field.name;
  const own = (attributes: TraceQLSpan['attributes']) =>
    Object.prototype.hasOwnProperty.call(attributes, name)
      ? attributes[name]
      : undefined;
  switch (field.scope) {
    case 'span':
      return span => own(span.attributes);
    case 'resource':
      return span => own(span.resourceAttributes);
    case 'unscoped':
      return span => own(span.attributes) ?? own(span.resourceAttributes);
    default:
      throw new InputError(
        `by(${field.scope}.${name}) is not supported by the embedded store`,
      );
  }
}

/** The label name Tempo gives a by() field (Attribute.String()). */
function labelName(field: Field): string {
  if (field.kind === 'intrinsic') return field.name;
  return field.scope === 'unscoped'
    ? `.${field.name}`
    : `${field.scope}.${field.name}`;
}

/** Prometheus' label text as Tempo writes `promLabels`: sorted names, Go-quoted values. */
export function promLabels(
  labels: Record<string, string | number | boolean>,
): string {
  const parts = Object.keys(labels)
    .sort()
    .map(key => {
      const raw = labels[key];
      // Tempo's bucket is a float label: Go's strconv 'g' form (2e-09, 1.024e-06).
      let text =
        key === BUCKET_LABEL && typeof raw === 'number'
          ? goFloat(raw)
          : String(raw);
      if (typeof raw === 'string') {
        if (raw === 'nil') text = '<nil>';
        else if (raw === '') text = '<empty>';
      }
      return `${key}=${JSON.stringify(text)}`;
    });
  return `{${parts.join(', ')}}`;
}

/**
 * Go's strconv.FormatFloat(value, 'g', -1, 64): the shortest digits (as JS), in exponent form
 * when the decimal exponent is below -4 or at least 6 (Go's precision for shortest %g).
 */
export function goFloat(value: number): string {
  if (!Number.isFinite(value)) {
    if (Number.isNaN(value)) return 'NaN';
    return value > 0 ? '+Inf' : '-Inf';
  }
  const [digits, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 6) return String(value);
  const sign = exponent < 0 ? '-' : '+';
  return `${digits}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** Tempo's Log2Bucketize of a duration, in seconds: the next power of two; none below 2 ns. */
export function log2Bucket(nanos: number): number | undefined {
  if (nanos < 2) return undefined;
  return 2 ** Math.ceil(Math.log2(nanos)) / 1e9;
}

/** Tempo's Log2Quantile over one interval's power-of-two buckets (in seconds). */
export function log2Quantile(
  p: number,
  histogram: Map<number, number>,
): number {
  if (histogram.size === 0 || Number.isNaN(p) || p < 0 || p > 1) return 0;
  const buckets = [...histogram.entries()].sort((a, b) => a[0] - b[0]);
  let totalCount = 0;
  for (const [, count] of buckets) totalCount += count;
  if (totalCount === 0) return 0;
  const maxSamples = Math.max(1, Math.ceil(p * totalCount));
  let total = 0;
  let bucket = 0;
  for (let i = 0; i < buckets.length; i++) {
    bucket = i;
    if (total + buckets[i][1] > maxSamples) break;
    total += buckets[i][1];
    if (total === maxSamples) return buckets[i][0];
  }
  const interp = (maxSamples - total) / buckets[bucket][1];
  const max = Math.log2(buckets[bucket][0]);
  const min = bucket > 0 ? Math.log2(buckets[bucket - 1][0]) : max - 1;
  return goPow2(min + (max - min) * interp);
}

/**
 * Go's math.Pow(2, y): an integer power of two times Exp of the fraction. `2 ** y` can differ from
 * it in the last bit, and quantiles would then not equal Tempo's exactly.
 */
function goPow2(y: number): number {
  if (!Number.isFinite(y)) return 2 ** y;
  let whole = Math.trunc(Math.abs(y));
  let fraction = Math.abs(y) - whole;
  if (fraction !== 0 && fraction > 0.5) {
    fraction--;
    whole++;
  }
  let result = fraction !== 0 ? Math.exp(fraction * Math.LN2) : 1;
  result *= 2 ** whole;
  return y < 0 ? 1 / result : result;
}

/** Go's time.Duration.String, for by(duration) labels. */
export function goDuration(nanos: number): string {
  if (nanos === 0) return '0s';
  const sign = nanos < 0 ? '-' : '';
  const abs = Math.abs(nanos);
  const trim = (n: number) => String(Number(n.toFixed(9)));
  if (abs < 1e3) return `${sign}${abs}ns`;
  if (abs < 1e6) return `${sign}${trim(abs / 1e3)}µs`;
  if (abs < 1e9) return `${sign}${trim(abs / 1e6)}ms`;
  const hours = Math.floor(abs / 3600e9);
  const minutes = Math.floor((abs % 3600e9) / 60e9);
  const seconds = trim((abs % 60e9) / 1e9);
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}
