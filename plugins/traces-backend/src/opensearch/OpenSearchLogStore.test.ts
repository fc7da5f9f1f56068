import { createHash } from 'node:crypto';
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  APP_LOG,
  DATA_PREPPER_LOG,
  INDEX_NOT_FOUND,
  jsonResponse,
  OPENSEARCH_URL,
  searchResponse,
  SPANS,
  SS4O_LOGS,
  TEXT_FIELD_AGGREGATION_ERROR,
  TRACE_ID,
} from '../__testUtils__/openSearchFixtures';
import { startStallingServer } from '../__testUtils__/stallingServer';
import { readOpenSearchOptions } from './config';
import { OpenSearchLogStore } from './OpenSearchLogStore';
import { neverAnswers } from '../__testUtils__/neverAnswers';

interface SentRequest {
  method: string;
  path: string;
  search: URLSearchParams;
  headers: Headers;
  /** The body exactly as sent, to check long numerals digit for digit. */
  text: string;
}

// 2026-11-24T19:37:30.524Z .. 19:47:30.645Z: the trace's window plus 5 minutes.
const WINDOW = { start: 1795549050524, end: 1795549650645 };

describe('OpenSearchLogStore', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  let sent: SentRequest[];

  /** Answers `_search` calls in turn with the given responses. */
  function searchAnswers(
    ...responses: Array<() => Response | Promise<Response>>
  ) {
    sent = [];
    server.use(
      http.post(`${OPENSEARCH_URL}/:index/_search`, async ({ request }) => {
        const url = new URL(request.url);
        sent.push({
          method: request.method,
          path: decodeURIComponent(url.pathname),
          search: url.searchParams,
          headers: request.headers,
          text: await request.text(),
        });
        const next = responses[Math.min(sent.length - 1, responses.length - 1)];
        return next();
      }),
    );
  }

  function store(opensearch: object = {}, limits: object = {}) {
    const options = readOpenSearchOptions(
      new ConfigReader({
        traces: {
          opensearch: { baseUrl: OPENSEARCH_URL, ...opensearch },
          limits,
        },
      }),
    )!;
    return new OpenSearchLogStore(options, mockServices.logger.mock());
  }

  describe('getLogs', () => {
    it('sends a filtered, sorted search and maps ss4o documents', async () => {
      searchAnswers(() => jsonResponse(searchResponse(SS4O_LOGS)));
      const page = await store().getLogs({
        traceId: TRACE_ID,
        window: WINDOW,
        limit: 10,
        order: 'asc',
      });

      expect(sent).toHaveLength(1);
      expect(sent[0].method).toBe('POST');
      expect(sent[0].path).toBe('/ss4o_logs-*,otel-v1-logs*,logs-*/_search');
      expect(sent[0].headers.get('content-type')).toMatch(/^application\/json/);
      expect(JSON.parse(sent[0].text)).toEqual({
        size: 11,
        track_total_hits: true,
        query: {
          bool: {
            filter: [
              { term: { traceId: TRACE_ID } },
              {
                range: {
                  '@timestamp': {
                    gte: '2026-11-24T19:37:30.524Z',
                    lte: '2026-11-24T19:47:30.645Z',
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

      expect(page.total).toBe(4);
      expect(page.nextCursor).toBeUndefined();
      expect(page.start).toBe('2026-11-24T19:37:30.524Z');
      expect(page.end).toBe('2026-11-24T19:47:30.645Z');
      expect(page.logs.map(log => log.id)).toEqual(
        SS4O_LOGS.map(hit => hit.id),
      );
      expect(page.logs[0]).toEqual({
        id: 'ZH9lkpYBxk1Bj3uB0iBd',
        // From the nanosecond sort value, digit for digit.
        timestamp: '2026-11-24T19:42:30.524064365Z',
        severity: 'INFO',
        severityNumber: 9,
        message: 'GET /api/orders/42 received',
        serviceName: 'frontend',
        traceId: TRACE_ID,
        spanId: SPANS.frontendServer,
        fields: {
          observedTimestamp: '2026-11-24T19:42:30.524064365Z',
          'attributes.http.request.method': 'GET',
          'attributes.http.request.header.authorization':
            'Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.sig',
          'instrumentationScope.name': '@opentelemetry/instrumentation-pino',
          'resource.service.namespace': 'shop',
          'resource.k8s.pod.name': 'frontend-7d9c6b5f4-x2x8q',
        },
      });
      expect(page.logs[1].timestamp).toBe('2026-11-24T19:42:30.535164207Z');
      expect(page.logs[2]).toMatchObject({
        severity: 'ERROR',
        serviceName: 'orders-api',
        spanId: SPANS.ordersDb,
        fields: { 'attributes.db.system': 'postgresql' },
      });
    });

    it('pages with search_after, sending the nanosecond sort values back unrounded', async () => {
      const [first, second, third, fourth] = SS4O_LOGS;
      searchAnswers(
        () => jsonResponse(searchResponse([first, second, third], 4)),
        () => jsonResponse(searchResponse([third, fourth], 4)),
      );
      const logStore = store();
      const params = {
        traceId: TRACE_ID,
        window: WINDOW,
        limit: 2,
        order: 'asc' as const,
      };

      const page1 = await logStore.getLogs(params);
      expect(page1.logs.map(log => log.id)).toEqual([first.id, second.id]);
      expect(page1.total).toBe(4);
      expect(page1.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(JSON.parse(sent[0].text).size).toBe(3);
      expect(JSON.parse(sent[0].text).search_after).toBeUndefined();

      const page2 = await logStore.getLogs({
        ...params,
        cursor: page1.nextCursor,
      });
      expect(page2.logs.map(log => log.id)).toEqual([third.id, fourth.id]);
      expect(page2.nextCursor).toBeUndefined();
      // 1795549350535164207 is not a double: any detour through Number changes its digits.
      expect(Number('1795549350535164207').toString()).not.toBe(
        '1795549350535164207',
      );
      expect(sent[1].text).toContain(
        '"search_after":[1795549350535164207,"aX9lkpYBxk1Bj3uB0iBe"]',
      );
      const { search_after: _after, ...rest } = JSON.parse(sent[1].text);
      const { search_after: _none, ...firstRest } = JSON.parse(sent[0].text);
      expect(rest).toEqual(firstRest);
    });

    it('keeps 1795549350524064365 exact from answer to cursor to the next request', async () => {
      searchAnswers(
        () => jsonResponse(searchResponse(SS4O_LOGS.slice(0, 2), 4)),
        () => jsonResponse(searchResponse([], 4)),
      );
      const logStore = store();
      const params = {
        traceId: TRACE_ID,
        window: WINDOW,
        limit: 1,
        order: 'asc' as const,
      };
      const page1 = await logStore.getLogs(params);
      expect(page1.logs[0].timestamp).toBe('2026-11-24T19:42:30.524064365Z');
      await logStore.getLogs({ ...params, cursor: page1.nextCursor });
      expect(sent[1].text).toContain(
        '"search_after":[1795549350524064365,"ZH9lkpYBxk1Bj3uB0iBd"]',
      );
    });

    it('filters on the span and sorts newest first', async () => {
      searchAnswers(() =>
        jsonResponse(searchResponse([SS4O_LOGS[3], SS4O_LOGS[0]])),
      );
      const page = await store().getLogs({
        traceId: TRACE_ID,
        spanId: SPANS.frontendServer,
        window: WINDOW,
        limit: 50,
        order: 'desc',
      });
      const body = JSON.parse(sent[0].text);
      expect(body.query.bool.filter.slice(0, 2)).toEqual([
        { term: { traceId: TRACE_ID } },
        { term: { spanId: SPANS.frontendServer } },
      ]);
      expect(body.sort).toEqual([
        {
          '@timestamp': {
            order: 'desc',
            numeric_type: 'date_nanos',
            unmapped_type: 'date',
          },
        },
        { _id: { order: 'desc' } },
      ]);
      expect(page.logs.map(log => log.severity)).toEqual(['ERROR', 'INFO']);
    });

    it('rejects a cursor of another query', async () => {
      searchAnswers(() =>
        jsonResponse(searchResponse(SS4O_LOGS.slice(0, 2), 4)),
      );
      const logStore = store();
      const params = {
        traceId: TRACE_ID,
        window: WINDOW,
        limit: 1,
        order: 'asc' as const,
      };
      const { nextCursor } = await logStore.getLogs(params);
      await expect(
        logStore.getLogs({ ...params, order: 'desc', cursor: nextCursor }),
      ).rejects.toThrow(/belongs to a different query/);
      await expect(
        logStore.getLogs({
          ...params,
          spanId: SPANS.ordersDb,
          cursor: nextCursor,
        }),
      ).rejects.toThrow(/belongs to a different query/);
      expect(sent).toHaveLength(1);
    });

    it('continues in the window its cursor carries when the request has none', async () => {
      searchAnswers(() =>
        jsonResponse(searchResponse(SS4O_LOGS.slice(0, 2), 4)),
      );
      const logStore = store();
      const params = {
        traceId: TRACE_ID,
        window: WINDOW,
        limit: 1,
        order: 'asc' as const,
      };
      const { nextCursor } = await logStore.getLogs(params);
      const page = await logStore.getLogs({
        ...params,
        window: undefined,
        cursor: nextCursor,
      });
      expect(JSON.parse(sent[1].text).query).toEqual(
        JSON.parse(sent[0].text).query,
      );
      expect(page.start).toBe(new Date(WINDOW.start).toISOString());
      expect(page.end).toBe(new Date(WINDOW.end).toISOString());
    });

    it('refuses a first page without a window', async () => {
      searchAnswers(() => jsonResponse(searchResponse([], 0)));
      await expect(
        store().getLogs({ traceId: TRACE_ID, limit: 1, order: 'asc' }),
      ).rejects.toThrow(/needs a time window/);
      expect(sent).toHaveLength(0);
    });

    it('reads Data Prepper documents with their field names', async () => {
      searchAnswers(() => jsonResponse(searchResponse([DATA_PREPPER_LOG])));
      const page = await store({
        index: 'logs-otel-v1-*',
        fields: {
          timestamp: 'time',
          severity: 'severityText',
          severityNumber: 'severityNumber',
          service: 'serviceName',
        },
      }).getLogs({
        traceId: TRACE_ID,
        window: WINDOW,
        limit: 10,
        order: 'asc',
      });

      expect(sent[0].path).toBe('/logs-otel-v1-*/_search');
      const body = JSON.parse(sent[0].text);
      expect(body.query.bool.filter[1]).toEqual({
        range: {
          time: {
            gte: '2026-11-24T19:37:30.524Z',
            lte: '2026-11-24T19:47:30.645Z',
            format: 'strict_date_optional_time',
          },
        },
      });
      expect(body.sort[0]).toEqual({
        time: {
          order: 'asc',
          numeric_type: 'date_nanos',
          unmapped_type: 'date',
        },
      });
      expect(page.logs[0]).toEqual({
        id: 'Vq3mkpYBxk1Bj3uBQx7a',
        timestamp: '2026-11-24T19:42:30.590064365Z',
        severity: 'WARN',
        severityNumber: 13,
        message: 'slow query: 48 ms',
        serviceName: 'orders-api',
        traceId: TRACE_ID,
        spanId: SPANS.ordersDb,
        fields: {
          observedTimestamp: '2026-11-24T19:42:30.591000000Z',
          flags: 1,
          droppedAttributesCount: 0,
          schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
          'instrumentationScope.name': 'io.opentelemetry.jdbc',
          'instrumentationScope.version': '2.10.0',
          'resource.attributes.service@name': 'orders-api',
          'log.attributes.db@statement': 'SELECT * FROM orders WHERE id = $1',
        },
      });
    });

    it('matches app logs on .keyword sub-fields of dynamically mapped trace_id/span_id', async () => {
      searchAnswers(() => jsonResponse(searchResponse([APP_LOG])));
      const page = await store({
        index: 'logs-orders-*',
        keywordSuffix: '.keyword',
        fields: {
          traceId: 'trace_id',
          spanId: 'span_id',
          message: 'message',
          severity: 'level',
          severityNumber: false,
          service: 'service',
        },
      }).getLogs({
        traceId: TRACE_ID,
        spanId: SPANS.ordersServer,
        window: WINDOW,
        limit: 10,
        order: 'asc',
      });
      const body = JSON.parse(sent[0].text);
      expect(body.query.bool.filter.slice(0, 2)).toEqual([
        { term: { 'trace_id.keyword': TRACE_ID } },
        { term: { 'span_id.keyword': SPANS.ordersServer } },
      ]);
      // The timestamp is a date, never suffixed.
      expect(Object.keys(body.query.bool.filter[2].range)).toEqual([
        '@timestamp',
      ]);
      expect(page.logs[0]).toEqual({
        id: 'r1JnkpYBJ2y2b0S9aP3K',
        timestamp: '2026-11-24T19:42:30.541Z',
        severity: 'WARN',
        message: 'retrying payment authorisation',
        serviceName: 'orders-api',
        traceId: TRACE_ID,
        spanId: SPANS.ordersServer,
        fields: {
          logger_name: 'com.shop.payments.Client',
          thread_name: 'http-nio-8080-exec-3',
          trace_flags: '01',
          'kubernetes.namespace_name': 'shop',
          'kubernetes.pod_name': 'orders-api-5f7b9-abcde',
        },
      });
    });

    it('turns structured bodies and long numerals in documents into JSON-safe values', async () => {
      const structured = {
        index: 'ss4o_logs-default-namespace',
        id: 'structured-1',
        source: {
          '@timestamp': '2026-11-24T19:42:30.6Z',
          body: {
            event: 'order.failed',
            order: { id: 42, amountCents: BigInt('9007199254740993') },
          },
          severity: { number: 18 },
          traceId: TRACE_ID.toUpperCase(),
          attributes: { 'request.bytes': BigInt('12345678901234567890') },
        },
        sort: [BigInt('1795549350600000000'), 'structured-1'],
      };
      searchAnswers(() => jsonResponse(searchResponse([structured])));
      const page = await store().getLogs({
        traceId: TRACE_ID,
        window: WINDOW,
        limit: 10,
        order: 'asc',
      });
      expect(page.logs[0]).toMatchObject({
        message:
          '{"event":"order.failed","order":{"id":42,"amountCents":"9007199254740993"}}',
        severity: 'ERROR',
        severityNumber: 18,
        traceId: TRACE_ID,
        fields: { 'attributes.request.bytes': '12345678901234567890' },
      });
      expect(() => JSON.stringify(page)).not.toThrow();
    });

    it('answers no logs when a named index does not exist', async () => {
      searchAnswers(() => jsonResponse(INDEX_NOT_FOUND, 404));
      const page = await store({ index: 'app-logs' }).getLogs({
        traceId: TRACE_ID,
        window: WINDOW,
        limit: 10,
        order: 'asc',
      });
      expect(page).toEqual({
        logs: [],
        total: 0,
        start: '2026-11-24T19:37:30.524Z',
        end: '2026-11-24T19:47:30.645Z',
      });
    });

    it('refuses a limit beyond maxResults without asking OpenSearch', async () => {
      searchAnswers(() => jsonResponse(searchResponse([])));
      await expect(
        store({ maxResults: 50 }).getLogs({
          traceId: TRACE_ID,
          window: WINDOW,
          limit: 51,
          order: 'asc',
        }),
      ).rejects.toThrow(/'limit' must be between 1 and 50/);
      expect(sent).toHaveLength(0);
    });
  });

  describe('getLogCounts', () => {
    it('counts logs per span with the highest severity number in one aggregation', async () => {
      searchAnswers(() =>
        jsonResponse({
          took: 7,
          timed_out: false,
          _shards: { total: 3, successful: 3, skipped: 0, failed: 0 },
          hits: {
            total: { value: 9, relation: 'eq' },
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
                  doc_count: 4,
                  max_severity: { value: 17.0 },
                },
                {
                  key: SPANS.ordersDb,
                  doc_count: 3,
                  max_severity: { value: 13.0 },
                },
                {
                  key: SPANS.ordersServer.toUpperCase(),
                  doc_count: 1,
                  max_severity: { value: 5.0 },
                },
                {
                  key: SPANS.frontendClient,
                  doc_count: 1,
                  max_severity: { value: null },
                },
                { key: '', doc_count: 2, max_severity: { value: 9.0 } },
                {
                  key: '0000000000000000',
                  doc_count: 1,
                  max_severity: { value: 9.0 },
                },
              ],
            },
          },
        }),
      );
      const counts = await store().getLogCounts({
        traceId: TRACE_ID,
        window: WINDOW,
      });

      expect(JSON.parse(sent[0].text)).toEqual({
        size: 0,
        track_total_hits: true,
        query: {
          bool: {
            filter: [
              { term: { traceId: TRACE_ID } },
              {
                range: {
                  '@timestamp': {
                    gte: '2026-11-24T19:37:30.524Z',
                    lte: '2026-11-24T19:47:30.645Z',
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
      expect(counts).toEqual({
        counts: {
          [SPANS.frontendServer]: { count: 4, highestSeverity: 'ERROR' },
          [SPANS.ordersDb]: { count: 3, highestSeverity: 'WARN' },
          [SPANS.ordersServer]: { count: 1, highestSeverity: 'DEBUG' },
          [SPANS.frontendClient]: { count: 1 },
        },
      });
    });

    it('ranks severity texts when the logs have no severity number', async () => {
      searchAnswers(() =>
        jsonResponse({
          took: 3,
          timed_out: false,
          _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
          hits: {
            total: { value: 5, relation: 'eq' },
            max_score: null,
            hits: [],
          },
          aggregations: {
            spans: {
              doc_count_error_upper_bound: 0,
              sum_other_doc_count: 0,
              buckets: [
                {
                  key: SPANS.ordersServer,
                  doc_count: 4,
                  severity_texts: {
                    doc_count_error_upper_bound: 0,
                    sum_other_doc_count: 0,
                    buckets: [
                      { key: 'INFO', doc_count: 2 },
                      { key: 'warning', doc_count: 1 },
                      { key: 'DEBUG', doc_count: 1 },
                    ],
                  },
                },
                {
                  key: SPANS.ordersDb,
                  doc_count: 1,
                  severity_texts: {
                    doc_count_error_upper_bound: 0,
                    sum_other_doc_count: 0,
                    buckets: [],
                  },
                },
              ],
            },
          },
        }),
      );
      const counts = await store({
        keywordSuffix: '.keyword',
        fields: {
          traceId: 'trace_id',
          spanId: 'span_id',
          severity: 'level',
          severityNumber: false,
        },
      }).getLogCounts({ traceId: TRACE_ID, window: WINDOW });

      const body = JSON.parse(sent[0].text);
      expect(body.query.bool.filter[0]).toEqual({
        term: { 'trace_id.keyword': TRACE_ID },
      });
      expect(body.aggs).toEqual({
        spans: {
          terms: { field: 'span_id.keyword', size: 10000 },
          aggs: {
            severity_texts: { terms: { field: 'level.keyword', size: 50 } },
          },
        },
      });
      expect(counts.counts).toEqual({
        [SPANS.ordersServer]: { count: 4, highestSeverity: 'WARN' },
        [SPANS.ordersDb]: { count: 1 },
      });
    });

    it('answers no counts when a named index does not exist', async () => {
      searchAnswers(() => jsonResponse(INDEX_NOT_FOUND, 404));
      await expect(
        store({ index: 'app-logs' }).getLogCounts({
          traceId: TRACE_ID,
          window: WINDOW,
        }),
      ).resolves.toEqual({ counts: {} });
    });
  });

  describe('errors', () => {
    const search = (logStore = store()) =>
      logStore.getLogs({
        traceId: TRACE_ID,
        window: WINDOW,
        limit: 10,
        order: 'asc',
      });

    it('names OpenSearch and its reason for a rejected query (502)', async () => {
      searchAnswers(() => jsonResponse(TEXT_FIELD_AGGREGATION_ERROR, 400));
      await expect(search()).rejects.toMatchObject({
        name: 'UpstreamError',
        statusCode: 502,
        message: expect.stringMatching(
          /^OpenSearch: searching logs was rejected \(HTTP 400: search_phase_execution_exception: all shards failed \(caused by illegal_argument_exception: Text fields are not optimised.*\); check traces\.opensearch\.fields and keywordSuffix/,
        ),
      });
    });

    it('says when the credentials are refused, without echoing them', async () => {
      searchAnswers(() =>
        jsonResponse(
          {
            error: {
              root_cause: [
                {
                  type: 'security_exception',
                  reason:
                    'no permissions for [indices:data/read/search] and User [name=reader, backend_roles=[], requestedTenant=null]',
                },
              ],
              type: 'security_exception',
              reason:
                'no permissions for [indices:data/read/search] and User [name=reader, backend_roles=[], requestedTenant=null]',
            },
            status: 403,
          },
          403,
        ),
      );
      const error = await search(
        store({ auth: { username: 'reader', password: 'hunter2-secret' } }),
      ).catch(e => e);
      expect(error.statusCode).toBe(502);
      expect(error.message).toMatch(
        /^OpenSearch: refused the plugin's credentials \(HTTP 403: security_exception: no permissions for \[indices:data\/read\/search\]/,
      );
      expect(error.message).not.toContain('hunter2-secret');
      expect(sent[0].headers.get('authorization')).toBe(
        `Basic ${Buffer.from('reader:hunter2-secret').toString('base64')}`,
      );
    });

    it('answers 503 while OpenSearch rejects requests (429)', async () => {
      searchAnswers(() =>
        jsonResponse(
          {
            error: {
              type: 'rejected_execution_exception',
              reason: 'rejected execution of coordinating operation',
            },
            status: 429,
          },
          429,
        ),
      );
      await expect(search()).rejects.toMatchObject({
        statusCode: 503,
        message: expect.stringMatching(
          /^OpenSearch: is rejecting requests \(HTTP 429: rejected_execution_exception/,
        ),
      });
    });

    it('passes a proxy’s plain-text 5xx reason on as a 502', async () => {
      searchAnswers(
        () =>
          new HttpResponse(
            'upstream connect error or disconnect/reset before headers',
            { status: 500, headers: { 'content-type': 'text/plain' } },
          ),
      );
      await expect(search()).rejects.toMatchObject({
        statusCode: 502,
        message:
          'OpenSearch: searching logs failed (HTTP 500: upstream connect error or disconnect/reset before headers)',
      });
    });

    it.each([
      [
        'with its size declared',
        () =>
          new HttpResponse('x'.repeat(20_000), {
            headers: {
              'content-type': 'application/json',
              'content-length': '20000',
            },
          }),
      ],
      [
        'streamed',
        () =>
          new HttpResponse(
            new ReadableStream({
              pull(controller) {
                controller.enqueue(new TextEncoder().encode(' '.repeat(4096)));
              },
            }),
            { headers: { 'content-type': 'application/json' } },
          ),
      ],
    ])(
      'answers 502 for an answer over traces.limits.maxResponseSizeMb (%s)',
      async (_how, answer) => {
        searchAnswers(answer);
        const error = await store({}, { maxResponseSizeMb: 0.01 })
          .getLogs({
            traceId: TRACE_ID,
            window: WINDOW,
            limit: 10,
            order: 'asc',
          })
          .catch(e => e);
        expect(error.statusCode).toBe(502);
        expect(error.message).toMatch(
          /^OpenSearch: answer over 10 KB, the most traces\.limits\.maxResponseSizeMb allows, while searching logs$/,
        );
      },
    );

    it('answers 502 for something that is not a _search answer', async () => {
      searchAnswers(
        () =>
          new HttpResponse('<html>login</html>', {
            status: 200,
            headers: { 'content-type': 'text/html' },
          }),
      );
      await expect(search()).rejects.toMatchObject({
        statusCode: 502,
        message: expect.stringMatching(
          /^OpenSearch: searching logs: the answer is not a _search response/,
        ),
      });
    });

    it('answers 503 when OpenSearch cannot be reached', async () => {
      searchAnswers(() => HttpResponse.error());
      const logStore = store({
        auth: { username: 'reader', password: 'hunter2-secret' },
      });
      const error = await search(logStore).catch(e => e);
      expect(error.statusCode).toBe(503);
      expect(error.message).toMatch(
        /^OpenSearch: cannot reach http:\/\/opensearch\.test:9200 \(/,
      );
      expect(error.message).not.toContain('hunter2-secret');
    });

    it('answers 504 when OpenSearch is too slow', async () => {
      // Only the deadline can end the search (with retries, the client's socket timeout
      // alone would not).
      server.use(http.post(`${OPENSEARCH_URL}/:index/_search`, neverAnswers));
      await expect(search(store({ timeout: '200ms' }))).rejects.toMatchObject({
        statusCode: 504,
        message:
          'OpenSearch: no answer within 200 ms from http://opensearch.test:9200',
      });
    });
  });

  describe('authentication', () => {
    it('signs requests with AWS SigV4 from configured credentials', async () => {
      searchAnswers(() => jsonResponse(searchResponse([])));
      await store({
        auth: {
          aws: {
            region: 'eu-west-1',
            accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
            secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
            sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE',
          },
        },
      }).getLogs({
        traceId: TRACE_ID,
        window: WINDOW,
        limit: 10,
        order: 'asc',
      });

      const headers = sent[0].headers;
      expect(headers.get('authorization')).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-1\/es\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/,
      );
      expect(headers.get('x-amz-security-token')).toBe(
        'IQoJb3JpZ2luX2VjEXAMPLE',
      );
      expect(headers.get('x-amz-content-sha256')).toBe(
        createHash('sha256').update(sent[0].text, 'utf8').digest('hex'),
      );
    });

    it('reads AWS credentials from the environment for Serverless', async () => {
      const saved = { ...process.env };
      process.env.AWS_ACCESS_KEY_ID = 'ASIAENVEXAMPLE000000';
      process.env.AWS_SECRET_ACCESS_KEY = 'env-secret';
      delete process.env.AWS_SESSION_TOKEN;
      try {
        searchAnswers(() => jsonResponse(searchResponse([])));
        await store({
          auth: { aws: { region: 'us-east-1', service: 'aoss' } },
        }).getLogs({
          traceId: TRACE_ID,
          window: WINDOW,
          limit: 10,
          order: 'asc',
        });
        expect(sent[0].headers.get('authorization')).toMatch(
          /^AWS4-HMAC-SHA256 Credential=ASIAENVEXAMPLE000000\/\d{8}\/us-east-1\/aoss\/aws4_request/,
        );
        expect(sent[0].headers.get('x-amz-security-token')).toBeNull();
      } finally {
        process.env = saved;
      }
    });
  });

  describe('getHealth', () => {
    it('reports the version and checks the log indices', async () => {
      searchAnswers(() => jsonResponse(searchResponse([], 0)));
      server.use(
        http.get(`${OPENSEARCH_URL}/`, () =>
          jsonResponse({
            name: 'opensearch-node1',
            cluster_name: 'logs',
            cluster_uuid: 'n3p1d0bhS7iQ0c6dD4mFXw',
            version: {
              distribution: 'opensearch',
              number: '2.19.1',
              build_type: 'tar',
              minimum_wire_compatibility_version: '7.10.0',
              minimum_index_compatibility_version: '7.0.0',
            },
            tagline: 'The OpenSearch Project: https://opensearch.org/',
          }),
        ),
      );
      await expect(store().getHealth()).resolves.toEqual({
        store: 'OpenSearch',
        status: 'ok',
        url: OPENSEARCH_URL,
        version: '2.19.1',
      });
      expect(JSON.parse(sent[0].text)).toEqual({
        size: 0,
        track_total_hits: false,
        query: { match_none: {} },
      });
    });

    it('is healthy without a version where GET / is not served (Serverless)', async () => {
      searchAnswers(() => jsonResponse(searchResponse([], 0)));
      server.use(
        http.get(
          `${OPENSEARCH_URL}/`,
          () => new HttpResponse(null, { status: 404 }),
        ),
      );
      await expect(store().getHealth()).resolves.toEqual({
        store: 'OpenSearch',
        status: 'ok',
        url: OPENSEARCH_URL,
      });
    });

    it.each([
      [
        () =>
          new HttpResponse('<html>Welcome to nginx</html>', {
            headers: { 'Content-Type': 'text/html' },
          }),
        /^OpenSearch: searching the log indices: the answer is not a _search response/,
      ],
      [
        () => jsonResponse({ status: 'ok' }),
        /^OpenSearch: searching the log indices: the answer is not a _search response/,
      ],
    ])(
      'is down when the search answer is not OpenSearch’s (%#)',
      async (answer, message) => {
        searchAnswers(answer);
        server.use(http.get(`${OPENSEARCH_URL}/`, answer));
        await expect(store().getHealth()).resolves.toEqual({
          store: 'OpenSearch',
          status: 'down',
          url: OPENSEARCH_URL,
          message: expect.stringMatching(message),
        });
      },
    );

    it('fails with the reason when the log indices cannot be searched', async () => {
      searchAnswers(() => HttpResponse.error());
      server.use(http.get(`${OPENSEARCH_URL}/`, () => HttpResponse.error()));
      await expect(store().getHealth()).resolves.toEqual({
        store: 'OpenSearch',
        status: 'down',
        url: OPENSEARCH_URL,
        message: expect.stringMatching(/^OpenSearch: cannot reach/),
      });
    });
  });
});

describe('OpenSearchLogStore health of a server that never finishes answering', () => {
  it('is down, naming the time it waited', async () => {
    const stalling = await startStallingServer();
    try {
      const options = readOpenSearchOptions(
        new ConfigReader({
          traces: { opensearch: { baseUrl: stalling.url, timeout: '300ms' } },
        }),
      )!;
      const health = await new OpenSearchLogStore(
        options,
        mockServices.logger.mock(),
      ).getHealth();
      expect(health).toEqual({
        store: 'OpenSearch',
        status: 'down',
        url: stalling.url,
        message: `OpenSearch: no answer within 300 ms from ${stalling.url}`,
      });
    } finally {
      await stalling.close();
    }
  });
});
