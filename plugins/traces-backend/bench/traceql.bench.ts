/*
 * Benchmark of the embedded store's TraceQL engine on its own (no database): spans evaluated
 * per second for a scoped attribute search, a structural query, rate() by service and
 * quantile_over_time over generated traces (default 1,000,000 spans in traces of 20).
 * Prints a table with the load average; asserts nothing; not part of the test run.
 *
 * Run from the repository root (after `source .ci/bootstrap.sh`):
 *   yarn workspace @backstage-traces/plugin-traces-backend bench:traceql [spans]
 */
import { loadavg } from 'node:os';
import {
  compileMetrics,
  compileSearch,
  type TraceQLSpan,
} from '../src/embedded/traceql';

const total = Number(process.argv[2] ?? 1_000_000);
const PER_TRACE = 20;
const SERVICES = Array.from({ length: 20 }, (_, i) => `svc-${i}`);
const START_NS = 1_795_548_000_000_000_000n;

function generate(): Array<{ traceId: string; spans: TraceQLSpan[] }> {
  let seed = 1;
  const rand = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  // Resources are shared per service, as the store shares them per source.
  const resources = SERVICES.map(name => ({
    'service.name': name,
    'service.namespace': 'shop',
    'deployment.environment': 'prod',
  }));
  const traces = [];
  for (let t = 0; t < total / PER_TRACE; t++) {
    const traceStart = START_NS + BigInt(Math.floor(rand() * 3600e9));
    const spans: TraceQLSpan[] = [];
    for (let i = 0; i < PER_TRACE; i++) {
      const service = Math.floor(rand() * SERVICES.length);
      spans.push({
        spanId: `${t}-${i}`,
        parentSpanId: i === 0 ? undefined : `${t}-${Math.floor(rand() * i)}`,
        name: `op ${i % 7}`,
        serviceName: SERVICES[service],
        kind: 1 + (i % 5),
        statusCode: rand() < 0.02 ? 2 : 0,
        startNs: traceStart + BigInt(i * 1000),
        durationNs: Math.floor(rand() * 1e9),
        attributes: {
          'http.route': `/r/${i % 13}`,
          'http.status_code': rand() < 0.05 ? 500 : 200,
          'db.system': 'postgresql',
          'net.peer.port': 5432,
        },
        resourceAttributes: resources[service],
      });
    }
    traces.push({ traceId: String(t), spans });
  }
  return traces;
}

function time(label: string, spans: number, fn: () => number) {
  fn(); // warm up
  const runs: number[] = [];
  let matched = 0;
  for (let i = 0; i < 3; i++) {
    const start = process.hrtime.bigint();
    matched = fn();
    runs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const ms = runs.sort((a, b) => a - b)[1];
  return {
    label,
    ms,
    spansPerSecond: Math.round((spans / ms) * 1000),
    matched,
  };
}

const traces = generate();
const scope = {
  serviceNames: ['svc-3'],
  environment: { attribute: 'deployment.environment', value: 'prod' },
};
const results = [];

const search = compileSearch(
  '{ span.http.status_code >= 500 && span.http.route =~ "/r/1.*" }',
  scope,
);
results.push(
  time('search: scoped attribute filter + regex', total, () => {
    let matched = 0;
    for (const trace of traces) matched += search.evaluate(trace).length;
    return matched;
  }),
);

const structural = compileSearch('{ kind = server } >> { status = error }', {});
results.push(
  time('search: { kind = server } >> { status = error }', total, () => {
    let matched = 0;
    for (const trace of traces) matched += structural.evaluate(trace).length;
    return matched;
  }),
);

const range = {
  start: Number(START_NS / 1_000_000_000n),
  end: Number(START_NS / 1_000_000_000n) + 3600,
  step: 60,
};
for (const query of [
  '{ } | rate() by (resource.service.name)',
  '{ kind = server } | quantile_over_time(duration, 0.5, 0.95, 0.99) by (resource.service.name)',
]) {
  const plan = compileMetrics(query, {}, range);
  results.push(
    time(`metrics: ${query}`, total, () => {
      const accumulator = plan.newAccumulator();
      for (const trace of traces) {
        for (const span of plan.search.evaluate(trace)[0] ?? [])
          accumulator.observe(span, trace.traceId);
      }
      return accumulator.result().length;
    }),
  );
}

const [load1] = loadavg();
// eslint-disable-next-line no-console
console.log(
  [
    `TraceQL engine, ${total.toLocaleString(
      'en',
    )} spans in traces of ${PER_TRACE}; median of 3; load average ${load1.toFixed(
      1,
    )}`,
    '',
    '| query | ms | spans/s | result |',
    '| --- | ---: | ---: | ---: |',
    ...results.map(
      r =>
        `| ${r.label.replace(/\|/g, '\\|')} | ${r.ms.toFixed(
          0,
        )} | ${r.spansPerSecond.toLocaleString('en')} | ${r.matched} |`,
    ),
  ].join('\n'),
);
