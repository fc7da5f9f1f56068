import { SecretScrubber } from '../lib/scrubSecrets';
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { PrometheusClient } from '../prometheus/PrometheusClient';
import { DEFAULT_METRIC_NAMES } from './config';
import {
  buildServiceGraphQueries,
  mergeEdges,
  PrometheusGraphSource,
} from './prometheusGraphSource';
import type { EntityAccess } from './types';

const DEFAULTS = {
  metrics: DEFAULT_METRIC_NAMES,
  labels: { client: 'client', server: 'server' },
};
const LABELS = DEFAULTS.labels;
const both = (services: string[]) => ({
  callersOf: services,
  calleesOf: services,
});

describe('buildServiceGraphQueries', () => {
  it('queries both directions over the whole range with metrics-generator names', () => {
    const queries = buildServiceGraphQueries(
      both(['orders-api', 'orders-worker']),
      3600,
      DEFAULTS,
    );
    expect(queries.requests).toBe(
      'sum by (client, server) (increase(traces_service_graph_request_total{server=~"orders-api|orders-worker"}[3600s]))' +
        ' or sum by (client, server) (increase(traces_service_graph_request_total{client=~"orders-api|orders-worker"}[3600s]))',
    );
    expect(queries.failed).toBe(
      'sum by (client, server) (increase(traces_service_graph_request_failed_total{server=~"orders-api|orders-worker"}[3600s]))' +
        ' or sum by (client, server) (increase(traces_service_graph_request_failed_total{client=~"orders-api|orders-worker"}[3600s]))',
    );
    expect(queries.quantiles).toEqual(
      [0.5, 0.95, 0.99].map(
        q =>
          `histogram_quantile(${q}, ` +
          'sum by (client, server, le) (rate(traces_service_graph_request_server_seconds_bucket{server=~"orders-api|orders-worker"}[3600s]))' +
          ' or sum by (client, server, le) (rate(traces_service_graph_request_server_seconds_bucket{client=~"orders-api|orders-worker"}[3600s])))',
      ),
    );
  });

  it('uses configured metric and label names and the extra selector', () => {
    const queries = buildServiceGraphQueries(both(['checkout']), 900, {
      metrics: {
        requestTotal: 'traces_service_graph_request_total',
        requestFailedTotal: 'calls_failed_total',
        requestServerSeconds: 'traces_service_graph_request_server',
      },
      labels: { client: 'client_service', server: 'server_service' },
      extraSelector: 'cluster="eu-1"',
    });
    expect(queries.failed).toBe(
      'sum by (client_service, server_service) (increase(calls_failed_total{server_service=~"checkout", cluster="eu-1"}[900s]))' +
        ' or sum by (client_service, server_service) (increase(calls_failed_total{client_service=~"checkout", cluster="eu-1"}[900s]))',
    );
    expect(queries.quantiles[1]).toBe(
      'histogram_quantile(0.95, ' +
        'sum by (client_service, server_service, le) (rate(traces_service_graph_request_server_bucket{server_service=~"checkout", cluster="eu-1"}[900s]))' +
        ' or sum by (client_service, server_service, le) (rate(traces_service_graph_request_server_bucket{client_service=~"checkout", cluster="eu-1"}[900s])))',
    );
  });

  it('escapes hostile service names so that they stay inside the label matcher', () => {
    const { requests } = buildServiceGraphQueries(
      both(['evil"}) or vector(1) or sum({__name__=~".+', 'a.b']),
      60,
      DEFAULTS,
    );
    expect(requests).toBe(
      'sum by (client, server) (increase(traces_service_graph_request_total{server=~"evil\\"\\\\}\\\\) or vector\\\\(1\\\\) or sum\\\\(\\\\{__name__=~\\"\\\\.\\\\+|a\\\\.b"}[60s]))' +
        ' or sum by (client, server) (increase(traces_service_graph_request_total{client=~"evil\\"\\\\}\\\\) or vector\\\\(1\\\\) or sum\\\\(\\\\{__name__=~\\"\\\\.\\\\+|a\\\\.b"}[60s]))',
    );
    // Outside string literals the query is exactly the template: no injected operators.
    const outside = requests.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    expect(outside).toBe(
      'sum by (client, server) (increase(traces_service_graph_request_total{server=~""}[60s]))' +
        ' or sum by (client, server) (increase(traces_service_graph_request_total{client=~""}[60s]))',
    );
  });
});

describe('mergeEdges', () => {
  const sample = (client: string, server: string, value: number) => ({
    metric: { client, server, connection_type: '' },
    value,
  });

  it('joins counts, errors and quantiles per (client, server) into rounded edges', () => {
    const edges = mergeEdges(
      LABELS,
      [
        sample('frontend', 'orders-api', 1199.6),
        sample('orders-api', 'db', 40.2),
      ],
      [sample('frontend', 'orders-api', 12.4)],
      [
        [
          sample('frontend', 'orders-api', 0.0125),
          sample('orders-api', 'db', NaN),
        ],
        [sample('frontend', 'orders-api', 0.2375)],
        [sample('frontend', 'orders-api', 0.49999999)],
      ],
    );
    expect(edges).toEqual([
      {
        source: 'frontend',
        target: 'orders-api',
        requestCount: 1200,
        errorCount: 12,
        latencyP50Ms: 12.5,
        latencyP95Ms: 237.5,
        latencyP99Ms: 500,
      },
      { source: 'orders-api', target: 'db', requestCount: 40, errorCount: 0 },
    ]);
  });

  it('drops edges without calls in the window, self-edges and unlabelled series', () => {
    const edges = mergeEdges(
      LABELS,
      [
        sample('a', 'b', 0.2),
        sample('a', 'a', 50),
        { metric: { server: 'b' }, value: 9 },
        sample('c', 'b', 3),
      ],
      [sample('a', 'b', 1), sample('c', 'b', 7)],
      [[sample('c', 'b', Infinity)], [], []],
    );
    expect(edges).toEqual([
      { source: 'c', target: 'b', requestCount: 3, errorCount: 3 },
    ]);
  });
});

describe('PrometheusGraphSource', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  const URL_BASE = 'http://prometheus.test:9090';

  const access = {
    kind: 'entity',
    entityRef: 'component:default/orders-api',
    scope: { serviceNames: ['orders-api'] },
  } as EntityAccess;

  const vector = (result: Array<[string, string, string]>) =>
    HttpResponse.json({
      status: 'success',
      data: {
        resultType: 'vector',
        result: result.map(([client, callee, value]) => ({
          metric: { client, server: callee },
          value: [1795549450, value],
        })),
      },
    });

  it('runs the six queries at `end` and merges them into edges', async () => {
    const asked: URL[] = [];
    server.use(
      http.get(`${URL_BASE}/api/v1/query`, ({ request }) => {
        const url = new URL(request.url);
        asked.push(url);
        const query = url.searchParams.get('query')!;
        if (query.startsWith('histogram_quantile(0.5,')) {
          return vector([
            ['frontend', 'orders-api', '0.02'],
            ['orders-api', 'db', '0.004'],
          ]);
        }
        if (query.startsWith('histogram_quantile(0.95,'))
          return vector([['frontend', 'orders-api', '0.09']]);
        if (query.startsWith('histogram_quantile(0.99,'))
          return vector([['frontend', 'orders-api', '0.25']]);
        if (query.includes('request_failed_total'))
          return vector([['frontend', 'orders-api', '3']]);
        if (query.startsWith('max_over_time('))
          return vector([['frontend', 'orders-api', '1795549440']]);
        return vector([
          ['frontend', 'orders-api', '100'],
          ['orders-api', 'db', '250'],
        ]);
      }),
    );
    const source = new PrometheusGraphSource(
      new PrometheusClient(
        {
          baseUrl: URL_BASE,
          headers: {},
          timeoutMs: 5000,
          maxResponseBytes: 1024 * 1024,
          scrubber: new SecretScrubber([]),
        },
        mockServices.logger.mock(),
      ),
      DEFAULTS,
    );
    const result = await source.getEdges({
      access,
      depth: 1,
      start: 1795545850,
      end: 1795549450,
    });

    expect(asked).toHaveLength(6);
    expect(
      asked.every(url => url.searchParams.get('time') === '1795549450'),
    ).toBe(true);
    expect(
      asked.every(url => /\[3600s[\]:]/.test(url.searchParams.get('query')!)),
    ).toBe(true);
    expect(result).toEqual({
      source: 'prometheus',
      edges: [
        {
          source: 'orders-api',
          target: 'db',
          requestCount: 250,
          errorCount: 0,
          latencyP50Ms: 4,
        },
        {
          source: 'frontend',
          target: 'orders-api',
          requestCount: 100,
          errorCount: 3,
          latencyP50Ms: 20,
          latencyP95Ms: 90,
          latencyP99Ms: 250,
          lastSeen: 1795549440,
        },
      ],
    });
  });
});
