import { UrlPatternDiscovery } from '@backstage/core-app-api';
import { ResponseError } from '@backstage/errors';
import { mockApis, registerMswTestHooks } from '@backstage/frontend-test-utils';
import {
  COMPACT_TRACE_MEDIA_TYPE,
  encodeCompactTrace,
  type HealthResponse,
  type SearchResponse,
  type ServiceGraphResponse,
  type Trace,
} from '@backstage-traces/plugin-traces-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  TracesClient,
  toQueryString,
} from '@backstage-traces/plugin-traces-common';

const BASE = 'http://backstage.test/api/traces';
const HEALTH: HealthResponse = {
  traces: { store: 'Tempo', status: 'ok', version: '2.7.2' },
  logs: { store: 'OpenSearch', status: 'disabled' },
};

const server = setupServer();
registerMswTestHooks(server);

function createClient() {
  return new TracesClient({
    discoveryApi: UrlPatternDiscovery.compile(
      'http://backstage.test/api/{{ pluginId }}',
    ),
    fetchApi: mockApis.fetch({ injectIdentityAuth: { token: 'user-token' } }),
  });
}

/** Records each request the backend receives, so tests can assert on the exact URL. */
function capture(
  path: string,
  body: unknown,
  init?: { status?: number },
): { urls: URL[]; headers: Headers[] } {
  const seen = { urls: [] as URL[], headers: [] as Headers[] };
  server.use(
    http.get(`${BASE}${path}`, ({ request }) => {
      seen.urls.push(new URL(request.url));
      seen.headers.push(request.headers);
      return HttpResponse.json(body as any, init);
    }),
  );
  return seen;
}

describe('toQueryString', () => {
  it('omits undefined values, keeps empty strings and encodes the rest', () => {
    expect(
      toQueryString({ a: undefined, b: '', c: 'x y&z', d: 0, e: false }),
    ).toBe('?b=&c=x+y%26z&d=0&e=false');
    expect(toQueryString({ a: undefined })).toBe('');
  });
});

describe('TracesClient', () => {
  it('searches with every given parameter and the user token', async () => {
    const response: SearchResponse = {
      query: '{ resource.service.name = "orders" }',
      traces: [],
      start: 100,
      end: 200,
      limit: 20,
    };
    const seen = capture('/search', response);

    await expect(
      createClient().searchTraces({
        entityRef: 'component:default/orders',
        query: '{ status = error }',
        start: 100,
        end: 200,
        limit: 20,
        minDuration: '100ms',
        environment: '',
      }),
    ).resolves.toEqual(response);

    const url = seen.urls[0];
    expect(Object.fromEntries(url.searchParams)).toEqual({
      q: '{ status = error }',
      entityRef: 'component:default/orders',
      start: '100',
      end: '200',
      limit: '20',
      minDuration: '100ms',
      environment: '',
    });
    expect(url.searchParams.has('maxDuration')).toBe(false);
    expect(seen.headers[0].get('authorization')).toBe('Bearer user-token');
  });

  it('encodes path segments of trace IDs and tag names', async () => {
    const trace = capture('/traces/:traceId', { traceId: 'x' });
    const values = capture('/tags/:tag/values', { tag: 'x', values: [] });
    const client = createClient();

    await client.getTrace({
      traceId: 'ab/../cd',
      entityRef: 'component:default/a',
    });
    await client.getTagValues({ tag: 'span.http.route', query: '{ }' });

    expect(trace.urls[0].pathname).toBe('/api/traces/traces/ab%2F..%2Fcd');
    expect(trace.urls[0].search).toBe('?entityRef=component%3Adefault%2Fa');
    expect(values.urls[0].pathname).toBe(
      '/api/traces/tags/span.http.route/values',
    );
    expect(values.urls[0].searchParams.get('q')).toBe('{ }');
  });

  it('asks for the compact trace encoding and decodes it, or takes plain JSON', async () => {
    const trace: Trace = {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      startTimeUnixNano: '1000',
      endTimeUnixNano: '3000',
      durationMs: 0.002,
      spanCount: 1,
      services: ['orders-api'],
      resources: [
        {
          serviceName: 'orders-api',
          attributes: { 'service.name': 'orders-api' },
        },
      ],
      spans: [
        {
          spanId: '00f067aa0ba902b7',
          name: 'GET /orders',
          serviceName: 'orders-api',
          resourceIndex: 0,
          kind: 'server',
          status: { code: 'error', message: 'boom' },
          startTimeUnixNano: '1000',
          endTimeUnixNano: '3000',
          startMs: 0,
          durationMs: 0.002,
          attributes: { 'http.response.status_code': 500 },
          events: [],
          links: [],
        },
      ],
    };
    let accept: string | null = null;
    server.use(
      http.get(`${BASE}/traces/:traceId`, ({ request }) => {
        accept = request.headers.get('accept');
        return new HttpResponse(JSON.stringify(encodeCompactTrace(trace)), {
          headers: { 'Content-Type': COMPACT_TRACE_MEDIA_TYPE },
        });
      }),
    );
    const client = createClient();
    expect(await client.getTrace({ traceId: trace.traceId })).toEqual(trace);
    expect(accept).toContain(COMPACT_TRACE_MEDIA_TYPE);

    capture('/traces/:traceId', trace);
    expect(await client.getTrace({ traceId: trace.traceId })).toEqual(trace);
  });

  it('asks for a focused first window, a whole trace and subtree windows', async () => {
    const first = capture('/traces/:traceId', { traceId: 'x', spans: [] });
    const subtree = capture('/traces/:traceId/subtree/:spanId', {
      traceId: 'x',
      spans: [],
    });
    const client = createClient();
    await client.getTrace({ traceId: 'abc', focusSpanId: '00f067aa0ba902b7' });
    await client.getTrace({ traceId: 'abc', whole: true });
    await client.getTraceSubtree({
      traceId: 'abc',
      spanId: '00f067aa0ba902b7',
      entityRef: 'component:default/a',
    });
    await client.getTraceSubtree({
      traceId: 'abc',
      spanId: '00f067aa0ba902b7',
      from: 10000,
    });
    expect(first.urls.map(url => url.search)).toEqual([
      '?focus=00f067aa0ba902b7',
      '?whole=true',
    ]);
    expect(subtree.urls.map(url => `${url.pathname}${url.search}`)).toEqual([
      '/api/traces/traces/abc/subtree/00f067aa0ba902b7?entityRef=component%3Adefault%2Fa',
      '/api/traces/traces/abc/subtree/00f067aa0ba902b7?from=10000',
    ]);
    expect(subtree.headers[0].get('accept')).toContain(
      COMPACT_TRACE_MEDIA_TYPE,
    );
  });

  it('calls the logs, log counts, tags, metrics, service graph and health endpoints', async () => {
    const logs = capture('/traces/:traceId/logs', {
      logs: [],
      start: '',
      end: '',
    });
    const counts = capture('/traces/:traceId/log-counts', { counts: {} });
    const tags = capture('/tags', { scopes: [] });
    const metrics = capture('/metrics/query_range', {
      query: 'q',
      start: 1,
      end: 2,
      series: [],
    });
    const graph: ServiceGraphResponse = {
      source: 'traces',
      sampledTraces: 3,
      start: 1,
      end: 2,
      nodes: [],
      edges: [],
    };
    const serviceGraph = capture('/service-graph', graph);
    const health = capture('/health', HEALTH);
    const client = createClient();

    await client.getLogs({
      traceId: 'abc',
      spanId: 'def',
      limit: 50,
      cursor: 'next',
      order: 'desc',
    });
    await client.getLogCounts({
      traceId: 'abc',
      entityRef: 'component:default/a',
    });
    await client.getTags({ scope: 'span', entityRef: 'component:default/a' });
    await client.queryMetrics({
      query: '{ } | rate()',
      start: 1,
      end: 2,
      step: '60s',
    });
    await expect(
      client.getServiceGraph({
        entityRef: 'component:default/a',
        start: 1,
        end: 2,
      }),
    ).resolves.toEqual(graph);
    await expect(client.health()).resolves.toEqual(HEALTH);

    expect(Object.fromEntries(logs.urls[0].searchParams)).toEqual({
      spanId: 'def',
      limit: '50',
      cursor: 'next',
      order: 'desc',
    });
    expect(counts.urls[0].pathname).toBe('/api/traces/traces/abc/log-counts');
    expect(Object.fromEntries(tags.urls[0].searchParams)).toEqual({
      scope: 'span',
      entityRef: 'component:default/a',
    });
    expect(Object.fromEntries(metrics.urls[0].searchParams)).toEqual({
      q: '{ } | rate()',
      start: '1',
      end: '2',
      step: '60s',
    });
    expect(serviceGraph.urls[0].searchParams.get('entityRef')).toBe(
      'component:default/a',
    );
    expect(health.urls).toHaveLength(1);
  });

  it('throws a ResponseError carrying the backend message and status', async () => {
    capture(
      '/search',
      {
        error: {
          name: 'ServiceUnavailableError',
          message: 'Tempo is unreachable',
        },
        response: { statusCode: 503 },
      },
      { status: 503 },
    );

    const error = await createClient()
      .searchTraces({ entityRef: 'component:default/a' })
      .catch(e => e);

    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(503);
    expect(error.body.error.message).toBe('Tempo is unreachable');
    expect(error.cause.message).toBe('Tempo is unreachable');
  });
});
