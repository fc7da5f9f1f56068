import type { MetricSeries } from '@backstage-traces/plugin-traces-common';
import {
  errorRatioSamples,
  metricsStep,
  metricsWindow,
  overallErrorRatio,
  quantileSamples,
  sampleStats,
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

describe('quantileSamples', () => {
  const latency = [
    series({ p: 0.5 }, [[1000, 0.01]]),
    series({ p: 0.95 }, [[1000, 0.2]]),
    series({ p: '0.99' }, [[1000, 0.5]]),
    series({ p: 0.95, 'resource.service.name': 'b' }, [[1000, 0.3]]),
  ];

  it('selects a quantile by its p label (number or string) and converts to ms', () => {
    expect(quantileSamples(latency, 0.5)).toEqual([
      { timestampMs: 1000, value: 10 },
    ]);
    expect(quantileSamples(latency, 0.99)).toEqual([
      { timestampMs: 1000, value: 500 },
    ]);
  });

  it('keeps the worst of several series for the same quantile', () => {
    expect(quantileSamples(latency, 0.95)).toEqual([
      { timestampMs: 1000, value: 300 },
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

  it('summarises samples', () => {
    expect(sampleStats(rate)).toEqual({ latest: 30, avg: 40 / 3, max: 30 });
    expect(sampleStats([])).toBeUndefined();
  });
});
