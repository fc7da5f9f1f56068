import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { http, HttpResponse } from 'msw';
import request from 'supertest';
import {
  jsonResponse,
  OPENSEARCH_URL,
  searchResponse,
  SPANS,
  SS4O_LOGS,
  TEXT_FIELD_AGGREGATION_ERROR,
  TRACE_ID,
} from '../../__testUtils__/openSearchFixtures';
import { setupUpstreamServer } from '../../__testUtils__/setupUpstreamServer';
import {
  startTracesBackend,
  TEMPO_URL,
} from '../../__testUtils__/startTracesBackend';
import { fixtureResponse } from '../../__testUtils__/tempoFixtures';
import { neverAnswers } from '../../__testUtils__/neverAnswers';

const OPENSEARCH_PASSWORD = 'os-s3cr3t-pass';
const CONFIG = {
  traces: {
    tempo: { baseUrl: TEMPO_URL },
    opensearch: {
      baseUrl: OPENSEARCH_URL,
      auth: { username: 'backstage', password: OPENSEARCH_PASSWORD },
    },
  },
};

/** The Tempo fixture's trace spans 19:42:30.524064365 to 19:42:30.644064365; ±5 minutes. */
const TRACE_WINDOW = {
  gte: '2026-11-24T19:37:30.524Z',
  lte: '2026-11-24T19:47:30.645Z',
};

interface Sent {
  path: string;
  text: string;
  body: any;
  authorization: string | null;
}

describe('log routes', () => {
  const upstreams = setupUpstreamServer();
  let searches: Sent[];
  let tempoAsked: URL[];
  let tempoTenants: Array<string | null>;

  /** Tempo knows the fixture trace only; OpenSearch answers `_search` calls in turn. */
  function upstreamsAnswer(
    ...responses: Array<() => Response | Promise<Response>>
  ) {
    searches = [];
    tempoAsked = [];
    tempoTenants = [];
    upstreams.use(
      http.get(`${TEMPO_URL}/api/v2/traces/:id`, ({ request: req, params }) => {
        tempoAsked.push(new URL(req.url));
        tempoTenants.push(req.headers.get('x-scope-orgid'));
        return params.id === TRACE_ID
          ? fixtureResponse('trace-v2.json')
          : fixtureResponse('trace-v2-not-found.txt');
      }),
      http.post(
        `${OPENSEARCH_URL}/:index/_search`,
        async ({ request: req }) => {
          const text = await req.text();
          searches.push({
            path: decodeURIComponent(new URL(req.url).pathname),
            text,
            body: JSON.parse(text),
            authorization: req.headers.get('authorization'),
          });
          return responses[
            Math.min(searches.length - 1, responses.length - 1)
          ]();
        },
      ),
    );
  }

  const logsOf = (traceId = TRACE_ID) => `/api/traces/traces/${traceId}/logs`;

  describe('GET /traces/:traceId/logs', () => {
    it('searches the trace’s window from Tempo plus the margin, for an entity of the trace', async () => {
      upstreamsAnswer(() => jsonResponse(searchResponse(SS4O_LOGS)));
      const app = await startTracesBackend({ config: CONFIG });
      const res = await request(app)
        .get(logsOf())
        .query({ entityRef: 'component:default/frontend' });

      expect(res.status).toBe(200);
      expect(tempoAsked).toHaveLength(1);
      expect(tempoAsked[0].pathname).toBe(`/api/v2/traces/${TRACE_ID}`);
      expect(searches).toHaveLength(1);
      expect(searches[0].path).toBe(
        '/ss4o_logs-*,otel-v1-logs*,logs-*/_search',
      );
      expect(searches[0].authorization).toBe(
        `Basic ${Buffer.from(`backstage:${OPENSEARCH_PASSWORD}`).toString(
          'base64',
        )}`,
      );
      expect(searches[0].body).toEqual({
        size: 101,
        track_total_hits: true,
        query: {
          bool: {
            filter: [
              { term: { traceId: TRACE_ID } },
              {
                range: {
                  '@timestamp': {
                    ...TRACE_WINDOW,
                    format: 'strict_date_optional_time',
                  },
                },
              },
            ],
          },
        },
        sort: [
          {
            '@timestamp': {
              order: 'asc',
              numeric_type: 'date_nanos',
              unmapped_type: 'date',
            },
          },
          { _id: { order: 'asc' } },
        ],
      });
      expect(res.body.start).toBe(TRACE_WINDOW.gte);
      expect(res.body.end).toBe(TRACE_WINDOW.lte);
      expect(res.body.total).toBe(4);
      expect(res.body.nextCursor).toBeUndefined();
      expect(res.body.logs).toHaveLength(4);
      expect(res.body.logs[0]).toMatchObject({
        id: 'ZH9lkpYBxk1Bj3uB0iBd',
        timestamp: '2026-11-24T19:42:30.524064365Z',
        severity: 'INFO',
        severityNumber: 9,
        message: 'GET /api/orders/42 received',
        serviceName: 'frontend',
        traceId: TRACE_ID,
        spanId: SPANS.frontendServer,
      });
    });

    it('masks secrets in log fields', async () => {
      upstreamsAnswer(() =>
        jsonResponse(searchResponse(SS4O_LOGS.slice(0, 1))),
      );
      const app = await startTracesBackend({ config: CONFIG });
      const res = await request(app)
        .get(logsOf())
        .query({ entityRef: 'frontend' });
      expect(res.status).toBe(200);
      expect(
        res.body.logs[0].fields['attributes.http.request.header.authorization'],
      ).toBe('[masked]');
      expect(res.body.logs[0].fields['attributes.http.request.method']).toBe(
        'GET',
      );
      expect(res.body.logs[0].redactedKeys).toEqual([
        'attributes.http.request.header.authorization',
      ]);
      expect(res.text).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    });

    it('pages with the cursor, keeping the window and the nanosecond sort values', async () => {
      const [first, second, third, fourth] = SS4O_LOGS;
      upstreamsAnswer(
        () => jsonResponse(searchResponse([first, second, third], 4)),
        () => jsonResponse(searchResponse([third, fourth], 4)),
      );
      const app = await startTracesBackend({ config: CONFIG });

      const page1 = await request(app).get(logsOf()).query({ limit: 2 });
      expect(page1.status).toBe(200);
      expect(page1.body.logs.map((log: { id: string }) => log.id)).toEqual([
        first.id,
        second.id,
      ]);
      expect(page1.body.nextCursor).toEqual(expect.any(String));

      const page2 = await request(app)
        .get(logsOf())
        .query({ limit: 2, cursor: page1.body.nextCursor });
      expect(page2.status).toBe(200);
      expect(page2.body.logs.map((log: { id: string }) => log.id)).toEqual([
        third.id,
        fourth.id,
      ]);
      expect(page2.body.nextCursor).toBeUndefined();
      expect(page2.body.start).toBe(TRACE_WINDOW.gte);

      // The second page reuses the first page's window: Tempo is not asked again.
      expect(tempoAsked).toHaveLength(1);
      expect(searches[1].text).toContain(
        '"search_after":[1795549350535164207,"aX9lkpYBxk1Bj3uB0iBe"]',
      );
      expect(searches[1].body.query).toEqual(searches[0].body.query);
    });

    it('uses a given range, a span filter and descending order without asking Tempo', async () => {
      upstreamsAnswer(() =>
        jsonResponse(searchResponse([SS4O_LOGS[3], SS4O_LOGS[0]])),
      );
      const app = await startTracesBackend({ config: CONFIG });
      const res = await request(app).get(logsOf(TRACE_ID.toUpperCase())).query({
        spanId: SPANS.frontendServer.toUpperCase(),
        start: '1795549300.5',
        end: '1795549400',
        order: 'desc',
        limit: '10',
      });
      expect(res.status).toBe(200);
      expect(tempoAsked).toHaveLength(0);
      expect(searches[0].body.size).toBe(11);
      expect(searches[0].body.query.bool.filter).toEqual([
        { term: { traceId: TRACE_ID } },
        { term: { spanId: SPANS.frontendServer } },
        {
          range: {
            '@timestamp': {
              gte: '2026-11-24T19:41:40.500Z',
              lte: '2026-11-24T19:43:20.000Z',
              format: 'strict_date_optional_time',
            },
          },
        },
      ]);
      expect(searches[0].body.sort[0]['@timestamp'].order).toBe('desc');
      expect(
        res.body.logs.map((log: { severity: string }) => log.severity),
      ).toEqual(['ERROR', 'INFO']);
    });

    it.each([
      [{ spanId: 'xyz' }, /'spanId': must be 16 hexadecimal characters/],
      [
        { limit: '0' },
        /'limit': must be between 1 and 500 \(traces.opensearch.maxResults\)/,
      ],
      [{ limit: '501' }, /'limit': must be between 1 and 500/],
      [{ order: 'newest' }, /'order'/],
      [{ start: '1795549300' }, /Give both 'start' and 'end'/],
      [
        { start: '1795549400', end: '1795549300' },
        /'start' \(1795549400\) must be before 'end'/,
      ],
      [{ start: '1700000000', end: '1795549300' }, /the most allowed is 168 h/],
      [
        { start: '1795549300000', end: '1795549400000' },
        /looks like milliseconds/,
      ],
      [{ cursor: 'bm90LWEtY3Vyc29y' }, /Invalid 'cursor'/],
    ])('answers 400 for %j without asking anyone', async (query, message) => {
      upstreamsAnswer(() => jsonResponse(searchResponse([])));
      const app = await startTracesBackend({ config: CONFIG });
      const res = await request(app).get(logsOf()).query(query);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
      expect(searches).toHaveLength(0);
      expect(tempoAsked).toHaveLength(0);
    });

    it('answers 400 for a malformed trace ID', async () => {
      upstreamsAnswer(() => jsonResponse(searchResponse([])));
      const app = await startTracesBackend({ config: CONFIG });
      const res = await request(app).get('/api/traces/traces/not-a-trace/logs');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(
        /expected 1 to 32 hexadecimal characters/,
      );
    });

    it('rejects a cursor used with a different query', async () => {
      upstreamsAnswer(() =>
        jsonResponse(searchResponse(SS4O_LOGS.slice(0, 2), 4)),
      );
      const app = await startTracesBackend({ config: CONFIG });
      const page1 = await request(app).get(logsOf()).query({ limit: 1 });
      const res = await request(app)
        .get(logsOf())
        .query({ limit: 1, cursor: page1.body.nextCursor, order: 'desc' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/belongs to a different query/);
      expect(searches).toHaveLength(1);
    });

    it('asks for a range when Tempo cannot give the trace’s window', async () => {
      upstreamsAnswer(() => jsonResponse(searchResponse([])));
      const app = await startTracesBackend({ config: CONFIG });
      const unknown = await request(app).get(
        logsOf('0123456789abcdef0123456789abcdef'),
      );
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toBe(
        "The time window of trace 0123456789abcdef0123456789abcdef is unknown (it was not found in Tempo); pass 'start' and 'end' (epoch seconds) to search its logs",
      );

      upstreams.use(
        http.get(`${TEMPO_URL}/api/v2/traces/:id`, () => HttpResponse.error()),
      );
      const down = await request(app).get(logsOf());
      expect(down.status).toBe(400);
      expect(down.body.error.message).toMatch(
        /is unknown \(Tempo: cannot reach http:\/\/tempo\.test:3200.*\); pass 'start' and 'end'/,
      );

      const noTempo = await startTracesBackend({
        config: { traces: { opensearch: CONFIG.traces.opensearch } },
      });
      const unconfigured = await request(noTempo).get(logsOf());
      expect(unconfigured.status).toBe(400);
      expect(unconfigured.body.error.message).toMatch(
        /not found in Embedded store\); pass 'start' and 'end'/,
      );
      const withRange = await request(noTempo)
        .get(logsOf())
        .query({ start: '1795549300', end: '1795549400' });
      expect(withRange.status).toBe(200);
      expect(searches).toHaveLength(1);
    });

    it('reads logs in an entity only for traces that include its services', async () => {
      upstreamsAnswer(() => jsonResponse(searchResponse([])));
      const app = await startTracesBackend({ config: CONFIG });
      const foreign = await request(app).get(logsOf()).query({
        entityRef: 'billing',
        start: '1795549300',
        end: '1795549400',
      });
      expect(foreign.status).toBe(403);
      expect(foreign.body.error.message).toBe(
        "Trace 4bf92f3577b34da6a3ce929d0e0e4736 has no spans of component:default/billing's services (billing)",
      );
      // The given range is passed to Tempo as a hint, in whole seconds.
      expect(tempoAsked[0].searchParams.get('start')).toBe('1795549300');
      expect(tempoAsked[0].searchParams.get('end')).toBe('1795549400');

      const unknown = await request(app)
        .get(logsOf('0123456789abcdef0123456789abcdef'))
        .query({ entityRef: 'frontend' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toMatch(/was not found in Tempo/);
      expect(searches).toHaveLength(0);
    });

    it('needs traces.query outside an entity', async () => {
      upstreamsAnswer(() => jsonResponse(searchResponse([])));
      const authorize = jest.fn(
        async (requests: Array<{ permission: { name: string } }>) =>
          requests.map(r => ({
            result:
              r.permission.name === 'traces.query'
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
      );
      const app = await startTracesBackend({
        config: CONFIG,
        extraFeatures: [
          mockServices.permissions.mock({ authorize } as any).factory,
        ],
      });
      const res = await request(app)
        .get(logsOf())
        .query({ start: '1795549300', end: '1795549400' });
      expect(res.status).toBe(403);
      expect(searches).toHaveLength(0);
      const inEntity = await request(app)
        .get(logsOf())
        .query({ entityRef: 'frontend' });
      expect(inEntity.status).toBe(200);
    });

    it('answers 503 naming the setting while OpenSearch is not configured; traces still work', async () => {
      upstreamsAnswer(() => jsonResponse(searchResponse([])));
      const app = await startTracesBackend({
        config: { traces: { tempo: { baseUrl: TEMPO_URL } } },
      });
      const logs = await request(app)
        .get(logsOf())
        .query({ entityRef: 'frontend' });
      expect(logs.status).toBe(503);
      expect(logs.body.error.message).toBe(
        'OpenSearch is not configured: set traces.opensearch.baseUrl (app-config.yaml reads it from OPENSEARCH_URL) to see the logs of traces',
      );
      const counts = await request(app)
        .get(`/api/traces/traces/${TRACE_ID}/log-counts`)
        .query({ entityRef: 'frontend' });
      expect(counts.status).toBe(503);
      const trace = await request(app).get(`/api/traces/traces/${TRACE_ID}`);
      expect(trace.status).toBe(200);
    });

    it.each([
      [
        503,
        () => HttpResponse.error(),
        /^OpenSearch: cannot reach http:\/\/opensearch\.test:9200/,
      ],
      [
        502,
        () => jsonResponse(TEXT_FIELD_AGGREGATION_ERROR, 400),
        /^OpenSearch: searching logs was rejected \(HTTP 400: search_phase_execution_exception: all shards failed \(caused by illegal_argument_exception: Text fields/,
      ],
      [
        502,
        () =>
          jsonResponse(
            {
              error: {
                type: 'security_exception',
                reason:
                  'missing authentication credentials for REST request [/_search]',
              },
              status: 401,
            },
            401,
          ),
        /^OpenSearch: refused the plugin's credentials \(HTTP 401: security_exception: missing authentication credentials/,
      ],
    ])(
      'maps OpenSearch failure #%# to %i naming OpenSearch, without credentials',
      async (status, response, message) => {
        upstreamsAnswer(response);
        const app = await startTracesBackend({ config: CONFIG });
        const res = await request(app)
          .get(logsOf())
          .query({ entityRef: 'frontend' });
        expect(res.status).toBe(status);
        expect(res.body.error.message).toMatch(message);
        expect(res.text).not.toContain(OPENSEARCH_PASSWORD);
        expect(res.text).not.toContain(
          Buffer.from(`backstage:${OPENSEARCH_PASSWORD}`).toString('base64'),
        );
        expect(res.body.error.stack).toBeUndefined();
        // Trace reads do not depend on OpenSearch.
        await request(app).get(`/api/traces/traces/${TRACE_ID}`).expect(200);
      },
    );

    it('answers 504 when OpenSearch is too slow', async () => {
      upstreamsAnswer(() => jsonResponse(searchResponse([])));
      upstreams.use(
        http.post(`${OPENSEARCH_URL}/:index/_search`, neverAnswers),
      );
      const app = await startTracesBackend({
        config: {
          traces: {
            ...CONFIG.traces,
            opensearch: { ...CONFIG.traces.opensearch, timeout: '200ms' },
          },
        },
      });
      const res = await request(app)
        .get(logsOf())
        .query({ entityRef: 'frontend' });
      expect(res.status).toBe(504);
      expect(res.body.error.message).toBe(
        'OpenSearch: no answer within 200 ms from http://opensearch.test:9200',
      );
    });
  });

  describe('GET /traces/:traceId/log-counts', () => {
    it('answers per-span counts and highest severities from one aggregation', async () => {
      upstreamsAnswer(() =>
        jsonResponse({
          took: 5,
          timed_out: false,
          _shards: { total: 3, successful: 3, skipped: 0, failed: 0 },
          hits: {
            total: { value: 4, relation: 'eq' },
            max_score: null,
            hits: [],
          },
          aggregations: {
            spans: {
              doc_count_error_upper_bound: 0,
              sum_other_doc_count: 0,
              buckets: [
                {
                  key: SPANS.frontendServer,
                  doc_count: 2,
                  max_severity: { value: 17.0 },
                },
                {
                  key: SPANS.ordersServer,
                  doc_count: 1,
                  max_severity: { value: 5.0 },
                },
                {
                  key: SPANS.ordersDb,
                  doc_count: 1,
                  max_severity: { value: 17.0 },
                },
              ],
            },
          },
        }),
      );
      const app = await startTracesBackend({ config: CONFIG });
      const res = await request(app)
        .get(`/api/traces/traces/${TRACE_ID}/log-counts`)
        .query({ entityRef: 'orders-api' });

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        counts: {
          [SPANS.frontendServer]: { count: 2, highestSeverity: 'ERROR' },
          [SPANS.ordersServer]: { count: 1, highestSeverity: 'DEBUG' },
          [SPANS.ordersDb]: { count: 1, highestSeverity: 'ERROR' },
        },
      });
      // The trace is read with orders-api's tenant annotation.
      expect(tempoAsked).toHaveLength(1);
      expect(tempoTenants).toEqual(['team-shop']);
      expect(searches[0].body).toEqual({
        size: 0,
        track_total_hits: true,
        query: {
          bool: {
            filter: [
              { term: { traceId: TRACE_ID } },
              {
                range: {
                  '@timestamp': {
                    ...TRACE_WINDOW,
                    format: 'strict_date_optional_time',
                  },
                },
              },
            ],
          },
        },
        aggs: {
          spans: {
            terms: { field: 'spanId', size: 10000 },
            aggs: { max_severity: { max: { field: 'severity.number' } } },
          },
        },
      });
    });

    it('validates its range like the logs route', async () => {
      upstreamsAnswer(() => jsonResponse(searchResponse([])));
      const app = await startTracesBackend({ config: CONFIG });
      const res = await request(app)
        .get(`/api/traces/traces/${TRACE_ID}/log-counts`)
        .query({ end: '1795549400' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/Give both 'start' and 'end'/);
    });
  });

  describe('GET /health', () => {
    it('reports OpenSearch as disabled with the setting to add', async () => {
      upstreams.use(
        http.get(`${TEMPO_URL}/ready`, () => fixtureResponse('ready.txt')),
        http.get(`${TEMPO_URL}/api/status/buildinfo`, () =>
          fixtureResponse('buildinfo.json'),
        ),
      );
      const app = await startTracesBackend({
        config: { traces: { tempo: { baseUrl: TEMPO_URL } } },
      });
      const res = await request(app).get('/api/traces/health');
      expect(res.status).toBe(200);
      expect(res.body.logs).toEqual({
        store: 'OpenSearch',
        status: 'disabled',
        message: expect.stringMatching(
          /set traces\.opensearch\.baseUrl .*OPENSEARCH_URL/,
        ),
      });
      expect(res.body.traces.status).toBe('ok');
    });

    it('reports the version when OpenSearch answers', async () => {
      upstreamsAnswer(() => jsonResponse(searchResponse([], 0)));
      upstreams.use(
        http.get(`${TEMPO_URL}/ready`, () => fixtureResponse('ready.txt')),
        http.get(`${TEMPO_URL}/api/status/buildinfo`, () =>
          fixtureResponse('buildinfo.json'),
        ),
        http.get(`${OPENSEARCH_URL}/`, () =>
          jsonResponse({
            name: 'opensearch-node1',
            cluster_name: 'logs',
            version: { distribution: 'opensearch', number: '2.19.1' },
            tagline: 'The OpenSearch Project: https://opensearch.org/',
          }),
        ),
      );
      const app = await startTracesBackend({ config: CONFIG });
      const res = await request(app).get('/api/traces/health');
      expect(res.status).toBe(200);
      expect(res.body.logs).toEqual({
        store: 'OpenSearch',
        status: 'ok',
        version: '2.19.1',
        url: OPENSEARCH_URL,
      });
    });

    it('reports OpenSearch down with the reason, Tempo unaffected', async () => {
      upstreamsAnswer(() =>
        jsonResponse(
          {
            error: {
              type: 'security_exception',
              reason: 'no permissions for [indices:data/read/search]',
            },
            status: 403,
          },
          403,
        ),
      );
      upstreams.use(
        http.get(`${TEMPO_URL}/ready`, () => fixtureResponse('ready.txt')),
        http.get(`${TEMPO_URL}/api/status/buildinfo`, () =>
          fixtureResponse('buildinfo.json'),
        ),
        http.get(`${OPENSEARCH_URL}/`, () => HttpResponse.error()),
      );
      const app = await startTracesBackend({ config: CONFIG });
      const res = await request(app).get('/api/traces/health');
      expect(res.status).toBe(200);
      expect(res.body.traces.status).toBe('ok');
      expect(res.body.logs).toEqual({
        store: 'OpenSearch',
        status: 'down',
        message: expect.stringMatching(
          /^OpenSearch: refused the plugin's credentials \(HTTP 403/,
        ),
        url: OPENSEARCH_URL,
      });
      expect(res.text).not.toContain(OPENSEARCH_PASSWORD);
    });
  });
});
