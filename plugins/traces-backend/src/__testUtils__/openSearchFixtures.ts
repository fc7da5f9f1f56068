import { HttpResponse } from 'msw';

/**
 * OpenSearch `_search` answers for tests, in the documented wire format (hits with `_index`,
 * `_id`, `_score: null` and `sort` when sorted). Documents follow what the pipelines write:
 * the OpenTelemetry Collector exporter (ss4o), Data Prepper (log-analytics) and JSON app logs.
 */
export const OPENSEARCH_URL = 'http://opensearch.test:9200';

/** The trace of the Tempo fixture `trace-v2.json` (frontend → orders-api). */
export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const SPANS = {
  frontendServer: '00f067aa0ba902b7',
  frontendClient: 'b7ad6b7169203331',
  ordersServer: 'c9d8e7f6a5b4c3d2',
  ordersDb: '53995c3f42cd8ad8',
};

/** Trace window in the Tempo fixture: 1795549350524064365 to 1795549350644064365 ns. */
export const TRACE_START_NANOS = BigInt('1795549350524064365');

/**
 * JSON text in which BigInts are written as bare numerals, as OpenSearch writes `long`
 * and `date_nanos` sort values (JSON.stringify cannot).
 */
export function rawJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    typeof v === 'bigint' ? `__bigint__${v.toString()}` : v,
  ).replace(/"__bigint__(-?\d+)"/g, '$1');
}

export function jsonResponse(value: unknown, status = 200): Response {
  return new HttpResponse(rawJson(value), {
    status,
    headers: { 'content-type': 'application/json; charset=UTF-8' },
  });
}

export interface FixtureHit {
  index: string;
  id: string;
  source: Record<string, unknown>;
  sort: unknown[];
}

export function searchResponse(hits: FixtureHit[], total = hits.length) {
  return {
    took: 4,
    timed_out: false,
    _shards: { total: 3, successful: 3, skipped: 0, failed: 0 },
    hits: {
      total: { value: total, relation: 'eq' },
      max_score: null,
      hits: hits.map(hit => ({
        _index: hit.index,
        _id: hit.id,
        _score: null,
        _source: hit.source,
        sort: hit.sort,
      })),
    },
  };
}

/** What the OpenTelemetry Collector's exporter writes with `mapping.mode: ss4o`. */
function ss4oLog(options: {
  id: string;
  nanos: bigint;
  iso: string;
  service: 'frontend' | 'orders-api';
  spanId: string;
  severity: [string, number];
  body: string;
  attributes?: Record<string, unknown>;
}): FixtureHit {
  return {
    index: 'ss4o_logs-default-namespace',
    id: options.id,
    source: {
      '@timestamp': options.iso,
      observedTimestamp: options.iso,
      attributes: options.attributes ?? {},
      body: options.body,
      instrumentationScope: {
        name:
          options.service === 'frontend'
            ? '@opentelemetry/instrumentation-pino'
            : 'io.opentelemetry.logback-appender-1.0',
      },
      resource: {
        'service.name': options.service,
        'service.namespace': 'shop',
        'k8s.pod.name': `${options.service}-7d9c6b5f4-x2x8q`,
      },
      severity: { text: options.severity[0], number: options.severity[1] },
      spanId: options.spanId,
      traceId: TRACE_ID,
    },
    sort: [options.nanos, options.id],
  };
}

export const SS4O_LOGS: FixtureHit[] = [
  ss4oLog({
    id: 'ZH9lkpYBxk1Bj3uB0iBd',
    nanos: BigInt('1795549350524064365'),
    iso: '2026-11-24T19:42:30.524064365Z',
    service: 'frontend',
    spanId: SPANS.frontendServer,
    severity: ['INFO', 9],
    body: 'GET /api/orders/42 received',
    attributes: {
      'http.request.method': 'GET',
      'http.request.header.authorization':
        'Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.sig',
    },
  }),
  ss4oLog({
    id: 'aX9lkpYBxk1Bj3uB0iBe',
    nanos: BigInt('1795549350535164207'),
    iso: '2026-11-24T19:42:30.535164207Z',
    service: 'orders-api',
    spanId: SPANS.ordersServer,
    severity: ['DEBUG', 5],
    body: 'loading order 42',
    attributes: { 'order.id': 42 },
  }),
  ss4oLog({
    id: 'bX9lkpYBxk1Bj3uB0iBf',
    nanos: BigInt('1795549350604064000'),
    iso: '2026-11-24T19:42:30.604064Z',
    service: 'orders-api',
    spanId: SPANS.ordersDb,
    severity: ['ERROR', 17],
    body: 'query failed: canceling statement due to statement timeout',
    attributes: {
      'exception.type': 'org.postgresql.util.PSQLException',
      'db.system': 'postgresql',
    },
  }),
  ss4oLog({
    id: 'cX9lkpYBxk1Bj3uB0iBg',
    nanos: BigInt('1795549350643900000'),
    iso: '2026-11-24T19:42:30.6439Z',
    service: 'frontend',
    spanId: SPANS.frontendServer,
    severity: ['ERROR', 17],
    body: 'GET /api/orders/42 -> 500',
  }),
];

/** Data Prepper `otel_logs_source` → `opensearch` sink (index_type log-analytics). */
export const DATA_PREPPER_LOG: FixtureHit = {
  index: 'logs-otel-v1-000001',
  id: 'Vq3mkpYBxk1Bj3uBQx7a',
  source: {
    traceId: TRACE_ID,
    spanId: SPANS.ordersDb,
    time: '2026-11-24T19:42:30.590064365Z',
    observedTimestamp: '2026-11-24T19:42:30.591000000Z',
    serviceName: 'orders-api',
    severityText: 'WARN',
    severityNumber: 13,
    body: 'slow query: 48 ms',
    flags: 1,
    droppedAttributesCount: 0,
    schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
    instrumentationScope: { name: 'io.opentelemetry.jdbc', version: '2.10.0' },
    'resource.attributes.service@name': 'orders-api',
    'log.attributes.db@statement': 'SELECT * FROM orders WHERE id = $1',
  },
  sort: [BigInt('1795549350590064365'), 'Vq3mkpYBxk1Bj3uBQx7a'],
};

/** JSON app logs (logback + MDC via Fluent Bit) in a dynamically mapped index. */
export const APP_LOG: FixtureHit = {
  index: 'logs-orders-2026.11.24',
  id: 'r1JnkpYBJ2y2b0S9aP3K',
  source: {
    '@timestamp': '2026-11-24T19:42:30.541Z',
    level: 'WARN',
    message: 'retrying payment authorisation',
    logger_name: 'com.shop.payments.Client',
    thread_name: 'http-nio-8080-exec-3',
    trace_id: TRACE_ID,
    span_id: SPANS.ordersServer,
    trace_flags: '01',
    service: 'orders-api',
    kubernetes: { namespace_name: 'shop', pod_name: 'orders-api-5f7b9-abcde' },
  },
  // date field sorted with numeric_type date_nanos: nanoseconds all the same.
  sort: [BigInt('1795549350541000000'), 'r1JnkpYBJ2y2b0S9aP3K'],
};

/** OpenSearch's error for a concrete index that does not exist. */
export const INDEX_NOT_FOUND = {
  error: {
    root_cause: [
      {
        type: 'index_not_found_exception',
        reason: 'no such index [app-logs]',
        'resource.type': 'index_or_alias',
        'resource.id': 'app-logs',
        index_uuid: '_na_',
        index: 'app-logs',
      },
    ],
    type: 'index_not_found_exception',
    reason: 'no such index [app-logs]',
    'resource.type': 'index_or_alias',
    'resource.id': 'app-logs',
    index_uuid: '_na_',
    index: 'app-logs',
  },
  status: 404,
};

/** A text field used where a keyword is needed (sort/aggregation): all shards fail. */
export const TEXT_FIELD_AGGREGATION_ERROR = {
  error: {
    root_cause: [
      {
        type: 'illegal_argument_exception',
        reason:
          'Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [span_id] in order to load field data by uninverting the inverted index. Note that this can use significant memory.',
      },
    ],
    type: 'search_phase_execution_exception',
    reason: 'all shards failed',
    phase: 'query',
    grouped: true,
    failed_shards: [
      {
        shard: 0,
        index: 'logs-orders-2026.11.24',
        node: 'c2cq1mHvRSaJ3y0Xl0v6qg',
        reason: {
          type: 'illegal_argument_exception',
          reason:
            'Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default.',
        },
      },
    ],
  },
  status: 400,
};
