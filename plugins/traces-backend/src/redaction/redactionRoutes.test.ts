import { mockServices } from '@backstage/backend-test-utils';
import { COMPACT_TRACE_MEDIA_TYPE } from '@backstage-traces/plugin-traces-common';
import { http, HttpResponse } from 'msw';
import request from 'supertest';
import {
  jsonResponse,
  OPENSEARCH_URL,
  searchResponse,
} from '../__testUtils__/openSearchFixtures';
import {
  leakedSecrets,
  SECRET_TRACE_ID,
  SECRETS,
  secretTrace,
} from '../__testUtils__/secretTrace';
import { setupUpstreamServer } from '../__testUtils__/setupUpstreamServer';
import {
  startTracesBackend,
  TEMPO_URL,
} from '../__testUtils__/startTracesBackend';
import { encodeTraceByIdResponse } from '../__testUtils__/tempoProto';

/*
 * What the browser gets, channel by channel, for upstream answers full of secrets: the raw
 * HTTP body must not contain any of them (every planted secret contains `SECRET`).
 */

const PROMETHEUS_URL = 'http://prometheus.test:9090';
const TEMPO_TOKEN = 'tempo-api-token-7f3a';
const CONFIG = {
  traces: {
    tempo: {
      baseUrl: TEMPO_URL,
      auth: { username: 'tempo-user', password: 'tempo-pa55word' },
      headers: { 'X-Api-Key': TEMPO_TOKEN },
    },
    opensearch: {
      baseUrl: OPENSEARCH_URL,
      auth: { username: 'backstage', password: 'os-pa55word' },
    },
    largeTraces: { windowThreshold: 2, windowSpans: 2 },
    cache: { enabled: false },
  },
};
const BASIC = `Basic ${Buffer.from('tempo-user:tempo-pa55word').toString(
  'base64',
)}`;

const tempoJson = () => ({ trace: secretTrace('base64') });

/** A search hit whose matched spans, root name and services carry secrets. */
const searchBody = {
  traces: [
    {
      traceID: SECRET_TRACE_ID,
      rootServiceName: 'frontend',
      rootTraceName: SECRETS.spanName,
      startTimeUnixNano: '1795549350524064365',
      durationMs: 50,
      spanSets: [
        {
          matched: 1,
          spans: [
            {
              spanID: '5ec0000000000001',
              name: SECRETS.spanName,
              startTimeUnixNano: '1795549350524064365',
              durationNanos: '50000000',
              attributes: [
                {
                  key: 'http.request.header.authorization',
                  value: { stringValue: SECRETS.authorization },
                },
                {
                  key: 'url.full',
                  value: { stringValue: SECRETS.oauthCodeUrl },
                },
                {
                  key: 'db.statement',
                  value: { stringValue: SECRETS.sqlPassword },
                },
              ],
            },
          ],
        },
      ],
      serviceStats: { frontend: { spanCount: 1 } },
    },
  ],
};

describe('no secret reaches the browser', () => {
  const upstreams = setupUpstreamServer();
  let tagRequests: URL[];

  beforeEach(() => {
    tagRequests = [];
    upstreams.use(
      http.get(`${TEMPO_URL}/api/v2/traces/:id`, ({ request: req }) =>
        req.headers.get('accept') === 'application/protobuf'
          ? new HttpResponse(encodeTraceByIdResponse(tempoJson()), {
              headers: { 'Content-Type': 'application/protobuf' },
            })
          : HttpResponse.json(tempoJson()),
      ),
      http.get(`${TEMPO_URL}/api/search`, () => HttpResponse.json(searchBody)),
      http.get(
        `${TEMPO_URL}/api/v2/search/tag/:name/values`,
        ({ request: req, params }) => {
          const url = new URL(req.url);
          tagRequests.push(url);
          // Like Tempo for an ignored `q`: every service's values.
          const values: Record<string, string[]> = {
            'span.http.request.header.authorization': [
              SECRETS.authorization,
              'Bearer SECRET-billing-token',
            ],
            'span.url.full': [SECRETS.oauthCodeUrl],
            'resource.service.name': ['frontend', 'orders-api', 'billing'],
            'span.service.name': [],
          };
          const q = url.searchParams.get('q') ?? '';
          const list = (values[params.name as string] ?? []).filter(
            v => !q.includes('"frontend"') || !v.includes('billing'),
          );
          return HttpResponse.json({
            tagValues: list.map(value => ({ type: 'string', value })),
          });
        },
      ),
      http.get(`${TEMPO_URL}/api/metrics/query_range`, () =>
        HttpResponse.json({
          series: [
            {
              labels: [
                { key: 'name', value: { stringValue: SECRETS.spanName } },
                {
                  key: 'span.http.request.header.authorization',
                  value: { stringValue: SECRETS.authorization },
                },
              ],
              promLabels: `{name="${SECRETS.spanName}", span.http.request.header.authorization="${SECRETS.authorization}"}`,
              samples: [{ timestampMs: '1795549350000', value: 1 }],
            },
          ],
        }),
      ),
      http.post(`${OPENSEARCH_URL}/:index/_search`, () =>
        jsonResponse(
          searchResponse([
            {
              index: 'ss4o_logs-default-namespace',
              id: 'log-1',
              source: {
                '@timestamp': '2026-11-24T19:42:30.524Z',
                body: `login with ${SECRETS.statusMessage} and ${SECRETS.connectionString}`,
                attributes: {
                  'http.request.header.cookie': SECRETS.cookie,
                  'db.statement': SECRETS.sqlIdentified,
                },
                resource: { 'service.name': 'frontend' },
                severity: { text: 'ERROR', number: 17 },
                spanId: '5ec0000000000001',
                traceId: SECRET_TRACE_ID,
              },
              sort: [1, 'log-1'],
            },
          ]),
        ),
      ),
    );
  });

  it.each([
    ['the compact trace (Tempo protobuf)', COMPACT_TRACE_MEDIA_TYPE, {}],
    ['the plain JSON trace', 'application/json', {}],
  ])('in %s', async (_, accept) => {
    const app = await startTracesBackend({
      config: {
        traces: {
          ...CONFIG.traces,
          largeTraces: { windowThreshold: 100 },
        },
      },
    });
    const res = await request(app)
      .get(`/api/traces/traces/${SECRET_TRACE_ID}`)
      .set('Accept', accept);
    expect(res.status).toBe(200);
    expect(leakedSecrets(res.text)).toEqual([]);
    expect(res.text).toContain('[masked]');
  });

  it('in windows and subtrees of a large trace (compact)', async () => {
    const app = await startTracesBackend({ config: CONFIG });
    const first = await request(app)
      .get(`/api/traces/traces/${SECRET_TRACE_ID}`)
      .set('Accept', COMPACT_TRACE_MEDIA_TYPE);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.text).window).toBeDefined();
    const subtree = await request(app)
      .get(`/api/traces/traces/${SECRET_TRACE_ID}/subtree/5ec0000000000002`)
      .set('Accept', COMPACT_TRACE_MEDIA_TYPE);
    expect(subtree.status).toBe(200);
    expect(leakedSecrets(first.text + subtree.text)).toEqual([]);
  });

  it('in search results and their matched spans', async () => {
    const app = await startTracesBackend({ config: CONFIG });
    const res = await request(app).get('/api/traces/search');
    expect(res.status).toBe(200);
    expect(res.body.traces).toHaveLength(1);
    expect(leakedSecrets(res.text)).toEqual([]);
  });

  it('in tag values (autocomplete)', async () => {
    const app = await startTracesBackend({ config: CONFIG });
    const res = await request(app).get(
      '/api/traces/tags/span.http.request.header.authorization/values',
    );
    expect(res.status).toBe(200);
    expect(leakedSecrets(res.text)).toEqual([]);
    expect(res.body.values).toEqual([{ type: 'string', value: '[masked]' }]);
    const urls = await request(app).get('/api/traces/tags/url.full/values');
    expect(leakedSecrets(urls.text)).toEqual([]);
  });

  it('in tag values through an entity scope: only the entity’s services, scoped names', async () => {
    const app = await startTracesBackend({ config: CONFIG });
    const names = await request(app)
      .get('/api/traces/tags/service.name/values')
      .query({ entityRef: 'frontend' });
    expect(names.status).toBe(200);
    // The scope pins resource.service.name: answered from it, not from Tempo.
    expect(names.body.values).toEqual([{ type: 'string', value: 'frontend' }]);
    expect(tagRequests.map(url => url.pathname)).toEqual([
      '/api/v2/search/tag/span.service.name/values',
    ]);
    expect(tagRequests[0].searchParams.get('q')).toBe(
      '{ resource.service.name = "frontend" }',
    );

    tagRequests = [];
    const tokens = await request(app)
      .get('/api/traces/tags/http.request.header.authorization/values')
      .query({ entityRef: 'frontend' });
    expect(tokens.status).toBe(200);
    expect(tagRequests.map(url => url.pathname).sort()).toEqual([
      '/api/v2/search/tag/resource.http.request.header.authorization/values',
      '/api/v2/search/tag/span.http.request.header.authorization/values',
    ]);
    expect(leakedSecrets(tokens.text)).toEqual([]);
  });

  it.each([
    ['an unscoped attribute', '{ .http.route = "/x" }', /has no scope/],
    ['||', '{ span.a = "x" || span.b = "y" }', /joined with &&/],
    [
      'a value Tempo cannot read',
      '{ span.http.route = "/a b" }',
      /cannot apply/,
    ],
  ])(
    'refuses a tag filter with %s, which Tempo would ignore',
    async (_, q, message) => {
      const app = await startTracesBackend({ config: CONFIG });
      const res = await request(app)
        .get('/api/traces/tags/span.http.route/values')
        .query({ entityRef: 'frontend', q });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
      expect(tagRequests).toHaveLength(0);
    },
  );

  it('in TraceQL metrics series labels', async () => {
    const app = await startTracesBackend({ config: CONFIG });
    const res = await request(app)
      .get('/api/traces/metrics/query_range')
      .query({ q: '{ } | rate() by (name)' });
    expect(res.status).toBe(200);
    expect(leakedSecrets(res.text)).toEqual([]);
    expect(res.body.series[0].labels).toEqual({
      name: 'GET /login?password=[masked]',
      'span.http.request.header.authorization': '[masked]',
    });
  });

  it('in logs', async () => {
    const app = await startTracesBackend({ config: CONFIG });
    const res = await request(app)
      .get(`/api/traces/traces/${SECRET_TRACE_ID}/logs`)
      .query({ start: 1795549000, end: 1795549900 });
    expect(res.status).toBe(200);
    expect(res.body.logs).toHaveLength(1);
    expect(leakedSecrets(res.text)).toEqual([]);
  });

  it('in the service graph (node names from Prometheus labels)', async () => {
    upstreams.use(
      http.get(`${PROMETHEUS_URL}/api/v1/query`, () =>
        HttpResponse.json({
          status: 'success',
          data: {
            resultType: 'vector',
            result: [
              {
                metric: {
                  client: 'frontend',
                  server: SECRETS.connectionString,
                },
                value: [1795549450, '10'],
              },
            ],
          },
        }),
      ),
    );
    const app = await startTracesBackend({
      config: {
        traces: { ...CONFIG.traces, prometheus: { baseUrl: PROMETHEUS_URL } },
      },
    });
    const res = await request(app)
      .get('/api/traces/service-graph')
      .query({ entityRef: 'frontend' });
    expect(res.status).toBe(200);
    expect(res.body.nodes.map((n: { id: string }) => n.id)).toContain(
      'postgres://app:[masked]@db:5432/shop',
    );
    expect(leakedSecrets(res.text)).toEqual([]);
  });
});

describe('TraceQL that could read a masked value back is refused', () => {
  const upstreams = setupUpstreamServer();
  let asked: URL[];

  beforeEach(() => {
    asked = [];
    upstreams.use(
      http.get(`${TEMPO_URL}/*`, ({ request: req }) => {
        asked.push(new URL(req.url));
        return HttpResponse.json({});
      }),
    );
  });

  it.each([
    [
      'search: a regex on a sensitive attribute',
      '/api/traces/search',
      { q: '{ span.http.request.header.authorization =~ "Bearer a.*" }' },
      /may not use 'span.http.request.header.authorization'.*in a filter/,
    ],
    [
      'search: equality on a quoted sensitive name',
      '/api/traces/search',
      { q: '{ span."session.id" = "abc" }' },
      /its values are masked/,
    ],
    [
      'search: a regex on a span name',
      '/api/traces/search',
      { q: '{ name =~ ".*password=a.*" }' },
      /'name'.*with '=~'.*free text/,
    ],
    [
      'search: ordering a URL',
      '/api/traces/search',
      { q: '{ span.url.full > "https://x/?code=m" }' },
      /with '>'/,
    ],
    [
      'search: aggregating a sensitive attribute',
      '/api/traces/search',
      { q: '{ } | max(span.db.password) > 1' },
      /in an aggregate/,
    ],
    [
      'metrics: grouping by a sensitive attribute',
      '/api/traces/metrics/query_range',
      { q: '{ } | rate() by (span.http.request.header.authorization)' },
      /to group by/,
    ],
    [
      'metrics: filtering on a sensitive attribute inside a pipeline',
      '/api/traces/metrics/query_range',
      { q: '{ resource.x = 1 } >> { .api_key = "k" } | rate()' },
      /'.api_key'/,
    ],
    [
      'tag values: a filter on a sensitive attribute',
      '/api/traces/tags/span.http.route/values',
      { q: '{ span.http.request.header.cookie = "session=a" }' },
      /'span.http.request.header.cookie'/,
    ],
    [
      'tag values: a regex on free text',
      '/api/traces/tags/span.http.route/values',
      { q: '{ statusMessage =~ "Bearer a.*" }' },
      /'statusMessage' .*with '=~'/,
    ],
  ])('%s', async (_, path, query, message) => {
    const app = await startTracesBackend({ config: CONFIG });
    const res = await request(app).get(path).query(query);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    expect(asked).toHaveLength(0);
  });

  it.each([
    '{ span.http.request.header.authorization != nil }',
    '{ } | select(span.http.request.header.authorization)',
    '{ name = "GET /login" && span.http.route =~ "/api/.*" }',
  ])('allows %s', async q => {
    const app = await startTracesBackend({ config: CONFIG });
    upstreams.use(
      http.get(`${TEMPO_URL}/api/search`, () =>
        HttpResponse.json({ traces: [] }),
      ),
    );
    const res = await request(app).get('/api/traces/search').query({ q });
    expect(res.status).toBe(200);
  });
});

describe('an upstream that echoes the request', () => {
  const upstreams = setupUpstreamServer();

  it.each([400, 500, 503])(
    'has its HTTP %i text scrubbed of the configured credentials in answers and logs',
    async status => {
      upstreams.use(
        http.get(`${TEMPO_URL}/api/search`, ({ request: req }) =>
          HttpResponse.text(
            `bad request; echo: authorization=${req.headers.get(
              'authorization',
            )} x-api-key=${req.headers.get('x-api-key')} token ${Buffer.from(
              TEMPO_TOKEN,
            ).toString('base64')} password tempo-pa55word`,
            { status },
          ),
        ),
      );
      const logger = mockServices.logger.mock();
      const app = await startTracesBackend({
        config: CONFIG,
        extraFeatures: [logger.factory],
      });
      const res = await request(app).get('/api/traces/search');
      expect(res.status).toBeGreaterThanOrEqual(400);
      const logged = JSON.stringify([
        ...logger.error.mock.calls,
        ...logger.warn.mock.calls,
        ...logger.info.mock.calls,
        ...logger.debug.mock.calls,
      ]);
      for (const text of [res.text, logged]) {
        expect(text).not.toContain(BASIC.slice(6));
        expect(text).not.toContain(TEMPO_TOKEN);
        expect(text).not.toContain(Buffer.from(TEMPO_TOKEN).toString('base64'));
        expect(text).not.toContain('tempo-pa55word');
      }
      expect(res.text).toContain('[masked]');
    },
  );
});
