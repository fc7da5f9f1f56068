import type { MetricSeries } from '@backstage-traces/plugin-traces-common';
import recorded from './__fixtures__/orders-api-1h.json';
import {
  completeSteps,
  countOf,
  errorRatioSamples,
  exemplarPoints,
  latencySummary,
  log2Quantile,
  metricsStep,
  metricsWindow,
  overallErrorRatio,
  rateSummary,
  sampleAt,
  stepSeconds,
  sumSeries,
} from './redMetrics';

const series = (
  labels: MetricSeries['labels'],
  points: Array<[number, number]>,
): MetricSeries => ({
  labels,
  name: JSON.stringify(labels),
  samples: points.map(([timestampMs, value]) => ({ timestampMs, value })),
  exemplars: [],
});

describe('metricsWindow and metricsStep', () => {
  it('keeps ranges up to 24h and clamps longer ones to their last 24h', () => {
    expect(metricsWindow({ start: 0, end: 3600 })).toEqual({
      start: 0,
      end: 3600,
      clamped: false,
    });
    expect(metricsWindow({ start: 0, end: 7 * 86400 })).toEqual({
      start: 6 * 86400,
      end: 7 * 86400,
      clamped: true,
    });
  });

  it('picks a readable step giving about 60 points', () => {
    expect(metricsStep({ start: 0, end: 900 })).toBe('15s');
    expect(metricsStep({ start: 0, end: 3600 })).toBe('60s');
    expect(metricsStep({ start: 0, end: 6 * 3600 })).toBe('600s');
    expect(metricsStep({ start: 0, end: 86400 })).toBe('1800s');
  });
});

describe('sumSeries', () => {
  it('adds series by timestamp, sorted, skipping non-finite values', () => {
    expect(
      sumSeries([
        series({ 'resource.service.name': 'a' }, [
          [2000, 1],
          [1000, 2],
        ]),
        series({ 'resource.service.name': 'b' }, [
          [1000, 0.5],
          [3000, NaN],
        ]),
      ]),
    ).toEqual([
      { timestampMs: 1000, value: 2.5 },
      { timestampMs: 2000, value: 1 },
    ]);
  });
});

describe('error ratios and stats', () => {
  const rate = [
    { timestampMs: 1, value: 10 },
    { timestampMs: 2, value: 0 },
    { timestampMs: 3, value: 30 },
  ];
  const errors = [{ timestampMs: 3, value: 3 }];

  it('computes the ratio per step and overall', () => {
    expect(errorRatioSamples(rate, errors)).toEqual([
      { timestampMs: 1, value: 0 },
      { timestampMs: 3, value: 0.1 },
    ]);
    expect(overallErrorRatio(rate, errors)).toBeCloseTo(0.075);
    expect(overallErrorRatio([], errors)).toBeUndefined();
  });
});

describe('log2Quantile', () => {
  // Two requests up to 32 ms, one up to 64 ms and one up to 512 ms (Tempo's bounds, seconds).
  const histogram = {
    bounds: [0.033554432, 0.067108864, 0.536870912],
    counts: [2, 1, 1],
  };

  it('agrees with what Tempo answered for the same buckets', () => {
    // quantile_over_time of the same step: p50 0.033554432, p95 = p99 = 0.536870912.
    expect(log2Quantile(0.5, histogram)).toBeCloseTo(0.033554432, 9);
    expect(log2Quantile(0.95, histogram)).toBeCloseTo(0.536870912, 9);
    expect(log2Quantile(0.99, histogram)).toBeCloseTo(0.536870912, 9);
  });

  it('interpolates exponentially inside a bucket, from half its bound', () => {
    const one = { bounds: [0.1, 0.2], counts: [0, 4] };
    expect(log2Quantile(0.25, one)).toBeCloseTo(0.1 * 2 ** 0.25);
    expect(log2Quantile(1, one)).toBeCloseTo(0.2);
    expect(log2Quantile(0.5, { bounds: [1], counts: [0] })).toBeUndefined();
  });
});

describe('against a real Tempo answer with empty and unfinished steps', () => {
  // 60 one-minute steps, three with requests; the last of them still running at `end`.
  const window = { start: recorded.start, end: recorded.end };
  const step = recorded.step;
  const rate = sumSeries(recorded.rate as MetricSeries[]);
  const errors = sumSeries(recorded.errors as MetricSeries[]);

  it('weights the latency headline by requests, not by steps', () => {
    const summary = latencySummary(
      recorded.latency as MetricSeries[],
      window,
      step,
    )!;
    expect(summary.count).toBe(48);
    const [p50, p95, p99] = summary.overall.map(q => q.ms);
    // Every non-empty step's p50 (Tempo's quantile_over_time) lies in 33.5-41 ms; averaging the
    // steps with the empty ones as zeros gave under 2 ms.
    expect(p50).toBeGreaterThan(33.5);
    expect(p50).toBeLessThan(41);
    // Tempo's instant query over the same hour answered p50 36.6 ms.
    expect(p50).toBeCloseTo(36.6, 0);
    expect(p95).toBeGreaterThanOrEqual(p50);
    expect(p99).toBeGreaterThanOrEqual(p95);
    expect(p99).toBeLessThanOrEqual(1073.8);
  });

  it('draws finished steps with requests only', () => {
    const summary = latencySummary(
      recorded.latency as MetricSeries[],
      window,
      step,
    )!;
    const times = summary.series[0].samples.map(s => s.timestampMs / 1000);
    expect(times).toEqual([1796034540, 1796034600]);
    // Per-step quantiles as Tempo computes them (quantile_over_time of the same hour).
    expect(summary.series[0].samples[1].value).toBeCloseTo(36.8, 0);
  });

  it('counts every span for the rate, and leaves the running step out of peak and last', () => {
    const summary = rateSummary(rate, window, step)!;
    expect(Math.round(summary.total)).toBe(182);
    expect(summary.average).toBeCloseTo(182 / 3600, 3);
    expect(summary.lastStep).toBeCloseTo(2.1167, 3);
    expect(summary.peak).toBeCloseTo(2.1167, 3);
    expect(summary.samples.at(-1)!.timestampMs / 1000).toBe(1796034600);
    expect(completeSteps(rate, 60_000, window.end * 1000).length).toBeLessThan(
      rate.length,
    );
  });

  it('divides total errors by total spans', () => {
    expect(overallErrorRatio(rate, errors)).toBeCloseTo(3 / 182, 3);
    expect(Math.round(countOf(errors, stepSeconds(step)))).toBe(3);
  });
});

describe('exemplarPoints', () => {
  const exemplar = (traceId: string, timestampMs: number) => ({
    traceId,
    timestampMs,
    value: 1,
  });
  const withExemplars = (exemplars: MetricSeries['exemplars']) => ({
    ...series({}, [[0, 1]]),
    exemplars,
  });

  it('keeps one point per trace, its first, and spreads them over time', () => {
    const points = exemplarPoints(
      [
        withExemplars([exemplar('a', 3000), exemplar('b', 1000)]),
        withExemplars([exemplar('a', 2000), exemplar('c', 4000)]),
      ],
      e => e.timestampMs / 1000,
    );
    expect(points).toEqual([
      { traceId: 'b', timestampMs: 1000, y: 1 },
      { traceId: 'a', timestampMs: 2000, y: 2 },
      { traceId: 'c', timestampMs: 4000, y: 4 },
    ]);
    expect(
      exemplarPoints(
        [withExemplars([1, 2, 3, 4, 5].map(i => exemplar(`t${i}`, i)))],
        () => 0,
        3,
      ).map(p => p.traceId),
    ).toEqual(['t1', 't3', 't5']);
  });

  it('leaves y out where the chart has no value', () => {
    expect(
      exemplarPoints([withExemplars([exemplar('a', 1)])], () => undefined),
    ).toEqual([{ traceId: 'a', timestampMs: 1 }]);
  });
});

describe('sampleAt', () => {
  const samples = [
    { timestampMs: 60_000, value: 1 },
    { timestampMs: 120_000, value: 2 },
  ];
  it('reads the step a time falls in, none outside the samples', () => {
    expect(sampleAt(samples, 60_000, 60_000)).toBe(1);
    expect(sampleAt(samples, 179_999, 60_000)).toBe(2);
    expect(sampleAt(samples, 180_000, 60_000)).toBeUndefined();
    expect(sampleAt(samples, 59_999, 60_000)).toBeUndefined();
  });
});
