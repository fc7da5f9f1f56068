import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { TestPipeline } from '@backstage/plugin-search-backend-node';
import type { TracesSearchDocument } from '@backstage-traces/plugin-traces-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { TracesCollatorFactory } from './TracesCollatorFactory';

const TRACES = 'http://backstage.test/api/traces';

const server = setupServer();
beforeAll(() => server.listen());
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function component(
  name: string,
  annotations: Record<string, string>,
  extra: Partial<Entity['metadata']> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations, ...extra },
    spec: { type: 'service', owner: `group:default/${name}-team` },
  };
}

const ENTITIES = [
  component(
    'orders',
    {
      'opentelemetry.io/service-name': 'orders-api, orders-worker',
      'opentelemetry.io/service-namespace': 'shop',
    },
    { title: 'Orders' },
  ),
  component('billing', { 'opentelemetry.io/service-name': 'billing' }),
  // claims a service Tempo has not seen in the lookback window
  component('legacy', { 'opentelemetry.io/service-name': 'legacy-batch' }),
];

/** Tag values per service, as the traces backend answers them for a `q` filter. */
const SPAN_NAMES: Record<string, string[]> = {
  'orders-api': ['GET /api/orders/{id}', 'SELECT orders'],
  'orders-worker': ['process order'],
  billing: ['POST /invoices'],
};
const ROUTES: Record<string, string[]> = {
  'orders-api': ['/api/orders/{id}', '/api/orders'],
  billing: ['/invoices'],
};

function series(values: Record<string, number[]>) {
  return Object.entries(values).map(([service, samples]) => ({
    labels: { 'resource.service.name': service },
    samples: samples.map((value, i) => ({ timestampMs: i * 300_000, value })),
  }));
}

interface Seen {
  authorization: string[];
  tagRequests: URL[];
}

function tracesBackend(options: { metrics?: 'fail' } = {}): Seen {
  const seen: Seen = { authorization: [], tagRequests: [] };
  server.use(
    http.get(`${TRACES}/tags/:tag/values`, ({ request, params }) => {
      seen.authorization.push(request.headers.get('authorization') ?? '');
      const url = new URL(request.url);
      seen.tagRequests.push(url);
      const tag = params.tag as string;
      if (tag === 'resource.service.name') {
        return HttpResponse.json({
          tag,
          values: ['orders-api', 'orders-worker', 'billing', 'unclaimed'].map(
            value => ({ type: 'string', value }),
          ),
        });
      }
      const service = /"(.+)"/.exec(url.searchParams.get('q') ?? '')?.[1] ?? '';
      const values = (tag === 'name' ? SPAN_NAMES : ROUTES)[service] ?? [];
      return HttpResponse.json({
        tag,
        values: values.map(value => ({ type: 'string', value })),
      });
    }),
    http.get(`${TRACES}/metrics/query_range`, ({ request }) => {
      seen.authorization.push(request.headers.get('authorization') ?? '');
      if (options.metrics === 'fail') {
        return HttpResponse.json(
          {
            error: { name: 'Error', message: 'Tempo: metrics-generator off' },
            response: { statusCode: 502 },
          },
          { status: 502 },
        );
      }
      const q = new URL(request.url).searchParams.get('q') ?? '';
      const errors = q.includes('status = error');
      return HttpResponse.json({
        query: q,
        start: 0,
        end: 3600,
        // 12 steps of 5 minutes; steps without spans are left out, as Tempo does
        series: series(
          errors
            ? { 'orders-api': [3] }
            : { 'orders-api': Array(12).fill(6), billing: [3] },
        ),
      });
    }),
  );
  return seen;
}

function factory(logger = mockServices.logger.mock()) {
  return TracesCollatorFactory.fromConfig(mockServices.rootConfig(), {
    auth: mockServices.auth(),
    discovery: {
      getBaseUrl: async pluginId => `http://backstage.test/api/${pluginId}`,
      getExternalBaseUrl: async pluginId =>
        `http://backstage.test/api/${pluginId}`,
    },
    catalog: catalogServiceMock({ entities: ENTITIES }),
    logger,
  });
}

async function collect(f: TracesCollatorFactory) {
  const { documents, error } = await TestPipeline.fromCollator(
    await f.getCollator(),
  ).execute();
  if (error) throw error;
  return documents as TracesSearchDocument[];
}

describe('TracesCollatorFactory', () => {
  it('indexes each traced service of each claiming entity, with names, routes and rates', async () => {
    const seen = tracesBackend();
    const documents = await collect(factory());

    expect(documents.map(d => d.title)).toEqual([
      'shop/orders-api',
      'shop/orders-worker',
      'billing',
    ]);
    expect(documents[0]).toEqual({
      title: 'shop/orders-api',
      text: [
        'Service shop/orders-api of Orders',
        'owned by group:default/orders-team',
        '/api/orders',
        '/api/orders/{id}',
        'GET /api/orders/{id}',
        'SELECT orders',
      ].join('\n'),
      location: '/catalog/default/component/orders/traces',
      serviceName: 'orders-api',
      serviceNamespace: 'shop',
      entityRef: 'component:default/orders',
      entityTitle: 'Orders',
      owner: 'group:default/orders-team',
      spanNames: ['GET /api/orders/{id}', 'SELECT orders'],
      httpRoutes: ['/api/orders', '/api/orders/{id}'],
      requestRate: 6,
      errorRate: 0.25,
      lookbackMinutes: 60,
      authorization: { resourceRef: 'component:default/orders' },
    });
    // a traced service without server spans has a rate of zero, not none
    expect(documents[1]).toMatchObject({ requestRate: 0, errorRate: 0 });
    expect(documents[2]).toMatchObject({
      location: '/catalog/default/component/billing/traces',
      requestRate: 0.25,
      authorization: { resourceRef: 'component:default/billing' },
    });

    // the backend scopes each service's values to the entity, with the plugin's own token
    const scoped = seen.tagRequests.filter(u =>
      u.searchParams.has('entityRef'),
    );
    expect(scoped.map(u => u.searchParams.get('entityRef'))).toContain(
      'component:default/orders',
    );
    expect(new Set(seen.authorization)).toEqual(
      new Set([expect.stringMatching(/^Bearer .+/)]),
    );
  });

  it('shows documents only to who may read the entity traces', () => {
    expect(factory().visibilityPermission.name).toBe('traces.entity.read');
    expect(factory().type).toBe('traces');
  });

  it('keeps indexing without rates when TraceQL metrics fail', async () => {
    tracesBackend({ metrics: 'fail' });
    const logger = mockServices.logger.mock();
    const documents = await collect(factory(logger));
    expect(documents).toHaveLength(3);
    expect(documents[0].requestRate).toBeUndefined();
    expect(documents[0].errorRate).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('without rates'),
    );
  });

  it('fails this collator with the reason logged when Tempo is down', async () => {
    server.use(
      http.get(`${TRACES}/tags/:tag/values`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'Error',
              message: 'Tempo: cannot reach http://tempo:3200',
            },
            response: { statusCode: 503 },
          },
          { status: 503 },
        ),
      ),
    );
    const logger = mockServices.logger.mock();
    await expect(collect(factory(logger))).rejects.toThrow(/503/);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /Not indexing traced services.*Tempo: cannot reach/,
      ),
    );
  });
});
