import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { http, HttpResponse } from 'msw';
import request from 'supertest';
import type { TeamTracesResponse } from '@backstage-traces/plugin-traces-common';
import { setupUpstreamServer } from '../../__testUtils__/setupUpstreamServer';
import {
  startTracesBackend,
  TEMPO_CONFIG,
  TEMPO_URL,
} from '../../__testUtils__/startTracesBackend';

function group(name: string, children: string[] = []): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children },
    relations: children.map(child => ({
      type: 'parentOf',
      targetRef: `group:default/${child}`,
    })),
  };
}

function component(
  name: string,
  owner: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', title: `The ${name}`, annotations },
    spec: { type: 'service', owner: `group:default/${owner}` },
    relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
  };
}

const traced = (service: string, namespace?: string) => ({
  'opentelemetry.io/service-name': service,
  ...(namespace && { 'opentelemetry.io/service-namespace': namespace }),
});

/** engineering → shop-team → checkout-squad, and payments-team; one foreign team. */
const ENTITIES: Entity[] = [
  group('engineering', ['shop-team', 'payments-team']),
  group('shop-team', ['checkout-squad']),
  group('checkout-squad'),
  group('payments-team'),
  group('other-team'),
  component('frontend', 'shop-team', traced('frontend', 'shop')),
  component('checkout', 'checkout-squad', traced('checkout, checkout-worker')),
  component('payments-api', 'payments-team', traced('payments-api', 'shop')),
  component('idle-api', 'payments-team', traced('idle-api')),
  component('docs-site', 'shop-team', {}),
  component('foreign-api', 'other-team', traced('foreign-api')),
];

type Labels = Record<string, string>;

/**
 * Tempo's range answer: one series per label set, the count split over two steps (the team
 * view adds the steps up).
 */
function tempoSeries(rows: Array<[Labels, number]>) {
  return {
    series: rows.map(([labels, value]) => ({
      labels: Object.entries(labels).map(([key, v]) => ({
        key,
        value: { stringValue: v },
      })),
      samples: [
        { timestampMs: '1795548800000', value: value - Math.floor(value / 2) },
        { timestampMs: '1795550600000', value: Math.floor(value / 2) },
      ],
    })),
  };
}

const shop = (service: string, extra: Labels = {}): Labels => ({
  'resource.service.namespace': 'shop',
  'resource.service.name': service,
  ...extra,
});
const bare = (service: string, extra: Labels = {}): Labels => ({
  'resource.service.name': service,
  ...extra,
});
/** Power-of-two latency buckets, upper bounds in seconds as Tempo labels them. */
const B17MS = '0.016777216';
const B34MS = '0.033554432';
const B67MS = '0.067108864';
const B268MS = '0.268435456';
const B537MS = '0.536870912';
const B2S = '2.147483648';
const B4S = '4.294967296';
const bucket = (labels: Labels, bound: string): Labels => ({
  ...labels,
  __bucket: bound,
});

/** What the fake Tempo answers per function, recognised by the query's pipeline. */
const ANSWERS: Array<[RegExp, Array<[Labels, number]>]> = [
  [
    /histogram_over_time/,
    [
      // GET /: 95 of 100 within 16.8 ms: p95 is that bucket's bound
      [bucket(shop('frontend', { name: 'GET /' }), B17MS), 95],
      [bucket(shop('frontend', { name: 'GET /' }), B268MS), 5],
      [bucket(shop('frontend', { name: 'POST /api/checkout' }), B268MS), 19],
      [bucket(shop('frontend', { name: 'POST /api/checkout' }), B537MS), 1],
      [bucket(shop('payments-api', { name: 'POST /payments' }), B2S), 19],
      [bucket(shop('payments-api', { name: 'POST /payments' }), B4S), 1],
      [bucket(bare('checkout', { name: 'process' }), B34MS), 10],
      [bucket(bare('checkout-worker', { name: 'consume' }), B67MS), 10],
    ],
  ],
  [
    /status = error/,
    [
      [shop('frontend', { name: 'POST /api/checkout' }), 180],
      [shop('payments-api', { name: 'POST /payments' }), 360],
    ],
  ],
  [
    /kind = server/,
    [
      [shop('frontend', { name: 'GET /' }), 5400],
      [shop('frontend', { name: 'POST /api/checkout' }), 1800],
      [shop('payments-api', { name: 'POST /payments' }), 720],
      [bare('checkout', { name: 'process' }), 360],
    ],
  ],
  [
    /count_over_time/,
    [
      [shop('frontend'), 600],
      [shop('payments-api'), 120],
      [bare('checkout'), 40],
      [bare('checkout-worker'), 30],
      // frontend of another namespace: not the team's component
      [{ ...shop('frontend'), 'resource.service.namespace': 'edge' }, 999],
    ],
  ],
];

describe('GET /api/traces/team', () => {
  const tempo = setupUpstreamServer();
  let asked: URL[];

  beforeEach(() => {
    asked = [];
    tempo.use(
      http.get(`${TEMPO_URL}/api/metrics/query_range`, ({ request: req }) => {
        const url = new URL(req.url);
        asked.push(url);
        const q = url.searchParams.get('q')!;
        const [, rows] = ANSWERS.find(([pattern]) => pattern.test(q))!;
        return HttpResponse.json(tempoSeries(rows));
      }),
    );
  });

  function denying(...refs: string[]) {
    const authorize = jest.fn(
      async (requests: Array<{ resourceRef?: string }>) =>
        requests.map(r => ({
          result: refs.includes(r.resourceRef ?? '')
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
        })),
    );
    return mockServices.permissions.mock({ authorize } as any).factory;
  }

  async function team(
    query: Record<string, string>,
    extraFeatures = [denying()],
  ) {
    const app = await startTracesBackend({ entities: ENTITIES, extraFeatures });
    return request(app).get('/api/traces/team').query(query);
  }

  it('lists the components owned through child groups, from one query per function', async () => {
    const res = await team({
      entityRef: 'group:default/engineering',
      start: '1795548805',
      end: '1795552405',
    });
    expect(res.body.error?.message).toBeUndefined();
    expect(res.status).toBe(200);
    const body: TeamTracesResponse = res.body;

    expect(body.groups).toEqual([
      'group:default/engineering',
      'group:default/shop-team',
      'group:default/payments-team',
      'group:default/checkout-squad',
    ]);
    // Four queries over all the team's services at once, not one per component.
    expect(asked).toHaveLength(4);
    for (const url of asked) {
      expect(url.searchParams.get('q')).toMatch(
        /\(resource\.service\.name = "checkout" \|\| resource\.service\.name = "checkout-worker" \|\| resource\.service\.name = "frontend" \|\| resource\.service\.name = "idle-api" \|\| resource\.service\.name = "payments-api"\)/,
      );
      expect(url.searchParams.get('start')).toBe('1795548805');
      expect(url.searchParams.get('end')).toBe('1795552405');
      expect(url.searchParams.get('step')).toBe('120s'); // 30 steps over the hour
    }
    expect(body.queries).toHaveLength(4);

    expect(body.components.map(c => c.entityRef)).toEqual([
      'component:default/frontend',
      'component:default/payments-api',
      'component:default/checkout',
      'component:default/idle-api',
    ]);
    const [frontend, payments, checkout, idle] = body.components;
    // Counts over the hour: rates per second, errors among the requests.
    expect(frontend).toMatchObject({
      title: 'The frontend',
      owner: 'group:default/shop-team',
      serviceNamespace: 'shop',
      spanCount: 600, // not the edge namespace's frontend
      requestRate: 2,
      errorRate: 0.05,
      errorRatio: 0.025,
    });
    // p95 of all the component's requests (120): in the 16.8–268 ms bucket.
    expect(frontend.p95Ms).toBeGreaterThan(16.777216);
    expect(frontend.p95Ms).toBeLessThan(268.435456);
    expect(payments).toMatchObject({
      requestRate: 0.2,
      errorRatio: 0.5,
      p95Ms: expect.closeTo(2147.483648, 6),
    });
    // Two services: spans and buckets add up.
    expect(checkout).toMatchObject({
      owner: 'group:default/checkout-squad',
      spanCount: 70,
    });
    expect(checkout.p95Ms).toBeGreaterThan(33.554432);
    expect(checkout.p95Ms).toBeLessThan(67.108864);
    // The no-traces note's input: a component the store has nothing of.
    expect(idle).toMatchObject({ spanCount: 0, requestRate: 0 });
    expect(idle.p95Ms).toBeUndefined();

    expect(
      body.slowestOperations.map(op => [op.name, op.p95Ms?.toFixed(6)]),
    ).toEqual([
      ['POST /payments', '2147.483648'],
      ['POST /api/checkout', '268.435456'],
      ['consume', expect.any(String)],
      ['process', expect.any(String)],
      ['GET /', '16.777216'],
    ]);
    expect(body.mostErroringOperations[0]).toMatchObject({
      entityRef: 'component:default/payments-api',
      serviceName: 'payments-api',
      name: 'POST /payments',
      errorRatio: 0.5,
    });
    expect(body.unannotated).toEqual([
      { entityRef: 'component:default/docs-site', title: 'The docs-site' },
    ]);
    expect(body.deniedCount).toBe(0);
  });

  it('leaves out components whose traces the caller may not read, and their services', async () => {
    const res = await team({ entityRef: 'engineering' }, [
      denying('component:default/payments-api'),
    ]);
    expect(res.status).toBe(200);
    expect(res.body.deniedCount).toBe(1);
    expect(
      res.body.components.map((c: { entityRef: string }) => c.entityRef),
    ).not.toContain('component:default/payments-api');
    expect(JSON.stringify(res.body)).not.toContain('POST /payments');
    for (const url of asked) {
      expect(url.searchParams.get('q')).not.toContain('payments-api');
    }
  });

  it('resolves the team once per user and group within traces.limits.accessCacheTtl', async () => {
    const authorize = jest.fn(async (requests: unknown[]) =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    );
    const app = await startTracesBackend({
      entities: ENTITIES,
      extraFeatures: [
        mockServices.permissions.mock({ authorize } as any).factory,
      ],
    });
    const teamAs = (user: string) =>
      request(app)
        .get('/api/traces/team')
        .query({ entityRef: 'engineering' })
        .set('Authorization', mockCredentials.user.header(user))
        .expect(200);
    const first = await teamAs('user:default/mock');
    const again = await teamAs('user:default/mock');
    expect(again.body.components).toEqual(first.body.components);
    // One batched decision for the team's components, made once.
    expect(authorize).toHaveBeenCalledTimes(1);
    // Another user's team view is resolved with their own credentials.
    await teamAs('user:default/other');
    expect(authorize).toHaveBeenCalledTimes(2);
  });

  it('sends one set of queries per tenant', async () => {
    const entities = ENTITIES.map(entity =>
      entity.metadata.name === 'payments-api'
        ? {
            ...entity,
            metadata: {
              ...entity.metadata,
              annotations: {
                ...entity.metadata.annotations,
                'grafana.com/tempo-tenant': 'payments',
              },
            },
          }
        : entity,
    );
    const tenants: Array<string | null> = [];
    tempo.use(
      http.get(`${TEMPO_URL}/api/metrics/query_range`, ({ request: req }) => {
        tenants.push(req.headers.get('X-Scope-OrgID'));
        return HttpResponse.json({ series: [] });
      }),
    );
    const app = await startTracesBackend({ entities, config: TEMPO_CONFIG });
    const res = await request(app)
      .get('/api/traces/team')
      .query({ entityRef: 'group:default/payments-team' });
    expect(res.status).toBe(200);
    expect(tenants.filter(t => t === 'payments')).toHaveLength(4);
    expect(tenants.filter(t => t === null)).toHaveLength(4);
  });

  it('masks secrets in operation names', async () => {
    tempo.use(
      http.get(`${TEMPO_URL}/api/metrics/query_range`, ({ request: req }) => {
        const q = new URL(req.url).searchParams.get('q')!;
        const op = shop('frontend', { name: 'GET /cb?token=abc123' });
        return HttpResponse.json(
          tempoSeries(
            q.includes('histogram') ? [[bucket(op, B17MS), 2]] : [[op, 2]],
          ),
        );
      }),
    );
    const res = await team({
      entityRef: 'group:default/shop-team',
      start: '1795548805',
      end: '1795552405',
    });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain('abc123');
    expect(res.body.slowestOperations[0].name).toMatch(/^GET \/cb\?token=/);
  });

  it.each([
    [{}, 400, /'entityRef': is required/],
    [{ entityRef: 'component:default/frontend' }, 400, /needs a Group entity/],
    [{ entityRef: 'group:default/nobody' }, 404, /not found/],
    [
      { entityRef: 'engineering', start: '1795449405', end: '1795549405' },
      400,
      /the most allowed is 24 h/,
    ],
  ])('answers %j with %i', async (query, status, message) => {
    const res = await team(query);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
    expect(asked).toHaveLength(0);
  });

  it('answers from the embedded store while Tempo is not configured', async () => {
    const app = await startTracesBackend({
      entities: ENTITIES,
      config: {},
      extraFeatures: [denying()],
    });
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    const span = (
      service: string,
      name: string,
      durationMs: number,
      index: number,
      error = false,
    ) => ({
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: service } },
          { key: 'service.namespace', value: { stringValue: 'shop' } },
        ],
      },
      scopeSpans: [
        {
          spans: [
            {
              traceId: `${index}`.padStart(32, 'a'),
              spanId: `${index}`.padStart(16, 'b'),
              name,
              kind: 2,
              startTimeUnixNano: String(nowNs - 60_000_000_000n),
              endTimeUnixNano: String(
                nowNs - 60_000_000_000n + BigInt(durationMs) * 1_000_000n,
              ),
              ...(error && { status: { code: 2 } }),
            },
          ],
        },
      ],
    });
    await request(app)
      .post('/api/traces/v1/traces')
      .send({
        resourceSpans: [
          span('frontend', 'GET /', 10, 1),
          span('frontend', 'GET /', 12, 2),
          span('frontend', 'POST /api/checkout', 300, 3, true),
          span('payments-api', 'POST /payments', 50, 4),
        ],
      })
      .expect(200);
    const res = await request(app)
      .get('/api/traces/team')
      .query({ entityRef: 'group:default/engineering' });
    expect(res.status).toBe(200);
    const byRef = Object.fromEntries(
      res.body.components.map((c: { entityRef: string }) => [c.entityRef, c]),
    );
    // Per second over the default range, the last hour.
    expect(byRef['component:default/frontend']).toMatchObject({
      spanCount: 3,
      requestRate: expect.closeTo(3 / 3600, 6),
      errorRate: expect.closeTo(1 / 3600, 6),
      errorRatio: expect.closeTo(1 / 3, 5),
    });
    expect(byRef['component:default/frontend'].p95Ms).toBeGreaterThan(100);
    expect(byRef['component:default/payments-api'].spanCount).toBe(1);
    expect(byRef['component:default/checkout'].spanCount).toBe(0);
    expect(res.body.slowestOperations[0]).toMatchObject({
      name: 'POST /api/checkout',
      serviceName: 'frontend',
      serviceNamespace: 'shop',
    });
    expect(res.body.mostErroringOperations).toHaveLength(1);
  });
});
