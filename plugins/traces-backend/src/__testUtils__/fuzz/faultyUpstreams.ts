import fc from 'fast-check';
import { http, HttpResponse, type JsonBodyType } from 'msw';
import type { SetupServer } from 'msw/node';
import {
  OPENSEARCH_URL,
  rawJson,
  searchResponse,
  SS4O_LOGS,
} from '../openSearchFixtures';
import { TEMPO_URL } from '../startTracesBackend';
import { fixtureText } from '../tempoFixtures';
import { replaceAt } from './hostileValues';

export const PROMETHEUS_URL = 'http://prometheus.test:9090';

/** The largest answer read in the fuzzed backend (traces.limits.maxResponseSizeMb). */
export const MAX_RESPONSE_MB = 1;
const HUGE = new Uint8Array(MAX_RESPONSE_MB * 1024 * 1024 + 1).fill(0x20);

/**
 * What an upstream answers in one fuzz run: its normal answer, an HTTP error, a broken
 * connection, garbage, something too large, or its normal answer with one part replaced by
 * arbitrary JSON (the shapes normalisers must survive).
 */
export type Fault =
  | { kind: 'ok' }
  | { kind: 'status'; status: number; body: string }
  | { kind: 'network' }
  | { kind: 'bytes'; bytes: Uint8Array; contentType: string }
  | { kind: 'huge' }
  | { kind: 'json'; value: JsonBodyType }
  | { kind: 'mutated'; path: number[]; value: JsonBodyType };

export const fault: fc.Arbitrary<Fault> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'ok' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('status' as const),
      status: fc.constantFrom(
        400,
        401,
        403,
        404,
        413,
        422,
        429,
        500,
        502,
        503,
        504,
      ),
      body: fc.constantFrom('', 'error', '{"error":"x"}', '<html>oops</html>'),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'network' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('bytes' as const),
      bytes: fc.uint8Array({ maxLength: 64 }),
      contentType: fc.constantFrom(
        'application/json',
        'application/protobuf',
        'text/plain',
        'text/html',
      ),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'huge' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('json' as const),
      value: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonBodyType>,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('mutated' as const),
      path: fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
      value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonBodyType>,
    }),
  },
);

/** The upstreams' faults of the current run; every request of the run gets its upstream's. */
export interface Faults {
  tempo: Fault;
  opensearch: Fault;
  prometheus: Fault;
}

export const faults: fc.Arbitrary<Faults> = fc.record({
  tempo: fault,
  opensearch: fault,
  prometheus: fault,
});

/** Tempo's normal answers, by path. */
function tempoAnswer(path: string): JsonBodyType | string {
  if (path === '/ready') return 'ready';
  const fixture =
    (path === '/api/search' && 'search-by-service.json') ||
    (path === '/api/v2/search/tags' && 'tags-v2.json') ||
    (path.startsWith('/api/v2/search/tag/') && 'tag-values-http-route.json') ||
    (path.startsWith('/api/v2/traces/') && 'trace-v2.json') ||
    (path === '/api/metrics/query_range' && 'metrics-query-range.json') ||
    (path === '/api/metrics/query' && 'metrics-query-instant.json') ||
    (path === '/api/status/buildinfo' && 'buildinfo.json');
  return fixture ? JSON.parse(fixtureText(fixture)) : {};
}

function openSearchAnswer(path: string): JsonBodyType {
  if (path.endsWith('/_search')) {
    return JSON.parse(rawJson(searchResponse(SS4O_LOGS)));
  }
  return { version: { number: '2.19.1' } };
}

const PROMETHEUS_ANSWER = {
  status: 'success',
  data: {
    resultType: 'vector',
    result: [
      {
        metric: { client: 'frontend', server: 'orders-api' },
        value: [1795549350, '12'],
      },
    ],
  },
};

function respond(f: Fault, normal: JsonBodyType | string): Response {
  switch (f.kind) {
    case 'ok':
      return typeof normal === 'string'
        ? new HttpResponse(normal)
        : HttpResponse.json(normal);
    case 'status':
      return new HttpResponse(f.body || null, { status: f.status });
    case 'network':
      return HttpResponse.error();
    case 'bytes':
      return new HttpResponse(f.bytes, {
        headers: { 'Content-Type': f.contentType },
      });
    case 'huge':
      return new HttpResponse(HUGE, {
        headers: { 'Content-Type': 'application/json' },
      });
    case 'json':
      return HttpResponse.json(f.value);
    case 'mutated':
      return typeof normal === 'string'
        ? HttpResponse.json(f.value)
        : HttpResponse.json(replaceAt(normal, f.path, f.value) as JsonBodyType);
    default:
      throw new Error('unknown fault');
  }
}

/**
 * Tempo, OpenSearch and Prometheus as msw handlers answering whatever `current()` says for
 * this run. A valid Tempo answer is also what an unknown Tempo path gets, so that the
 * fuzzer only sees the faults it chose.
 */
export function useFaultyUpstreams(server: SetupServer, current: () => Faults) {
  server.use(
    http.all(`${TEMPO_URL}/*`, ({ request }) =>
      respond(current().tempo, tempoAnswer(new URL(request.url).pathname)),
    ),
    http.all(`${OPENSEARCH_URL}/*`, ({ request }) =>
      respond(
        current().opensearch,
        openSearchAnswer(new URL(request.url).pathname),
      ),
    ),
    http.all(`${PROMETHEUS_URL}/*`, () =>
      respond(current().prometheus, PROMETHEUS_ANSWER),
    ),
  );
}
