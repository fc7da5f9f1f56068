import { InputError } from '@backstage/errors';
import { makeSpan } from './__testUtils__/spans';
import {
  compileMetrics,
  defaultStepNs,
  goDuration,
  goFloat,
  log2Quantile,
} from './metrics';
import type { TraceQLSpan } from './types';

const S = 1_000_000_000n;
// The range of the recorded fixture metrics-query-range.json.
const range = { start: 1795548796, end: 1795549396, step: 60 };

/** A span starting at an epoch second (plus nanoseconds). */
function at(
  second: number,
  fields: Parameters<typeof makeSpan>[1] = {},
  extraNs = 0n,
): TraceQLSpan {
  return {
    ...makeSpan(`s${second}`, fields),
    startNs: BigInt(second) * S + extraNs,
  };
}

function run(
  query: string,
  spans: TraceQLSpan[],
  r: Parameters<typeof compileMetrics>[2] = range,
) {
  const plan = compileMetrics(query, {}, r);
  const accumulator = plan.newAccumulator();
  for (const span of plan.search.evaluate({ spans })[0] ?? [])
    accumulator.observe(span, 'trace-1');
  return accumulator.result();
}

describe('compileMetrics: steps as Tempo aligns them', () => {
  it('aligns start down and end up to the step, with one sample per step inclusive', () => {
    const plan = compileMetrics('{} | rate()', {}, range);
    expect(plan.fromNs).toBe(1795548780n * S);
    expect(plan.toNs).toBe(1795549440n * S);
    expect(plan.intervals).toBe(12); // as in the recorded fixture
    const [series] = run('{} | count_over_time()', [at(1795549330)]);
    expect(series.samples.map(s => s.timestampMs)).toEqual(
      Array.from({ length: 12 }, (_, i) => (1795548780 + 60 * i) * 1000),
    );
    expect(series.samples.map(s => s.value)).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0,
    ]);
  });

  it('counts a span in the step its start falls in, within [aligned start, aligned end)', () => {
    const spans = [
      at(1795548779, {}, 999_999_999n), // before the aligned start
      at(1795548780), // first step
      at(1795548839, {}, 999_999_999n), // still the first step
      at(1795548840), // second step
      at(1795549439, {}, 999_999_999n), // the last counted step (after the requested end)
      at(1795549440), // the aligned end: not counted
    ];
    const [series] = run(
      '{} | count_over_time()',
      spans.map((s, i) => ({ ...s, spanId: `${i}` })),
    );
    expect(series.samples.map(s => s.value)).toEqual([
      2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0,
    ]);
  });

  it('picks Tempo’s default step when none is given', () => {
    expect(defaultStepNs(0n, 600n * S)).toBe(2n * S); // 2 s for 10 minutes, as recorded
    expect(defaultStepNs(0n, 3600n * S)).toBe(15n * S);
    expect(defaultStepNs(0n, 60n * S)).toBe(1n * S);
    expect(defaultStepNs(0n, 86400n * S)).toBe(360n * S);
    expect(
      compileMetrics('{} | rate()', {}, { start: 0 + 1e9, end: 600 + 1e9 })
        .stepNs,
    ).toBe(2n * S);
  });

  it('answers an instant query with one sample over the unaligned range', () => {
    const plan = compileMetrics(
      '{} | rate()',
      {},
      { start: 1795548796, end: 1795549396, instant: true },
    );
    expect(plan).toMatchObject({
      fromNs: 1795548796n * S,
      toNs: 1795549396n * S,
      intervals: 1,
    });
    const [series] = run(
      '{} | rate()',
      [at(1795548796), at(1795549395), at(1795549396)].map((s, i) => ({
        ...s,
        spanId: `${i}`,
      })),
      {
        start: 1795548796,
        end: 1795549396,
        instant: true,
      },
    );
    expect(series.samples).toEqual([
      { timestampMs: 1795548796000, value: 2 / 600 },
    ]);
  });
});

describe('compileMetrics: functions', () => {
  const spans = [
    at(1795549330, {
      serviceName: 'frontend',
      attributes: { 'http.route': '/a' },
      statusCode: 2,
    }),
    {
      ...at(1795549331, {
        serviceName: 'frontend',
        attributes: { 'http.route': '/a' },
      }),
      spanId: 'x',
    },
    {
      ...at(1795549332, {
        serviceName: 'orders-api',
        resourceAttributes: { 'service.name': 'orders-api' },
      }),
      spanId: 'y',
    },
  ];

  it('rate() is the count per second of step, in one series named after the function', () => {
    const [series, ...rest] = run('{} | rate()', spans);
    expect(rest).toEqual([]);
    expect(series.labels).toEqual({ __name__: 'rate' });
    expect(series.name).toBe('{__name__="rate"}');
    expect(series.samples[9].value).toBeCloseTo(3 / 60, 12);
    expect(series.exemplars[0]).toMatchObject({
      traceId: 'trace-1',
      value: 3 / 60,
    });
  });

  it('count_over_time() by a resource attribute', () => {
    const result = run(
      '{} | count_over_time() by (resource.service.name)',
      spans,
    );
    expect(result.map(s => [s.name, s.labels, s.samples[9].value])).toEqual([
      [
        '{resource.service.name="frontend"}',
        { 'resource.service.name': 'frontend' },
        2,
      ],
      [
        '{resource.service.name="orders-api"}',
        { 'resource.service.name': 'orders-api' },
        1,
      ],
    ]);
  });

  it('drops nil labels, and names an all-nil series after its first by() field', () => {
    const result = run('{} | rate() by (span.http.route, status)', spans);
    expect(result.map(s => [s.name, s.labels])).toEqual([
      [
        '{span.http.route="/a", status="error"}',
        { 'span.http.route': '/a', status: 'error' },
      ],
      [
        '{span.http.route="/a", status="unset"}',
        { 'span.http.route': '/a', status: 'unset' },
      ],
      ['{status="unset"}', { status: 'unset' }],
    ]);
    const nil = run('{} | rate() by (span.nope, .nope)', spans);
    expect(nil.map(s => [s.name, s.labels])).toEqual([
      ['{span.nope="<nil>"}', { 'span.nope': 'nil' }],
    ]);
  });

  it('filters and scopes like search', () => {
    const errors = run('{ status = error } | count_over_time()', spans);
    expect(errors[0].samples[9].value).toBe(1);
    const plan = compileMetrics(
      '{} | count_over_time()',
      { serviceNames: ['orders-api'] },
      range,
    );
    expect(plan.search.prefilter).toEqual([
      [
        {
          field: { intrinsic: 'serviceName' },
          op: 'in',
          value: ['orders-api'],
        },
      ],
    ]);
    const accumulator = plan.newAccumulator();
    for (const span of plan.search.evaluate({ spans })[0])
      accumulator.observe(span, 't');
    expect(accumulator.result()[0].samples[9].value).toBe(1);
  });

  it('observeCount gives what observe gives', () => {
    const plan = compileMetrics(
      '{} | rate() by (resource.service.name)',
      {},
      range,
    );
    const counted = plan.newAccumulator();
    counted.observeCount(['frontend'], 9, 2);
    counted.observeCount(['orders-api'], 9, 1);
    counted.observeCount(['orders-api'], 99, 1); // outside: ignored
    const observed = plan.newAccumulator();
    for (const span of spans) observed.observe(span, 't');
    const withoutExemplars = (all: ReturnType<typeof counted.result>) =>
      all.map(({ exemplars, ...s }) => s);
    expect(withoutExemplars(counted.result())).toEqual(
      withoutExemplars(observed.result()),
    );
    expect(plan.groupBy).toEqual([{ scope: 'resource', key: 'service.name' }]);
  });
});

describe('quantile_over_time', () => {
  it('matches the recorded Tempo answer for three 120 ms spans (log2 buckets)', () => {
    const spans = [0, 1, 2].map(i => ({
      ...at(1795549330 + i, { kind: 2, durationNs: 120_000_000 }),
      spanId: `${i}`,
    }));
    const result = run(
      '{ kind = server } | quantile_over_time(duration, 0.5, 0.9)',
      spans,
      { ...range, step: 300 },
    );
    expect(result.map(s => s.name)).toEqual(['{p="0.5"}', '{p="0.9"}']);
    expect(result[0].labels).toEqual({ p: 0.5 });
    const interval = result[0].samples.findIndex(s => s.value !== 0);
    expect(result[0].samples[interval].value).toBe(0.10652868130999084);
    expect(result[1].samples[interval].value).toBe(0.134217728);
    expect(result[0].exemplars[0]).toMatchObject({ value: 0.12 });
  });

  it('interpolates between buckets as Log2Quantile does', () => {
    const histogram = new Map([
      [0.001024, 1],
      [0.004096, 3],
    ]);
    expect(log2Quantile(0, histogram)).toBe(0.001024);
    expect(log2Quantile(0.25, histogram)).toBe(0.001024);
    expect(log2Quantile(1, histogram)).toBe(0.004096);
    expect(log2Quantile(0.5, histogram)).toBeCloseTo(
      2 ** (Math.log2(0.001024) + 2 * (1 / 3)),
      15,
    );
    expect(log2Quantile(0.5, new Map())).toBe(0);
  });

  it('drops spans shorter than 2 ns and groups by labels plus p', () => {
    const spans = [
      { ...at(1795549330, { durationNs: 1, serviceName: 'a' }), spanId: '1' },
      {
        ...at(1795549330, { durationNs: 1000, serviceName: 'b' }),
        spanId: '2',
      },
    ];
    const result = run(
      '{} | quantile_over_time(duration, 0.99) by (resource.service.name)',
      spans,
    );
    expect(result.map(s => s.name)).toEqual([
      '{p="0.99", resource.service.name="b"}',
    ]);
    expect(result[0].samples[9].value).toBe(1024 / 1e9);
  });
});

describe('histogram_over_time', () => {
  // Durations and the answer of a real Tempo 2.7.2 to them (one 60 s step).
  const durations = [
    1, 2, 3, 1500, 1024, 1025, 1_000_000, 20_000_000, 3_000_000_000, 4_000_000,
    5_000_000,
  ];
  const spans = durations.map((durationNs, i) => ({
    ...at(1795549330, {
      durationNs,
      serviceName: i % 2 ? 'a' : 'b',
    }),
    spanId: `${i}`,
  }));

  it('counts spans per power-of-two bucket of their duration in seconds, one series per bucket', () => {
    const result = run('{} | histogram_over_time(duration)', spans);
    expect(
      Object.fromEntries(result.map(s => [s.name, s.samples[9].value])),
    ).toEqual({
      '{__bucket="2e-09"}': 1,
      '{__bucket="4e-09"}': 1,
      '{__bucket="1.024e-06"}': 1,
      '{__bucket="2.048e-06"}': 2,
      '{__bucket="0.001048576"}': 1,
      '{__bucket="0.004194304"}': 1,
      '{__bucket="0.008388608"}': 1,
      '{__bucket="0.033554432"}': 1,
      '{__bucket="4.294967296"}': 1,
    });
    // The 1 ns span is dropped, as Tempo's Log2Bucketize does; only its step has counts.
    for (const series of result) {
      expect(series.samples).toHaveLength(12);
      expect(series.samples.filter(s => s.value !== 0)).toHaveLength(1);
    }
    expect(
      result.find(s => s.name === '{__bucket="2.048e-06"}')!.labels,
    ).toEqual({ __bucket: 0.000002048 });
  });

  it('puts the by() labels before the bucket and sorts by Tempo’s label text', () => {
    const result = run(
      '{} | histogram_over_time(duration) by (resource.service.name)',
      spans,
    );
    expect(result.map(s => s.name)).toEqual([
      '{__bucket="0.001048576", resource.service.name="b"}',
      '{__bucket="0.004194304", resource.service.name="a"}',
      '{__bucket="0.008388608", resource.service.name="b"}',
      '{__bucket="0.033554432", resource.service.name="a"}',
      '{__bucket="1.024e-06", resource.service.name="b"}',
      '{__bucket="2.048e-06", resource.service.name="a"}',
      '{__bucket="2e-09", resource.service.name="a"}',
      '{__bucket="4.294967296", resource.service.name="b"}',
      '{__bucket="4e-09", resource.service.name="b"}',
    ]);
    expect(Object.keys(result[0].labels)).toEqual([
      'resource.service.name',
      '__bucket',
    ]);
  });

  it('drops a missing by() value from a bucket’s labels (the bucket keeps the series labelled)', () => {
    const result = run(
      '{} | histogram_over_time(duration) by (span.http.route)',
      [
        { ...at(1795549330, { durationNs: 1000 }), spanId: 'a' },
        {
          ...at(1795549330, {
            durationNs: 1000,
            attributes: { 'http.route': '/a' },
          }),
          spanId: 'b',
        },
      ],
    );
    expect(result.map(s => s.name)).toEqual([
      '{__bucket="1.024e-06", span.http.route="/a"}',
      '{__bucket="1.024e-06"}',
    ]);
  });

  it('gives each bucket its own exemplars, valued with the bucket’s count in their step', () => {
    const result = run('{} | histogram_over_time(duration)', [
      { ...at(1795549330, { durationNs: 1025 }), spanId: 'a' },
      { ...at(1795549331, { durationNs: 1500 }), spanId: 'b' },
      { ...at(1795549332, { durationNs: 3_000_000 }), spanId: 'c' },
    ]);
    expect(
      result.map(s => [s.name, s.exemplars.map(e => [e.spanId, e.value])]),
    ).toEqual([
      ['{__bucket="0.004194304"}', [['c', 1]]],
      [
        '{__bucket="2.048e-06"}',
        [
          ['a', 2],
          ['b', 2],
        ],
      ],
    ]);
  });

  it('answers an instant query with one count per bucket', () => {
    const result = run('{} | histogram_over_time(duration)', spans, {
      start: 1795549300,
      end: 1795549400,
      instant: true,
    });
    expect(result).toHaveLength(9);
    expect(result.map(s => s.samples.map(x => x.value)).flat()).toEqual([
      1, 1, 1, 1, 1, 2, 1, 1, 1,
    ]);
  });

  it('is only counted span by span', () => {
    const plan = compileMetrics(
      '{} | histogram_over_time(duration)',
      {},
      range,
    );
    expect(plan.function).toBe('histogram_over_time');
    expect(() => plan.newAccumulator().observeCount([], 9, 1)).toThrow(
      'observeCount is only for rate() and count_over_time()',
    );
  });
});

describe('goFloat', () => {
  it.each([
    [2e-9, '2e-09'],
    [0.000001024, '1.024e-06'],
    [0.0001, '0.0001'],
    [0.001048576, '0.001048576'],
    [4.294967296, '4.294967296'],
    [123456, '123456'],
    [1125899.906842624, '1.125899906842624e+06'],
    [1e21, '1e+21'],
  ])('%s', (value, text) => expect(goFloat(value)).toBe(text));
});

describe('compileMetrics: errors', () => {
  it.each([
    ['{ }', 'Not a metrics query'],
    [
      '{ } | histogram_over_time(span.size)',
      'histogram_over_time(span.size) is not supported',
    ],
    [
      '{ } | quantile_over_time(traceDuration, 0.5)',
      'quantile_over_time(traceDuration) is not supported',
    ],
    ['{ } | min_over_time(duration)', 'is not supported by the embedded store'],
    [
      '{ } | quantile_over_time(span.size, 0.5)',
      'quantile_over_time(span.size) is not supported',
    ],
    ['{ } | rate() by (event.name)', 'by(event.name) is not supported'],
    [
      '{ } | quantile_over_time(duration, 2)',
      'quantile 2 is not between 0 and 1',
    ],
    ['{ } | rate() | count_over_time()', 'must be the last stage'],
  ])('%s', (query, message) => {
    expect(() => compileMetrics(query, {}, range)).toThrow(InputError);
    expect(() => compileMetrics(query, {}, range)).toThrow(message);
  });

  it('rejects a range that ends before it starts', () => {
    expect(() =>
      compileMetrics('{} | rate()', {}, { start: 10, end: 5, step: 1 }),
    ).toThrow('must end after it starts');
  });
});

describe('goDuration', () => {
  it.each([
    [0, '0s'],
    [999, '999ns'],
    [1500, '1.5µs'],
    [90_000_000, '90ms'],
    [1_500_000_000, '1.5s'],
    [90e9, '1m30s'],
    [3661e9, '1h1m1s'],
  ])('%s', (nanos, text) => expect(goDuration(nanos)).toBe(text));
});
