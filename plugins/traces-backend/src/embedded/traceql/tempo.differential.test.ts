/**
 * Differential test: the embedded engine against a real Grafana Tempo 2.7.2 on the same traces.
 *
 * Runs when a Tempo answers at TEMPO_TEST_URL, or at 127.0.0.1:3200 when the project's
 * `../shared/upstreams` folder exists (start it with `../shared/upstreams/start.sh`); skips with
 * a message otherwise. The traces carry a per-run resource attribute and every query is scoped
 * to it (with scopeQuery, as the Tempo path does), so other data in that Tempo does not matter.
 */
import {
  buildScopeCondition,
  scopeQuery,
} from '@backstage-traces/plugin-traces-common';
import {
  fetchRealTempo,
  findTempo,
  TEMPO_OTLP_TRACES_URL,
} from '../../__testUtils__/realTempo';
import { compileMetrics } from './metrics';
import { compileSearch } from './search';
import type { TraceQLScope, TraceQLSpan } from './types';

const tempo = findTempo();
const OTLP_URL = TEMPO_OTLP_TRACES_URL;
const describeWithTempo = tempo.url ? describe : describe.skip;
if (!tempo.url) {
  // eslint-disable-next-line no-console
  console.warn(
    `Skipping the differential TraceQL tests against Tempo: ${tempo.reason}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Deterministic random traces

function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const RUN = `run-${Date.now().toString(36)}-${process.pid}`;
// Fresh IDs every run: Tempo merges spans of equal trace IDs across runs.
const SEED = (Date.now() ^ (process.pid << 16)) >>> 0;
const SERVICES = ['dt-frontend', 'dt-orders', 'dt-payments', 'dt-db'];
const NAMES = [
  'GET /orders',
  'POST /pay',
  'SELECT orders',
  'connect',
  'render',
  'GET /cart',
];
const ROUTES = ['/orders', '/orders/{id}', '/pay', '/cart'];

interface Generated {
  traceId: string;
  spans: TraceQLSpan[];
}

function hex(rand: () => number, bytes: number): string {
  let out = '';
  for (let i = 0; i < bytes; i++)
    out += Math.floor(rand() * 256)
      .toString(16)
      .padStart(2, '0');
  // Tempo's weak spot: ids starting with a zero byte (see the fixtures README).
  return out.replace(/^00/, '1f');
}

function generate(nowNs: bigint): Generated[] {
  const rand = random(SEED);
  const pick = <T>(list: readonly T[]) =>
    list[Math.floor(rand() * list.length)];
  const traces: Generated[] = [];
  for (let t = 0; t < 40; t++) {
    const traceId = hex(rand, 16);
    const count = 3 + Math.floor(rand() * 12);
    // Recent: Tempo's metrics-generator drops spans older than its 30 s ingestion slack.
    const traceStart =
      nowNs - BigInt(Math.floor(1_000 + rand() * 6_000)) * 1_000_000n;
    const spans: TraceQLSpan[] = [];
    for (let i = 0; i < count; i++) {
      const parent = i === 0 ? undefined : spans[Math.floor(rand() * i)];
      const service = i === 0 ? 'dt-frontend' : pick(SERVICES);
      const attributes: Record<string, any> = {};
      if (rand() < 0.6) attributes['http.route'] = pick(ROUTES);
      if (rand() < 0.7)
        attributes['http.status_code'] = pick([200, 201, 404, 500, 503]);
      if (rand() < 0.3) attributes['db.system'] = pick(['postgresql', 'redis']);
      if (rand() < 0.3) attributes.retry = rand() < 0.5;
      if (rand() < 0.3) attributes.ratio = pick([0.25, 0.5, 1.5]);
      if (rand() < 0.3) attributes.region = pick(['eu', 'us']);
      const resourceAttributes: Record<string, any> = {
        'service.name': service,
        'test.run': RUN,
        region: service === 'dt-db' ? 'us' : 'eu',
      };
      const offsetMs = parent ? Math.floor(rand() * 50) : 0;
      spans.push({
        spanId: hex(rand, 8),
        parentSpanId: parent?.spanId,
        name: pick(NAMES),
        serviceName: service,
        kind: pick([1, 2, 3, 4, 5]),
        statusCode: pick([0, 0, 1, 2]),
        statusMessage: rand() < 0.2 ? pick(['boom', 'timeout']) : undefined,
        startNs:
          traceStart +
          BigInt(offsetMs) * 1_000_000n +
          BigInt(Math.floor(rand() * 1e6)),
        durationNs: Math.floor(rand() * 400_000_000) + 1000,
        attributes,
        resourceAttributes,
      });
    }
    traces.push({ traceId, spans });
  }
  return traces;
}

function anyValue(value: unknown) {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Number.isInteger(value)) return { intValue: String(value) };
  return { doubleValue: value };
}

function toOtlp(traces: Generated[]) {
  const resourceSpans = traces.flatMap(({ traceId, spans }) =>
    spans.map(span => ({
      resource: {
        attributes: Object.entries(span.resourceAttributes).map(
          ([key, value]) => ({
            key,
            value: anyValue(value),
          }),
        ),
      },
      scopeSpans: [
        {
          scope: { name: 'traceql-differential' },
          spans: [
            {
              traceId,
              spanId: span.spanId,
              ...(span.parentSpanId && { parentSpanId: span.parentSpanId }),
              name: span.name,
              kind: span.kind,
              startTimeUnixNano: String(span.startNs),
              endTimeUnixNano: String(span.startNs + BigInt(span.durationNs)),
              attributes: Object.entries(span.attributes).map(
                ([key, value]) => ({
                  key,
                  value: anyValue(value),
                }),
              ),
              status: {
                code: span.statusCode,
                ...(span.statusMessage && { message: span.statusMessage }),
              },
            },
          ],
        },
      ],
    })),
  );
  return { resourceSpans };
}

// ---------------------------------------------------------------------------------------------

const scope: TraceQLScope = {
  serviceNames: SERVICES,
  environment: { attribute: 'test.run', value: RUN },
};
const tempoCondition = buildScopeCondition({
  serviceNames: SERVICES,
  attributes: [{ scope: 'resource', name: 'test.run', value: RUN }],
});

async function tempoGet(
  path: string,
  params: Record<string, string>,
): Promise<any> {
  const url = new URL(path, tempo.url);
  for (const [key, value] of Object.entries(params))
    url.searchParams.set(key, value);
  const response = await fetchRealTempo(url);
  const text = await response.text();
  if (!response.ok)
    throw new Error(`Tempo ${response.status} for ${url}: ${text}`);
  return JSON.parse(text);
}

async function tempoSearch(query: string, startS: number, endS: number) {
  const body = await tempoGet('/api/search', {
    q: scopeQuery(query, tempoCondition),
    limit: '1000',
    spss: '100',
    start: String(startS),
    end: String(endS),
  });
  const result = new Map<string, string[]>();
  for (const trace of body.traces ?? []) {
    const spanIds = new Set<string>();
    for (const set of trace.spanSets ?? [])
      for (const span of set.spans ?? []) spanIds.add(span.spanID);
    result.set(trace.traceID.padStart(32, '0'), [...spanIds].sort());
  }
  return result;
}

function engineSearch(query: string, traces: Generated[]) {
  const plan = compileSearch(query, scope);
  const result = new Map<string, string[]>();
  for (const { traceId, spans } of traces) {
    const [set] = plan.evaluate({ spans });
    if (set) result.set(traceId, set.map(span => span.spanId).sort());
  }
  return result;
}

function sorted(map: Map<string, string[]>) {
  return Object.fromEntries(
    [...map.entries()].sort(([a], [b]) => a.localeCompare(b)),
  );
}

const SEARCH_QUERIES = [
  '{}',
  '{ true }',
  '{ name = "GET /orders" }',
  '{ name != "connect" }',
  '{ name =~ "GET.*" }',
  '{ name !~ ".*orders" }',
  '{ status = error }',
  '{ status != unset }',
  '{ statusMessage = "boom" }',
  '{ kind = server }',
  '{ kind != client && kind != internal }',
  '{ duration > 200ms }',
  '{ duration <= 50ms }',
  '{ rootName = "GET /orders" }',
  '{ rootServiceName = "dt-frontend" && kind = consumer }',
  '{ traceDuration > 300ms }',
  '{ span.http.route = "/orders/{id}" }',
  '{ span.http.status_code >= 500 }',
  '{ span.http.status_code != 200 }',
  '{ span.http.status_code < 404 }',
  '{ span.http.route =~ "/orders.*" }',
  '{ span.http.route !~ "/orders.*" }',
  '{ span.db.system = "postgresql" || span.retry = true }',
  '{ span.retry = false }',
  '{ span.ratio > 0.3 }',
  '{ resource.service.name = "dt-db" }',
  '{ .region = "eu" }',
  '{ .region = "us" && kind = server }',
  '{ .http.route = "/pay" }',
  '{ status = error || kind = server && duration > 100ms }',
  '{ (status = error || kind = server) && duration > 100ms }',
  '{ status = error } && { kind = server }',
  '{ status = error } || { span.http.route = "/cart" }',
  '{ kind = server } >> { status = error }',
  '{ kind = server } > { kind = client }',
  '{ status = error } << { kind = server }',
  '{ kind = client } < { status = error }',
  '{ kind = server } ~ { kind = server }',
  '{ name = "connect" } !>> { status = error }',
  '{ status = error } && { kind = server } >> { kind = client }',
];

const KNOWN_TEMPO_GAPS: Record<string, string> = {
  // On fresh data (ingester and WAL blocks) Tempo misses some spans of string ordering
  // predicates; the same query over flushed blocks answers as the engine does.
  '{ name > "POST" }': 'string ordering on fresh data',
  // descendantOfUnion (vparquet4) walks both sides in one merge loop that skips ancestors
  // outside the branch it is in; the engine returns every span on either side of a relation.
  '{ kind = server } &>> { status = error }': 'union structural operators',
};

describeWithTempo('embedded TraceQL engine vs Tempo 2.7.2', () => {
  jest.setTimeout(240_000);
  let traces: Generated[];
  let startS: number;
  let endS: number;

  beforeAll(async () => {
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    traces = generate(nowNs);
    const response = await fetch(OTLP_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(toOtlp(traces)),
    });
    if (!response.ok)
      throw new Error(`Tempo's OTLP receiver answered ${response.status}`);
    startS = Math.floor(Date.now() / 1000) - 300;
    endS = Math.ceil(Date.now() / 1000) + 60;
    // Wait until Tempo searches every trace, and its metrics-generator (which cuts a trace into
    // its blocks some seconds after the trace goes idle) counts every span.
    const spanCount = traces.reduce(
      (sum, trace) => sum + trace.spans.length,
      0,
    );
    for (let i = 0; i < 75; i++) {
      const found = await tempoSearch('{}', startS, endS);
      const counted = await tempoGet('/api/metrics/query_range', {
        q: scopeQuery('{} | count_over_time()', tempoCondition),
        start: String(startS),
        end: String(Math.floor(Date.now() / 1000)),
        step: '60s',
      });
      const total = (counted.series ?? [])
        .flatMap((series: any) => series.samples ?? [])
        .reduce((sum: number, sample: any) => sum + (sample.value ?? 0), 0);
      if (found.size === traces.length && total === spanCount) return;
      await new Promise(resolve => setTimeout(resolve, 2000));
    }
    throw new Error(
      `Tempo did not search and count the test traces within 150 s (${RUN})`,
    );
  });

  it.each(SEARCH_QUERIES)('search %s: same traces and spans', async query => {
    const expected = await tempoSearch(query, startS, endS);
    expect(sorted(engineSearch(query, traces))).toEqual(sorted(expected));
  });

  // Where Tempo 2.7.2 answers less than its own definition, the engine must still include
  // everything Tempo finds.
  it.each(Object.entries(KNOWN_TEMPO_GAPS))(
    'search %s: a superset of Tempo (%s)',
    async query => {
      const tempoResult = await tempoSearch(query, startS, endS);
      const ours = engineSearch(query, traces);
      const missing = [...tempoResult].flatMap(([traceId, spanIds]) =>
        spanIds
          .filter(id => !ours.get(traceId)?.includes(id))
          .map(id => `${traceId}/${id}`),
      );
      expect(missing).toEqual([]);
      expect(ours.size).toBeGreaterThan(0);
    },
  );

  it.each([
    '{} | count_over_time() by (resource.service.name)',
    '{ status = error } | rate() by (resource.service.name)',
    '{ kind = server } | rate() by (span.http.route)',
    '{} | rate()',
    '{ kind = server || kind = client } | quantile_over_time(duration, 0.5, 0.9, 0.99) by (resource.service.name)',
    '{} | quantile_over_time(duration, 0.5)',
    '{ kind = server } | histogram_over_time(duration)',
    '{} | histogram_over_time(duration) by (resource.service.name)',
    '{ kind = server } | histogram_over_time(duration) by (span.http.route)',
  ])('metrics %s: same series', async query => {
    const end = Math.floor(Date.now() / 1000);
    const start = end - 300;
    const step = 10;
    const body = await tempoGet('/api/metrics/query_range', {
      q: scopeQuery(query, tempoCondition),
      start: String(start),
      end: String(end),
      step: `${step}s`,
    });
    const plan = compileMetrics(query, scope, { start, end, step });
    const accumulator = plan.newAccumulator();
    for (const { traceId, spans } of traces) {
      for (const span of plan.search.evaluate({ spans })[0] ?? [])
        accumulator.observe(span, traceId);
    }
    const ours = Object.fromEntries(
      accumulator
        .result()
        .map(series => [series.name, series.samples.map(s => s.value)]),
    );
    const theirs = Object.fromEntries(
      (body.series ?? []).map((series: any) => {
        const values = new Array(plan.intervals).fill(0);
        for (const sample of series.samples ?? []) {
          const i = Number(
            (BigInt(sample.timestampMs) * 1_000_000n - plan.fromNs) /
              plan.stepNs,
          );
          values[i] = sample.value ?? 0;
        }
        return [series.promLabels, values];
      }),
    );
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    for (const name of Object.keys(ours)) {
      ours[name].forEach((value: number, i: number) => {
        expect([name, i, value]).toEqual([
          name,
          i,
          expect.closeTo(theirs[name][i], 9),
        ]);
      });
    }
  });
});
