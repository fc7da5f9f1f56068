import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Entity } from '@backstage/catalog-model';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import {
  ENTITIES,
  startTracesBackend,
  TEMPO_CONFIG,
  TEMPO_URL,
} from '../../__testUtils__/startTracesBackend';
import { fixtureResponse } from '../../__testUtils__/tempoFixtures';
import {
  tempoSearchResponse,
  tempoTraceV2,
} from '../../__testUtils__/tempoTraceBuilder';
import { neverAnswers } from '../../__testUtils__/neverAnswers';

const PROMETHEUS_URL = 'http://prometheus.test:9090';
const PROMETHEUS_CONFIG = {
  traces: {
    ...TEMPO_CONFIG.traces,
    prometheus: {
      baseUrl: PROMETHEUS_URL,
      auth: { bearerToken: 'pr0m-token' },
    },
  },
};
const RANGE = { start: 1795545850, end: 1795549450 };

const HOSTILE_SERVICE = 'evil"}) or vector(1) or sum({__name__=~".+';
const HOSTILE_ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'evil',
    namespace: 'default',
    annotations: { 'opentelemetry.io/service-name': HOSTILE_SERVICE },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/shop-team',
  },
};

describe('GET /api/traces/service-graph', () => {
  const upstreams = setupServer();
  registerMswTestHooks(upstreams);

  describe('from Prometheus', () => {
    let queries: URL[];
    let headers: Headers[];

    function prometheusAnswers(
      answer: (query: string) => Response | Promise<Response>,
    ) {
      queries = [];
      headers = [];
      upstreams.use(
        http.get(`${PROMETHEUS_URL}/api/v1/query`, ({ request: req }) => {
          const url = new URL(req.url);
          queries.push(url);
          headers.push(req.headers);
          return answer(url.searchParams.get('query')!);
        }),
      );
    }

    const vector = (rows: Array<[string, string, string]>) =>
      HttpResponse.json({
        status: 'success',
        data: {
          resultType: 'vector',
          result: rows.map(([client, server, value]) => ({
            metric: { client, server },
            value: [RANGE.end, value],
          })),
        },
      });

    /** Series of frontend → orders-api → billing, plus orders-worker → billing. */
    function shopSeries(query: string) {
      if (query.startsWith('histogram_quantile(0.5,')) {
        return vector([
          ['frontend', 'orders-api', '0.012'],
          ['orders-api', 'billing', '0.004'],
        ]);
      }
      if (query.startsWith('histogram_quantile(0.95,')) {
        return vector([
          ['frontend', 'orders-api', '0.2'],
          ['orders-api', 'billing', '0.05'],
        ]);
      }
      if (query.startsWith('histogram_quantile(0.99,')) {
        return vector([
          ['frontend', 'orders-api', '1.5'],
          ['orders-api', 'billing', 'NaN'],
        ]);
      }
      if (query.includes('_failed_total'))
        return vector([['frontend', 'orders-api', '4.0004']]);
      if (query.startsWith('max_over_time('))
        return vector([
          ['frontend', 'orders-api', String(RANGE.end - 60)],
          ['orders-api', 'billing', String(RANGE.end - 600)],
        ]);
      return vector([
        ['frontend', 'orders-api', '1200.3'],
        ['orders-api', 'billing', '600'],
        ['orders-worker', 'billing', '30'],
      ]);
    }

    it('answers the edges around the entity’s services with counts, errors and latencies', async () => {
      prometheusAnswers(shopSeries);
      const app = await startTracesBackend({ config: PROMETHEUS_CONFIG });
      const res = await request(app)
        .get('/api/traces/service-graph')
        .query({ entityRef: 'component:default/orders-api', ...RANGE });

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        source: 'prometheus',
        ...RANGE,
        nodes: [
          {
            id: 'orders-api',
            isEntityService: true,
            owners: [
              {
                entityRef: 'component:default/orders-api',
                owner: 'group:default/shop-team',
              },
            ],
          },
          {
            id: 'orders-worker',
            isEntityService: true,
            owners: [
              {
                entityRef: 'component:default/orders-api',
                owner: 'group:default/shop-team',
              },
            ],
          },
          {
            id: 'billing',
            isEntityService: false,
            owners: [
              {
                entityRef: 'component:default/billing',
                owner: 'group:default/shop-team',
              },
            ],
          },
          {
            id: 'frontend',
            isEntityService: false,
            owners: [
              {
                entityRef: 'component:default/frontend',
                owner: 'group:default/shop-team',
              },
            ],
          },
        ],
        edges: [
          {
            source: 'frontend',
            target: 'orders-api',
            requestCount: 1200,
            errorCount: 4,
            latencyP50Ms: 12,
            latencyP95Ms: 200,
            latencyP99Ms: 1500,
            lastSeen: RANGE.end - 60,
            declared: false,
            observed: true,
          },
          {
            source: 'orders-api',
            target: 'billing',
            requestCount: 600,
            errorCount: 0,
            latencyP50Ms: 4,
            latencyP95Ms: 50,
            lastSeen: RANGE.end - 600,
            declared: false,
            observed: true,
          },
          {
            source: 'orders-worker',
            target: 'billing',
            requestCount: 30,
            errorCount: 0,
            declared: false,
            observed: true,
          },
        ],
        dependencies: {
          entityRefs: ['component:default/orders-api'],
          dependencies: [
            {
              state: 'observed-not-declared',
              source: {
                entityRef: 'component:default/frontend',
                services: ['frontend'],
              },
              target: {
                entityRef: 'component:default/orders-api',
                services: ['orders-api'],
              },
              requestCount: 1200,
              errorCount: 4,
              lastSeen: RANGE.end - 60,
            },
            {
              state: 'observed-not-declared',
              source: {
                entityRef: 'component:default/orders-api',
                services: ['orders-api', 'orders-worker'],
              },
              target: {
                entityRef: 'component:default/billing',
                services: ['billing'],
              },
              requestCount: 630,
              errorCount: 0,
              lastSeen: RANGE.end - 600,
            },
          ],
          notSeen: [],
        },
      });

      expect(queries).toHaveLength(6);
      const sent = queries.map(url => url.searchParams.get('query'));
      expect(sent).toContain(
        'sum by (client, server) (increase(traces_service_graph_request_total{server=~"orders-api|orders-worker"}[3600s]))' +
          ' or sum by (client, server) (increase(traces_service_graph_request_total{client=~"orders-api|orders-worker"}[3600s]))',
      );
      // The last minute-long step in which each edge's counter grew.
      expect(sent).toContain(
        'max_over_time((timestamp(sum by (client, server) (increase(traces_service_graph_request_total{server=~"orders-api|orders-worker"}[60s])) > 0)' +
          ' or timestamp(sum by (client, server) (increase(traces_service_graph_request_total{client=~"orders-api|orders-worker"}[60s])) > 0))[3600s:60s])',
      );
      expect(
        queries.every(
          url => url.searchParams.get('time') === String(RANGE.end),
        ),
      ).toBe(true);
      expect(
        headers.every(h => h.get('authorization') === 'Bearer pr0m-token'),
      ).toBe(true);
    });

    it('keeps the entity’s services as nodes when there are no series', async () => {
      prometheusAnswers(() => vector([]));
      const app = await startTracesBackend({ config: PROMETHEUS_CONFIG });
      const res = await request(app)
        .get('/api/traces/service-graph')
        .query({ entityRef: 'billing' });
      expect(res.status).toBe(200);
      expect(res.body.nodes).toEqual([
        {
          id: 'billing',
          isEntityService: true,
          owners: [
            {
              entityRef: 'component:default/billing',
              owner: 'group:default/shop-team',
            },
          ],
        },
      ]);
      expect(res.body.edges).toEqual([]);
      expect(res.body.end - res.body.start).toBe(3600);
    });

    it('escapes a hostile service name so that it stays inside the label matcher', async () => {
      prometheusAnswers(() => vector([]));
      const app = await startTracesBackend({
        config: PROMETHEUS_CONFIG,
        entities: [...ENTITIES, HOSTILE_ENTITY],
      });
      const res = await request(app)
        .get('/api/traces/service-graph')
        .query({ entityRef: 'evil' });
      expect(res.status).toBe(200);
      const requests = queries
        .map(url => url.searchParams.get('query')!)
        .find(q => q.includes('request_total') && !q.includes('failed'))!;
      expect(requests).toBe(
        'sum by (client, server) (increase(traces_service_graph_request_total{server=~"evil\\"\\\\}\\\\) or vector\\\\(1\\\\) or sum\\\\(\\\\{__name__=~\\"\\\\.\\\\+"}[3600s]))' +
          ' or sum by (client, server) (increase(traces_service_graph_request_total{client=~"evil\\"\\\\}\\\\) or vector\\\\(1\\\\) or sum\\\\(\\\\{__name__=~\\"\\\\.\\\\+"}[3600s]))',
      );
      expect(res.body.nodes).toEqual([
        {
          id: HOSTILE_SERVICE,
          isEntityService: true,
          owners: [
            {
              entityRef: 'component:default/evil',
              owner: 'group:default/shop-team',
            },
          ],
        },
      ]);
    });

    it.each([
      [
        502,
        () =>
          HttpResponse.json(
            {
              status: 'error',
              errorType: 'bad_data',
              error: '1:7: parse error: unexpected "}"',
            },
            { status: 400 },
          ),
        /^Prometheus: rejected the query \(HTTP 400, bad_data\): 1:7: parse error: unexpected "}"$/,
      ],
      [
        504,
        () =>
          HttpResponse.json(
            {
              status: 'error',
              errorType: 'timeout',
              error: 'query timed out in query execution',
            },
            { status: 503 },
          ),
        /^Prometheus: query timed out/,
      ],
      [
        503,
        () => HttpResponse.error(),
        /^Prometheus: cannot reach http:\/\/prometheus\.test:9090/,
      ],
      [
        502,
        () => new HttpResponse('denied', { status: 403 }),
        /^Prometheus: refused the plugin's credentials/,
      ],
    ])(
      'maps Prometheus failure #%# to %i naming Prometheus',
      async (status, response, message) => {
        prometheusAnswers(query =>
          query.startsWith('histogram_quantile(0.99,')
            ? response()
            : vector([]),
        );
        const app = await startTracesBackend({ config: PROMETHEUS_CONFIG });
        const res = await request(app)
          .get('/api/traces/service-graph')
          .query({ entityRef: 'frontend' });
        expect(res.status).toBe(status);
        expect(res.body.error.message).toMatch(message);
        expect(JSON.stringify(res.body)).not.toContain('pr0m-token');
      },
    );

    it('answers 504 when Prometheus is too slow', async () => {
      upstreams.use(http.get(`${PROMETHEUS_URL}/api/v1/query`, neverAnswers));
      const app = await startTracesBackend({
        config: {
          traces: { prometheus: { baseUrl: PROMETHEUS_URL, timeout: '200ms' } },
        },
      });
      const res = await request(app)
        .get('/api/traces/service-graph')
        .query({ entityRef: 'frontend' });
      expect(res.status).toBe(504);
      expect(res.body.error.message).toBe(
        'Prometheus: no answer within 200 ms from http://prometheus.test:9090',
      );
    });

    it.each<[object, RegExp]>([
      [{}, /'entityRef': is required/],
      [
        { entityRef: ['frontend', 'billing'] },
        /'entityRef': must be a single string/,
      ],
      [
        { entityRef: 'frontend', start: '1795549421000' },
        /'start': looks like milliseconds/,
      ],
      [
        { entityRef: 'frontend', start: '1795549450', end: '1795545850' },
        /must be before 'end'/,
      ],
      [
        { entityRef: 'frontend', start: '1700000000', end: '1795545821' },
        /the most allowed is 168 h/,
      ],
      [
        { entityRef: 'no-traces' },
        /has no 'opentelemetry.io\/service-name' annotation/,
      ],
      ...['0', '4', '1.5', 'two', ''].map((depth): [object, RegExp] => [
        { entityRef: 'frontend', depth },
        /'depth': must be a whole number from 1 to 3/,
      ]),
    ])(
      'answers 400 for %j without querying Prometheus',
      async (query, message) => {
        prometheusAnswers(() => vector([]));
        const app = await startTracesBackend({ config: PROMETHEUS_CONFIG });
        const res = await request(app)
          .get('/api/traces/service-graph')
          .query(query);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(message);
        expect(queries).toHaveLength(0);
      },
    );

    it('follows callers of callers and callees of callees at depth 2, six queries per hop', async () => {
      const requestTotal =
        'sum by (client, server) (increase(traces_service_graph_request_total';
      prometheusAnswers(query => {
        if (!query.startsWith(requestTotal)) return vector([]);
        if (query.includes('server=~"orders-api|orders-worker"')) {
          return vector([
            ['frontend', 'orders-api', '100'],
            ['orders-api', 'billing', '50'],
          ]);
        }
        if (query.includes('server=~"frontend"')) {
          return vector([
            ['web', 'frontend', '80'],
            ['frontend', 'orders-api', '100'],
            ['billing', 'bank', '20'],
          ]);
        }
        return vector([['unexpected', 'hop', '1']]);
      });
      const app = await startTracesBackend({ config: PROMETHEUS_CONFIG });
      const res = await request(app)
        .get('/api/traces/service-graph')
        .query({ entityRef: 'orders-api', depth: '2', ...RANGE });

      expect(res.status).toBe(200);
      expect(
        res.body.edges.map((e: any) => [e.source, e.target, e.requestCount]),
      ).toEqual([
        ['frontend', 'orders-api', 100],
        ['web', 'frontend', 80],
        ['orders-api', 'billing', 50],
        ['billing', 'bank', 20],
      ]);
      expect(res.body.nodes.map((n: any) => n.id)).toEqual([
        'orders-api',
        'orders-worker',
        'bank',
        'billing',
        'frontend',
        'web',
      ]);
      expect(queries).toHaveLength(12);
      // The second hop asks for the callers of the callers and the callees of the callees only.
      expect(queries.map(url => url.searchParams.get('query'))).toContain(
        `${requestTotal}{server=~"frontend"}[3600s]))` +
          ` or ${requestTotal}{client=~"billing"}[3600s]))`,
      );
    });

    it('answers 404 for an entity that is not in the catalog', async () => {
      prometheusAnswers(() => vector([]));
      const app = await startTracesBackend({ config: PROMETHEUS_CONFIG });
      const res = await request(app)
        .get('/api/traces/service-graph')
        .query({ entityRef: 'component:default/nope' });
      expect(res.status).toBe(404);
      expect(queries).toHaveLength(0);
    });
  });

  describe('from sampled traces', () => {
    let searches: URL[];
    let fetched: string[];

    const trace = (id: string, paymentsFails: boolean) =>
      tempoTraceV2(
        id,
        [
          { id: 'a1', service: 'frontend', kind: 'SERVER', durationMs: 300 },
          {
            id: 'a2',
            parent: 'a1',
            service: 'frontend',
            kind: 'CLIENT',
            durationMs: 250,
          },
          {
            id: 'b1',
            parent: 'a2',
            service: 'orders-api',
            kind: 'SERVER',
            durationMs: 200,
          },
          {
            id: 'b2',
            parent: 'b1',
            service: 'orders-api',
            kind: 'PRODUCER',
            durationMs: 2,
          },
          {
            id: 'e1',
            parent: 'b2',
            service: 'orders-worker',
            kind: 'CONSUMER',
            startMs: 50,
            durationMs: 70,
          },
          {
            id: 'b3',
            parent: 'b1',
            service: 'orders-api',
            kind: 'CLIENT',
            durationMs: 90,
            error: paymentsFails,
          },
          {
            id: 'd1',
            parent: 'b3',
            service: 'payments',
            kind: 'SERVER',
            durationMs: paymentsFails ? 85 : 45,
            error: paymentsFails,
          },
          {
            id: 'e2',
            parent: 'e1',
            service: 'orders-worker',
            kind: 'CLIENT',
            durationMs: 20,
          },
          {
            id: 'f1',
            parent: 'e2',
            service: 'mailer',
            kind: 'SERVER',
            durationMs: 15,
          },
        ],
        { namespace: 'shop' },
      );
    /** The second the built traces start (tempoTraceBuilder), and the recorded fixture's. */
    const SAMPLE_SECONDS = 1_795_549_350;
    const FIXTURE_SECONDS = 1_795_549_350;
    const ID_1 = '0af7651916cd43dd8448eb211c80319c';
    const ID_2 = '00f067aa0ba902b7d0c6e1b8e4f3a2c1';

    function tempoAnswers(
      search: () => Response,
      traces: Record<string, () => Response> = {},
    ) {
      searches = [];
      fetched = [];
      upstreams.use(
        http.get(`${TEMPO_URL}/api/search`, ({ request: req }) => {
          searches.push(new URL(req.url));
          return search();
        }),
        http.get(`${TEMPO_URL}/api/v2/traces/:id`, ({ params }) => {
          fetched.push(params.id as string);
          return (
            traces[params.id as string]?.() ??
            fixtureResponse('trace-v2-not-found.txt')
          );
        }),
      );
    }

    describe('against the dependencies the catalog declares', () => {
      const ref = (kind: string, name: string) => `${kind}:shop/${name}`;
      const entity = (
        kind: string,
        name: string,
        relations: Array<[string, string]>,
        serviceName?: string,
        extraAnnotations: Record<string, string> = {},
      ): Entity => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind,
        metadata: {
          name,
          namespace: 'shop',
          annotations: {
            ...(serviceName && {
              'opentelemetry.io/service-name': serviceName,
            }),
            ...extraAnnotations,
          },
        },
        spec: { owner: 'group:default/shop-team' },
        relations: relations.map(([type, targetRef]) => ({ type, targetRef })),
      });
      // Relations as the catalog's processors write them (both directions, full refs).
      const SHOP: Entity[] = [
        entity('System', 'shop', [
          ['hasPart', ref('component', 'frontend')],
          ['hasPart', ref('component', 'orders-api')],
          ['hasPart', ref('component', 'payments-worker')],
          ['hasPart', ref('api', 'orders-http')],
        ]),
        entity(
          'Component',
          'frontend',
          [
            ['consumesApi', ref('api', 'orders-http')],
            ['dependsOn', ref('component', 'inventory')],
          ],
          'frontend',
        ),
        entity(
          'Component',
          'orders-api',
          [
            ['providesApi', ref('api', 'orders-http')],
            ['dependsOn', ref('resource', 'orders-db')],
          ],
          'orders-api, orders-worker',
          { 'opentelemetry.io/service-namespace': 'shop' },
        ),
        entity('Component', 'payments', [], 'payments'),
        entity(
          'Component',
          'inventory',
          [['dependencyOf', ref('component', 'frontend')]],
          'inventory',
        ),
        entity('Component', 'payments-worker', [
          ['dependsOn', ref('component', 'payments')],
        ]),
        entity('API', 'orders-http', [
          ['apiProvidedBy', ref('component', 'orders-api')],
          ['apiConsumedBy', ref('component', 'frontend')],
        ]),
        entity('Resource', 'orders-db', [
          ['dependencyOf', ref('component', 'orders-api')],
        ]),
      ];
      const rowsOf = (body: any) =>
        body.dependencies.dependencies.map((d: any) => [
          d.state,
          d.source.entityRef ?? d.source.services.join(),
          d.target.entityRef ?? d.target.services.join(),
          d.requestCount,
          d.declaredVia,
        ]);

      it('marks each edge and lists the dependencies of an entity and on it, declared or observed', async () => {
        tempoAnswers(() => HttpResponse.json(tempoSearchResponse([ID_1])), {
          [ID_1]: () => HttpResponse.json(trace(ID_1, false)),
        });
        const app = await startTracesBackend({
          config: TEMPO_CONFIG,
          entities: SHOP,
        });
        const res = await request(app)
          .get('/api/traces/service-graph')
          .query({ entityRef: 'component:shop/orders-api', ...RANGE });

        expect(res.status).toBe(200);
        expect(rowsOf(res.body)).toEqual([
          [
            'observed-not-declared',
            ref('component', 'orders-api'),
            ref('component', 'payments'),
            1,
            undefined,
          ],
          [
            'observed-not-declared',
            ref('component', 'orders-api'),
            'mailer',
            1,
            undefined,
          ],
          [
            'declared-not-seen',
            ref('component', 'orders-api'),
            ref('resource', 'orders-db'),
            0,
            ['dependsOn'],
          ],
          // frontend consumes the API orders-api provides
          [
            'declared-and-observed',
            ref('component', 'frontend'),
            ref('component', 'orders-api'),
            1,
            [ref('api', 'orders-http')],
          ],
        ]);
        expect(res.body.dependencies.notSeen).toHaveLength(1);
        expect(res.body.dependencies.entityRefs).toEqual([
          'component:shop/orders-api',
        ]);
        expect(
          res.body.edges.map((e: any) => [
            e.source,
            e.target,
            e.declared,
            e.observed,
          ]),
        ).toEqual([
          ['frontend', 'orders-api', true, true],
          ['orders-api', 'orders-worker', undefined, true],
          ['orders-api', 'payments', false, true],
          ['orders-worker', 'mailer', false, true],
          ['orders-api', ref('resource', 'orders-db'), true, false],
        ]);
        expect(res.body.nodes.at(-1)).toEqual({
          id: ref('resource', 'orders-db'),
          isEntityService: false,
          owners: [{ entityRef: ref('resource', 'orders-db') }],
          declaredOnly: true,
        });
      });

      it('compares all the components of a System, the traced ones searched together', async () => {
        tempoAnswers(() => HttpResponse.json(tempoSearchResponse([ID_1])), {
          [ID_1]: () => HttpResponse.json(trace(ID_1, false)),
        });
        const app = await startTracesBackend({
          config: TEMPO_CONFIG,
          entities: SHOP,
        });
        const res = await request(app)
          .get('/api/traces/service-graph')
          .query({ entityRef: 'system:shop/shop', ...RANGE });

        expect(res.status).toBe(200);
        // the components' namespaces differ (frontend names none): names alone
        expect(searches[0].searchParams.get('q')).toBe(
          '{ (resource.service.name = "frontend" || resource.service.name = "orders-api" || resource.service.name = "orders-worker") }',
        );
        expect(res.body.dependencies.entityRefs).toEqual([
          ref('component', 'frontend'),
          ref('component', 'orders-api'),
          ref('component', 'payments-worker'),
        ]);
        expect(rowsOf(res.body)).toEqual([
          [
            'observed-not-declared',
            ref('component', 'orders-api'),
            ref('component', 'payments'),
            1,
            undefined,
          ],
          [
            'observed-not-declared',
            ref('component', 'orders-api'),
            'mailer',
            1,
            undefined,
          ],
          [
            'declared-not-seen',
            ref('component', 'frontend'),
            ref('component', 'inventory'),
            0,
            ['dependsOn'],
          ],
          [
            'declared-not-seen',
            ref('component', 'orders-api'),
            ref('resource', 'orders-db'),
            0,
            ['dependsOn'],
          ],
          // not instrumented: what it declares is not seen
          [
            'declared-not-seen',
            ref('component', 'payments-worker'),
            ref('component', 'payments'),
            0,
            ['dependsOn'],
          ],
          [
            'declared-and-observed',
            ref('component', 'frontend'),
            ref('component', 'orders-api'),
            1,
            [ref('api', 'orders-http')],
          ],
        ]);
        // inventory is drawn by the service it claims
        expect(res.body.edges).toContainEqual({
          source: 'frontend',
          target: 'inventory',
          requestCount: 0,
          errorCount: 0,
          declared: true,
          observed: false,
        });
      });

      it('leaves out the components whose traces the caller may not read', async () => {
        tempoAnswers(() => HttpResponse.json(tempoSearchResponse([])));
        const authorize = jest.fn(
          async (requests: Array<{ resourceRef?: string }>) =>
            requests.map(r => ({
              result:
                r.resourceRef === ref('component', 'orders-api')
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            })),
        );
        const app = await startTracesBackend({
          config: TEMPO_CONFIG,
          entities: SHOP,
          extraFeatures: [
            mockServices.permissions.mock({ authorize } as any).factory,
          ],
        });
        const res = await request(app)
          .get('/api/traces/service-graph')
          .query({ entityRef: 'system:shop/shop', ...RANGE });
        expect(res.status).toBe(200);
        expect(searches[0].searchParams.get('q')).toBe(
          '{ resource.service.name = "frontend" }',
        );
        expect(res.body.dependencies.entityRefs).toEqual([
          ref('component', 'frontend'),
          ref('component', 'payments-worker'),
        ]);
      });

      it('answers 400 for a System whose components keep traces in different tenants, or have none', async () => {
        tempoAnswers(() => HttpResponse.json(tempoSearchResponse([])));
        const tenants = SHOP.map(e =>
          e.metadata.name === 'frontend'
            ? {
                ...e,
                metadata: {
                  ...e.metadata,
                  annotations: {
                    ...e.metadata.annotations,
                    'grafana.com/tempo-tenant': 'web',
                  },
                },
              }
            : e,
        );
        const app = await startTracesBackend({
          config: TEMPO_CONFIG,
          entities: [
            ...tenants,
            entity('System', 'empty', [
              ['hasPart', ref('component', 'payments-worker')],
            ]),
          ],
        });
        const mixed = await request(app)
          .get('/api/traces/service-graph')
          .query({ entityRef: 'system:shop/shop' });
        expect(mixed.status).toBe(400);
        expect(mixed.body.error.message).toMatch(
          /components of system:shop\/shop keep their traces in different Tempo tenants \(web, the default\)/,
        );
        const empty = await request(app)
          .get('/api/traces/service-graph')
          .query({ entityRef: 'system:shop/empty' });
        expect(empty.status).toBe(400);
        expect(empty.body.error.message).toMatch(
          /System system:shop\/empty has no component with the 'opentelemetry.io\/service-name' annotation/,
        );
        expect(searches).toHaveLength(0);
      });
    });

    it('aggregates the calls of recent traces around the entity’s services', async () => {
      tempoAnswers(() => HttpResponse.json(tempoSearchResponse([ID_1, ID_2])), {
        [ID_1]: () => HttpResponse.json(trace(ID_1, false)),
        [ID_2]: () => HttpResponse.json(trace(ID_2, true)),
      });
      const app = await startTracesBackend({
        config: {
          traces: {
            ...TEMPO_CONFIG.traces,
            serviceGraph: { sampleTraces: 20 },
          },
        },
      });
      const res = await request(app)
        .get('/api/traces/service-graph')
        .query({ entityRef: 'orders-api', ...RANGE });

      expect(res.status).toBe(200);
      expect(searches[0].searchParams.get('q')).toBe(
        '{ (resource.service.name = "orders-api" || resource.service.name = "orders-worker") && resource.service.namespace = "shop" }',
      );
      expect(searches[0].searchParams.get('limit')).toBe('20');
      expect(fetched.sort()).toEqual([ID_2, ID_1]);
      expect(res.body).toMatchObject({
        source: 'traces',
        sampledTraces: 2,
        ...RANGE,
      });
      expect(
        res.body.nodes.map((n: any) => [
          n.id,
          n.isEntityService,
          n.owners.map((o: any) => o.entityRef),
        ]),
      ).toEqual([
        ['orders-api', true, ['component:default/orders-api']],
        ['orders-worker', true, ['component:default/orders-api']],
        ['frontend', false, ['component:default/frontend']],
        ['mailer', false, []],
        ['payments', false, []],
      ]);
      expect(res.body.edges).toEqual([
        {
          source: 'frontend',
          target: 'orders-api',
          requestCount: 2,
          errorCount: 0,
          latencyP50Ms: 200,
          latencyP95Ms: 200,
          latencyP99Ms: 200,
          lastSeen: SAMPLE_SECONDS,
          declared: false,
          observed: true,
        },
        {
          source: 'orders-api',
          target: 'orders-worker',
          requestCount: 2,
          errorCount: 0,
          latencyP50Ms: 70,
          latencyP95Ms: 70,
          latencyP99Ms: 70,
          lastSeen: SAMPLE_SECONDS,
          // both ends are orders-api's: no dependency to declare
          observed: true,
        },
        {
          source: 'orders-api',
          target: 'payments',
          requestCount: 2,
          errorCount: 1,
          latencyP50Ms: 45,
          latencyP95Ms: 85,
          latencyP99Ms: 85,
          lastSeen: SAMPLE_SECONDS,
          declared: false,
          observed: true,
        },
        {
          source: 'orders-worker',
          target: 'mailer',
          requestCount: 2,
          errorCount: 0,
          latencyP50Ms: 15,
          latencyP95Ms: 15,
          latencyP99Ms: 15,
          lastSeen: SAMPLE_SECONDS,
          declared: false,
          observed: true,
        },
      ]);
    });

    it('reads the real Tempo trace fixture: frontend → orders-api → its database, all failing', async () => {
      const id = '4bf92f3577b34da6a3ce929d0e0e4736';
      tempoAnswers(() => HttpResponse.json(tempoSearchResponse([id])), {
        [id]: () => fixtureResponse('trace-v2.json'),
      });
      const app = await startTracesBackend();
      const res = await request(app)
        .get('/api/traces/service-graph')
        .query({ entityRef: 'frontend' });
      expect(res.status).toBe(200);
      expect(res.body.sampledTraces).toBe(1);
      expect(res.body.edges).toEqual([
        {
          source: 'frontend',
          target: 'orders-api',
          requestCount: 1,
          errorCount: 1,
          latencyP50Ms: 90,
          latencyP95Ms: 90,
          latencyP99Ms: 90,
          lastSeen: FIXTURE_SECONDS,
          declared: false,
          observed: true,
        },
        {
          source: 'user',
          target: 'frontend',
          requestCount: 1,
          errorCount: 1,
          latencyP50Ms: 120,
          latencyP95Ms: 120,
          latencyP99Ms: 120,
          lastSeen: FIXTURE_SECONDS,
          observed: true,
        },
      ]);
    });

    it.each([
      [
        '2',
        [
          ['user', 'frontend'],
          ['frontend', 'orders-api'],
          ['orders-api', 'orders-worker'],
          ['orders-api', 'payments'],
        ],
      ],
      [
        '3',
        [
          ['user', 'frontend'],
          ['frontend', 'orders-api'],
          ['orders-api', 'orders-worker'],
          ['orders-api', 'payments'],
          ['orders-worker', 'mailer'],
        ],
      ],
    ])(
      'walks the sampled calls downstream to depth %s',
      async (depth, expected) => {
        tempoAnswers(() => HttpResponse.json(tempoSearchResponse([ID_1])), {
          [ID_1]: () => HttpResponse.json(trace(ID_1, false)),
        });
        const app = await startTracesBackend({ config: TEMPO_CONFIG });
        const res = await request(app)
          .get('/api/traces/service-graph')
          .query({ entityRef: 'frontend', depth, ...RANGE });

        expect(res.status).toBe(200);
        expect(fetched).toEqual([ID_1]);
        expect(
          res.body.edges
            .map((e: any) => [e.source, e.target])
            .sort((a: string[], b: string[]) =>
              a.join().localeCompare(b.join()),
            ),
        ).toEqual(
          [...expected].sort((a, b) => a.join().localeCompare(b.join())),
        );
      },
    );

    it('answers an empty sample when no recent trace matches', async () => {
      tempoAnswers(() => fixtureResponse('search-no-results.json'));
      const app = await startTracesBackend();
      const res = await request(app)
        .get('/api/traces/service-graph')
        .query({ entityRef: 'billing' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        source: 'traces',
        sampledTraces: 0,
        edges: [],
      });
      expect(res.body.nodes).toEqual([
        {
          id: 'billing',
          isEntityService: true,
          owners: [
            {
              entityRef: 'component:default/billing',
              owner: 'group:default/shop-team',
            },
          ],
        },
      ]);
      expect(fetched).toEqual([]);
    });

    it.each([
      [
        502,
        () => new HttpResponse('internal error', { status: 500 }),
        /^Tempo: answered HTTP 500: internal error/,
      ],
      [
        503,
        () =>
          new HttpResponse('too many outstanding requests', { status: 429 }),
        /^Tempo: is rate limiting/,
      ],
      [
        503,
        () => HttpResponse.error(),
        /^Tempo: cannot reach http:\/\/tempo\.test:3200/,
      ],
    ])(
      'maps a failing Tempo search #%# to %i naming Tempo',
      async (status, response, message) => {
        tempoAnswers(response);
        const app = await startTracesBackend();
        const res = await request(app)
          .get('/api/traces/service-graph')
          .query({ entityRef: 'frontend' });
        expect(res.status).toBe(status);
        expect(res.body.error.message).toMatch(message);
        expect(JSON.stringify(res.body)).not.toContain('s3cr3t-token');
      },
    );

    it('answers 504 when Tempo is too slow', async () => {
      tempoAnswers(() => fixtureResponse('search-no-results.json'));
      upstreams.use(http.get(`${TEMPO_URL}/api/search`, neverAnswers));
      const app = await startTracesBackend({
        config: { traces: { tempo: { baseUrl: TEMPO_URL, timeout: '200ms' } } },
      });
      const res = await request(app)
        .get('/api/traces/service-graph')
        .query({ entityRef: 'frontend' });
      expect(res.status).toBe(504);
      expect(res.body.error.message).toMatch(/^Tempo: no answer within 200 ms/);
    });

    it('answers 502 naming Tempo when every sampled trace fails to load', async () => {
      tempoAnswers(() => HttpResponse.json(tempoSearchResponse([ID_1])), {
        [ID_1]: () =>
          new HttpResponse('trace exceeds max size', { status: 422 }),
      });
      const app = await startTracesBackend();
      const res = await request(app)
        .get('/api/traces/service-graph')
        .query({ entityRef: 'orders-api' });
      expect(res.status).toBe(502);
      expect(res.body.error.message).toBe(
        'Tempo: cannot serve this request: trace exceeds max size',
      );
    });
  });

  it('samples the embedded store when neither Prometheus nor Tempo is configured', async () => {
    const app = await startTracesBackend({ config: {} });
    const res = await request(app)
      .get('/api/traces/service-graph')
      .query({ entityRef: 'frontend' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ source: 'traces', sampledTraces: 0 });
  });
});
