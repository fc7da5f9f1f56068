import type { Server } from 'node:http';
import type { Entity } from '@backstage/catalog-model';
import fc from 'fast-check';
import request from 'supertest';
import { COMPACT_TRACE_MEDIA_TYPE } from '@backstage-traces/plugin-traces-common';
import { OPENSEARCH_URL } from '../../__testUtils__/openSearchFixtures';
import { setupUpstreamServer } from '../../__testUtils__/setupUpstreamServer';
import {
  ENTITIES,
  startTracesBackend,
  TEMPO_URL,
} from '../../__testUtils__/startTracesBackend';
import { fixtureJson } from '../../__testUtils__/tempoFixtures';
import { otlp } from '../../embedded/otlp/schema';
import {
  faults,
  MAX_RESPONSE_MB,
  PROMETHEUS_URL,
  useFaultyUpstreams,
  type Faults,
} from '../../__testUtils__/fuzz/faultyUpstreams';
import {
  encodeComponent,
  hostileSegment,
  hostileString,
  HOSTILE_STRINGS,
  replaceAt,
} from '../../__testUtils__/fuzz/hostileValues';

/*
 * Every route, with hostile paths and query values, hostile entity annotations and tenants,
 * against upstreams that fail in every way msw can (see faultyUpstreams.ts), in production
 * mode: no answer is a 500, every error answer says what is wrong, none carries a stack
 * trace, and an upstream's failure is named after the upstream.
 *
 * The seed is fixed, so CI runs the same requests every time; FUZZ_SEED=<n> or FUZZ_SEED=random
 * and FUZZ_RUNS=<n> (runs per route, default 20) explore further.
 */

const RUNS = Number(process.env.FUZZ_RUNS) || 20;
const SEED =
  process.env.FUZZ_SEED === 'random'
    ? undefined
    : Number(process.env.FUZZ_SEED) || 14;
const PARAMETERS = { numRuns: RUNS, ...(SEED !== undefined && { seed: SEED }) };
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

const SERVICE = 'opentelemetry.io/service-name';
const NAMESPACE = 'opentelemetry.io/service-namespace';
const TENANT = 'grafana.com/tempo-tenant';
const TEAMS = 3;

/** The annotations that answered 500 or a misleading 503 before (issue #14). */
const KNOWN_BAD: Array<Record<string, string>> = [
  { [SERVICE]: 'shop\u0000api' },
  { [SERVICE]: 'a\nb`c' },
  { [SERVICE]: 'a\r\nb' },
  { [SERVICE]: 'frontend', [NAMESPACE]: 'x\u0000' },
  { [SERVICE]: 'frontend', [TENANT]: 'team\r\nX-Evil: 1' },
  { [SERVICE]: 'frontend', [TENANT]: 'équipe' },
];

/** Components with hostile annotations, owned by group:default/fuzz-team-<i mod TEAMS>. */
const FUZZED_ENTITIES: Entity[] = [
  ...KNOWN_BAD,
  ...fc.sample(
    fc.record(
      {
        [SERVICE]: fc.oneof(
          hostileString,
          fc
            .array(fc.oneof(hostileString, fc.constant('frontend')), {
              maxLength: 3,
            })
            .map(names => names.join(', ')),
        ),
        [NAMESPACE]: hostileString,
        [TENANT]: fc.oneof(
          hostileString,
          fc.constantFrom('team-shop', 'a|b', 'team\r\nX-Evil: 1', 'équipe'),
        ),
      },
      { requiredKeys: [SERVICE] },
    ),
    { numRuns: 30, seed: 14 },
  ),
].map((annotations, i) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: `fuzzed-${i}`,
    namespace: 'default',
    annotations: annotations as Record<string, string>,
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: `group:default/fuzz-team-${i % TEAMS}`,
  },
  relations: [
    { type: 'ownedBy', targetRef: `group:default/fuzz-team-${i % TEAMS}` },
  ],
}));

const GROUPS: Entity[] = Array.from({ length: TEAMS }, (_, i) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: `fuzz-team-${i}`, namespace: 'default' },
  spec: { type: 'team', children: [] },
}));

/** A team whose component has plain annotations: its view reaches the store. */
const CLEAN_TEAM: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'clean-team', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'clean-api',
      namespace: 'default',
      annotations: { [SERVICE]: 'frontend, orders-api', [TENANT]: 'team-shop' },
    },
    spec: { type: 'service', owner: 'group:default/clean-team' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/clean-team' }],
  },
];

const CATALOG = [...ENTITIES, ...FUZZED_ENTITIES, ...GROUPS, ...CLEAN_TEAM];
const NOW = Math.floor(Date.now() / 1000);
const METRICS_QUERIES = fc.constantFrom(
  '{ } | rate()',
  '{ status = error } | count_over_time() by (resource.service.name)',
  '{ } | quantile_over_time(duration, .95) by (span.http.route)',
  '{ span.http.request.header.authorization != nil } | rate()',
);

/** Plausible values per query key, so that runs get past validation to the stores. */
const VALID: Record<string, fc.Arbitrary<string>> = {
  entityRef: fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'frontend',
        'component:default/orders-api',
        'component:default/no-traces',
        'component:default/nope',
        ...GROUPS.map(g => `group:default/${g.metadata.name}`),
      ),
    },
    {
      weight: 2,
      arbitrary: fc.nat(FUZZED_ENTITIES.length - 1).map(i => `fuzzed-${i}`),
    },
  ),
  start: fc.constantFrom(String(NOW - 3600), String(NOW - 7200)),
  end: fc.constantFrom(String(NOW), String(NOW - 60)),
  to: fc.constantFrom(String(NOW)),
  from: fc.constantFrom('0', '1', String(NOW - 3600)),
  limit: fc.constantFrom('1', '20', '500'),
  q: fc.constantFrom(
    '{ }',
    '{ status = error }',
    '{ span.http.route = "/a" } >> { .db.system = "x" }',
    '{ } | rate()',
    '{ } | quantile_over_time(duration, .95) by (resource.service.name)',
    '{ span.http.request.header.authorization != nil }',
  ),
  minDuration: fc.constantFrom('100ms', '1.5s'),
  maxDuration: fc.constantFrom('2s', '1h'),
  environment: fc.constantFrom('prod', ''),
  scope: fc.constantFrom('span', 'resource', 'intrinsic'),
  step: fc.constantFrom('60s', '5m', '1'),
  depth: fc.constantFrom('1', '2', '3'),
  focus: fc.constantFrom('00f067aa0ba902b7'),
  spanId: fc.constantFrom('b7ad6b7169203331'),
  cursor: fc.constantFrom('eyJ0IjoxfQ', 'x'),
  order: fc.constantFrom('asc', 'desc'),
  namespace: fc.constantFrom('shop'),
  spss: fc.constantFrom('1', '3', '100'),
  exemplars: fc.constantFrom('0', '5', '100'),
  whole: fc.constantFrom('true', 'false'),
};

const SEGMENTS: Record<string, fc.Arbitrary<string>> = {
  traceId: fc.constantFrom(TRACE_ID, '00f067aa0ba902b7d0c6e1b8e4f3a2c1', 'abc'),
  spanId: fc.constantFrom('00f067aa0ba902b7', 'c9d8e7f6a5b4c3d2'),
  tag: fc.constantFrom('span.http.route', 'status', 'service.name', '.x'),
  service: fc.constantFrom('frontend', 'orders-api'),
};

interface Route {
  path: string;
  keys: string[];
  /** Plausible values of this route where they differ from VALID's. */
  valid?: Record<string, fc.Arbitrary<string>>;
  /** Keys a plausible request always has. */
  required?: string[];
}

/** Every GET route of the plugin; `{name}` is a path segment. */
const ROUTES: Route[] = [
  { path: '/health', keys: [] },
  {
    path: '/search',
    keys: [
      'q',
      'entityRef',
      'start',
      'end',
      'limit',
      'minDuration',
      'maxDuration',
      'environment',
      'spss',
    ],
  },
  {
    path: '/traces/{traceId}',
    keys: ['entityRef', 'start', 'end', 'focus', 'whole'],
  },
  {
    path: '/traces/{traceId}/subtree/{spanId}',
    keys: ['entityRef', 'start', 'end', 'from'],
  },
  {
    path: '/traces/{traceId}/logs',
    keys: ['entityRef', 'start', 'end', 'spanId', 'limit', 'cursor', 'order'],
  },
  {
    path: '/traces/{traceId}/log-counts',
    keys: ['entityRef', 'start', 'end'],
  },
  { path: '/tags', keys: ['scope', 'entityRef', 'start', 'end'] },
  { path: '/tags/{tag}/values', keys: ['q', 'entityRef', 'start', 'end'] },
  {
    path: '/metrics/query_range',
    keys: ['q', 'entityRef', 'start', 'end', 'step', 'exemplars'],
    valid: { q: METRICS_QUERIES },
    required: ['q'],
  },
  {
    path: '/metrics/query',
    keys: ['q', 'entityRef', 'start', 'end'],
    valid: { q: METRICS_QUERIES },
    required: ['q'],
  },
  {
    path: '/service-graph',
    keys: ['entityRef', 'start', 'end', 'depth'],
    required: ['entityRef'],
  },
  {
    path: '/team',
    keys: ['entityRef', 'start', 'end'],
    required: ['entityRef'],
    valid: {
      entityRef: fc.constantFrom(
        ...GROUPS.map(g => `group:default/${g.metadata.name}`),
        'group:default/clean-team',
        'group:default/clean-team',
        'group:default/nope',
      ),
    },
  },
  { path: '/services/{service}/owners', keys: ['namespace'] },
  { path: '/links/service/{service}', keys: ['namespace'] },
  { path: '/links/trace/{traceId}', keys: ['spanId', 'from', 'to'] },
];

/**
 * One request: the path with its segments filled in and a raw query string. Half the runs
 * are plausible requests (valid segments and values, only the upstreams fail) that reach the
 * stores; the other half put hostile text anywhere: segments, values, repeated keys (an
 * array to Express), bracketed keys (an object), unknown keys.
 */
function requestOf(route: Route): fc.Arbitrary<string> {
  return fc.oneof(
    plausibleRequest(route),
    requestWith(route, {
      segment: name =>
        fc.oneof(
          { weight: 2, arbitrary: SEGMENTS[name] },
          // An empty segment is another route (Backstage answers an unknown path 404).
          { weight: 1, arbitrary: hostileSegment.filter(s => s !== '') },
        ),
      value: key =>
        fc.oneof(
          {
            weight: 3,
            arbitrary: route.valid?.[key] ?? VALID[key] ?? hostileString,
          },
          { weight: 1, arbitrary: hostileString },
        ),
      shapes: true,
    }),
  );
}

function plausibleRequest(route: Route): fc.Arbitrary<string> {
  return requestWith(route, {
    segment: name => SEGMENTS[name],
    value: key => route.valid?.[key] ?? VALID[key] ?? hostileString,
    shapes: false,
  });
}

function requestWith(
  route: Route,
  make: {
    segment: (name: string) => fc.Arbitrary<string>;
    value: (key: string) => fc.Arbitrary<string>;
    shapes: boolean;
  },
): fc.Arbitrary<string> {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map(m => m[1]);
  const segments = fc.tuple(...names.map(make.segment));
  const pair = (key: string) =>
    make
      .value(key)
      .map(value => `${encodeComponent(key)}=${encodeComponent(value)}`);
  const entry = (key: string) =>
    make.shapes
      ? fc.oneof(
          { weight: 6, arbitrary: pair(key) },
          {
            weight: 1,
            arbitrary: fc
              .tuple(pair(key), pair(key))
              .map(([a, b]) => `${a}&${b}`),
          },
          {
            weight: 1,
            arbitrary: hostileString.map(
              v => `${encodeComponent(key)}%5Bx%5D=${encodeComponent(v)}`,
            ),
          },
        )
      : pair(key);
  const unknown = fc
    .tuple(hostileString, hostileString)
    .map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(v)}`);
  const pairs = fc.tuple(
    ...route.keys.map(key =>
      !make.shapes && route.required?.includes(key)
        ? entry(key)
        : fc.option(entry(key), { freq: 2 }),
    ),
    make.shapes ? fc.option(unknown, { freq: 4 }) : fc.constant(null),
  );
  return fc.tuple(segments, pairs).map(([values, query]) => {
    let i = 0;
    const path = route.path.replace(/\{\w+\}/g, () => values[i++]);
    const text = query.filter(Boolean).join('&');
    return `/api/traces${path}${text ? `?${text}` : ''}`;
  });
}

const accept = fc.constantFrom(
  undefined,
  'application/json',
  COMPACT_TRACE_MEDIA_TYPE,
  '*/*',
  'text/html',
  'x/\u00ff',
);

const UPSTREAM_NAME =
  /^(Tempo|OpenSearch|Prometheus)\b|^The (embedded store|service graph)\b/;

/**
 * The checks every answer must pass; returns what is wrong, for the failure message. With
 * `faults`, an upstream that answered cannot be blamed as unreachable (a bad tenant header
 * used to be reported as "Tempo: cannot reach").
 */
function problemsOf(
  status: number,
  body: any,
  text: string,
  runFaults?: Faults,
): string[] {
  const problems: string[] = [];
  const message = body?.error?.message ?? body?.message;
  for (const [name, upstream] of [
    ['Tempo', runFaults?.tempo],
    ['OpenSearch', runFaults?.opensearch],
    ['Prometheus', runFaults?.prometheus],
  ] as const) {
    if (
      upstream &&
      upstream.kind !== 'network' &&
      typeof message === 'string' &&
      message.startsWith(`${name}: cannot reach`)
    ) {
      problems.push(
        `${name} answered, yet the answer says it cannot be reached`,
      );
    }
  }
  if (status >= 500 && ![502, 503, 504].includes(status)) {
    problems.push(`answered ${status}`);
  }
  if (/"stack"\s*:|\n\s+at .+\(.*:\d+:\d+\)/.test(text)) {
    problems.push('the answer carries a stack trace');
  }
  if (status >= 400) {
    // Backstage's error body, or the OTLP Status of the receiver.
    if (typeof message !== 'string' || !message.trim()) {
      problems.push('the error answer has no message');
    } else if (status >= 502 && !UPSTREAM_NAME.test(message)) {
      problems.push(`the ${status} does not name the upstream: ${message}`);
    }
  }
  return problems;
}

async function check(
  app: Server,
  url: string,
  acceptHeader: string | undefined,
  runFaults?: Faults,
) {
  const req = request(app).get(url);
  if (acceptHeader) req.set('Accept', acceptHeader);
  const res = await req;
  const problems = problemsOf(res.status, res.body, res.text ?? '', runFaults);
  if (problems.length > 0) {
    throw new Error(
      `GET ${url} → ${res.status}: ${problems.join('; ')}\n${(
        res.text ?? ''
      ).slice(0, 500)}\n${JSON.stringify(runFaults ?? 'embedded').slice(
        0,
        500,
      )}`,
    );
  }
}

describe('route fuzzer (production mode)', () => {
  const upstreams = setupUpstreamServer();
  const env = process.env.NODE_ENV;
  let current: Faults = {
    tempo: { kind: 'ok' },
    opensearch: { kind: 'ok' },
    prometheus: { kind: 'ok' },
  };

  beforeAll(() => {
    process.env.NODE_ENV = 'production';
    // The OpenSearch client's JSON parser warns about every number BigInt cannot hold, and
    // arbitrary JSON is full of them.
    const warn = console.warn;
    jest.spyOn(console, 'warn').mockImplementation((...args) => {
      if (!/to a BigInt/.test(String(args[0]))) warn(...args);
    });
  });
  afterAll(() => {
    process.env.NODE_ENV = env;
    jest.restoreAllMocks();
  });
  beforeEach(() => useFaultyUpstreams(upstreams, () => current));

  describe('with Tempo, OpenSearch and Prometheus failing in turn', () => {
    let app: Server;
    beforeAll(async () => {
      app = await startTracesBackend({
        config: {
          traces: {
            tempo: { baseUrl: TEMPO_URL, timeout: '10s' },
            opensearch: { baseUrl: OPENSEARCH_URL },
            prometheus: { baseUrl: PROMETHEUS_URL },
            limits: { maxResponseSizeMb: MAX_RESPONSE_MB },
          },
        },
        entities: CATALOG,
      });
    });

    it.each(ROUTES.map(route => [route.path, route] as const))(
      'GET %s',
      async (_path, route) => {
        await fc.assert(
          fc.asyncProperty(
            requestOf(route),
            faults,
            accept,
            async (url, runFaults, acceptHeader) => {
              current = runFaults;
              await check(app, url, acceptHeader, runFaults);
            },
          ),
          PARAMETERS,
        );
      },
    );

    // Every hostile entity on every route that takes one, each with other upstream faults:
    // the annotations' answers do not depend on a run picking them.
    it.each(
      ROUTES.filter(route => route.keys.includes('entityRef')).map(
        route => [route.path, route] as const,
      ),
    )('GET %s of every hostile entity', async (_path, route) => {
      const runs = fc.sample(fc.tuple(plausibleRequest(route), faults), {
        numRuns: FUZZED_ENTITIES.length,
        seed: SEED ?? Date.now(),
      });
      for (const [index, [url, runFaults]] of runs.entries()) {
        current = runFaults;
        const ref =
          route.path === '/team'
            ? `group:default/fuzz-team-${index % TEAMS}`
            : `component:default/fuzzed-${index}`;
        const withEntity = new URL(url, 'http://backend');
        withEntity.searchParams.set('entityRef', ref);
        await check(
          app,
          `${withEntity.pathname}${withEntity.search}`,
          undefined,
          runFaults,
        );
      }
    });
  });

  describe('on the embedded store', () => {
    let app: Server;
    beforeAll(async () => {
      app = await startTracesBackend({ config: {}, entities: CATALOG });
      // Something to find: the recorded OTLP requests of the Tempo fixtures.
      for (const name of ['otlp-request-1.json', 'otlp-request-2.json']) {
        await request(app)
          .post('/api/traces/v1/traces')
          .set('Content-Type', 'application/json')
          .send(fixtureJson(name))
          .expect(200);
      }
    });

    it.each(ROUTES.map(route => [route.path, route] as const))(
      'GET %s',
      async (_path, route) => {
        await fc.assert(
          fc.asyncProperty(requestOf(route), accept, async (url, header) =>
            check(app, url, header),
          ),
          PARAMETERS,
        );
      },
    );

    it.each(['/v1/traces', '/v1/logs'])(
      'POST %s with hostile OTLP bodies',
      async path => {
        const request1 = fixtureJson('otlp-request-1.json');
        const body = fc.oneof(
          fc.jsonValue({ maxDepth: 4 }).map(value => JSON.stringify(value)),
          fc
            .tuple(fc.array(fc.nat(), { maxLength: 6 }), fc.jsonValue())
            .map(([path_, value]) =>
              JSON.stringify(replaceAt(request1, path_, value)),
            ),
          fc.constantFrom(...HOSTILE_STRINGS),
        );
        await fc.assert(
          fc.asyncProperty(
            body,
            fc.constantFrom('application/json', 'application/x-protobuf'),
            async (text, contentType) => {
              const res = await request(app)
                .post(`/api/traces${path}`)
                .set('Content-Type', contentType)
                .buffer(true)
                .parse(readBuffer)
                .send(Buffer.from(text));
              // OTLP answers in the request's encoding: a google.rpc.Status.
              const answer: Buffer = res.body;
              const status =
                contentType === 'application/json'
                  ? JSON.parse(answer.toString('utf8') || '{}')
                  : otlp.RpcStatus.toObject(otlp.RpcStatus.decode(answer));
              const problems = problemsOf(
                res.status,
                status,
                answer.toString('utf8'),
              );
              if (problems.length > 0) {
                throw new Error(
                  `POST ${path} → ${res.status}: ${problems.join(
                    '; ',
                  )}\n${JSON.stringify(status).slice(0, 500)}`,
                );
              }
            },
          ),
          PARAMETERS,
        );
      },
    );
  });
});

/** supertest parser keeping the answer's bytes, whatever its type. */
function readBuffer(
  res: any,
  done: (error: Error | null, body: Buffer) => void,
) {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}
