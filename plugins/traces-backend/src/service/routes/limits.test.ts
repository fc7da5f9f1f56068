import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { http, HttpResponse } from 'msw';
import request from 'supertest';
import { setupUpstreamServer } from '../../__testUtils__/setupUpstreamServer';
import {
  fixtureJson,
  fixtureResponse,
} from '../../__testUtils__/tempoFixtures';
import {
  startTracesBackend,
  TEMPO_CONFIG,
  TEMPO_URL,
} from '../../__testUtils__/startTracesBackend';

/** Epoch seconds around the spans of the OTLP fixtures. */
const FIXTURE_RANGE = { start: 1795549000, end: 1795550000 };

const LIMITS = {
  maxRangeHours: 2,
  maxMetricsRangeHours: 2,
  maxMetricsPoints: 100,
  maxResults: 50,
  maxSpansPerSpanSet: 5,
};

/** The limits of one request: the same 400s whichever store answers. */
describe.each([
  ['Tempo', { ...TEMPO_CONFIG.traces }],
  ['the embedded store', {}],
])('request limits with %s', (_store, traces) => {
  const tempo = setupUpstreamServer();
  const config = { traces: { ...traces, limits: LIMITS } };

  beforeEach(() => {
    tempo.use(
      http.get(`${TEMPO_URL}/api/search`, () =>
        fixtureResponse('search-by-service.json'),
      ),
    );
  });

  it.each([
    [
      '/api/traces/search',
      { limit: '51', entityRef: 'frontend' },
      "'limit': must be between 1 and 50 (traces.limits.maxResults)",
    ],
    [
      '/api/traces/search',
      { spss: '6', entityRef: 'frontend' },
      "'spss': must be between 1 and 5 (traces.limits.maxSpansPerSpanSet)",
    ],
    [
      '/api/traces/search',
      { start: '1795540000', end: '1795550000', entityRef: 'frontend' },
      'the most allowed is 2 h (traces.limits.maxRangeHours)',
    ],
    [
      '/api/traces/tags',
      { start: '1795540000', end: '1795550000', entityRef: 'frontend' },
      'the most allowed is 2 h (traces.limits.maxRangeHours)',
    ],
    [
      '/api/traces/metrics/query_range',
      {
        q: '{ } | rate()',
        start: '1795543000',
        end: '1795549000',
        step: '50s',
        entityRef: 'frontend',
      },
      "'step' 50s gives 120 points per series over this range; the most allowed is 100 (traces.limits.maxMetricsPoints)",
    ],
    [
      '/api/traces/metrics/query_range',
      { q: '{ } | rate()', start: '1795540000', end: '1795550000' },
      'the most allowed is 2 h (traces.limits.maxMetricsRangeHours)',
    ],
  ])('%s %j answers 400 naming the limit', async (path, query, message) => {
    const app = await startTracesBackend({ config });
    const res = await request(app).get(path).query(query);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(message);
  });
});

describe('spans per spanset (spss)', () => {
  const tempo = setupUpstreamServer();

  it('is sent to Tempo', async () => {
    const sent: URL[] = [];
    tempo.use(
      http.get(`${TEMPO_URL}/api/search`, ({ request: req }) => {
        sent.push(new URL(req.url));
        return fixtureResponse('search-by-service.json');
      }),
    );
    const app = await startTracesBackend();
    await request(app)
      .get('/api/traces/search')
      .query({ entityRef: 'frontend', spss: 4 })
      .expect(200);
    expect(sent[0].searchParams.get('spss')).toBe('4');
  });

  it('bounds the matched spans of the embedded store', async () => {
    const app = await startTracesBackend({ config: {} });
    for (const name of ['otlp-request-1.json', 'otlp-request-2.json']) {
      await request(app)
        .post('/api/traces/v1/traces')
        .set('Content-Type', 'application/json')
        .send(fixtureJson(name))
        .expect(200);
    }
    const search = (spss?: number) =>
      request(app)
        .get('/api/traces/search')
        .query({ q: '{ }', ...FIXTURE_RANGE, ...(spss && { spss }) })
        .expect(200);
    const matched = (res: request.Response) =>
      Math.max(
        ...res.body.traces.map(
          (t: { matchedSpans?: unknown[] }) => t.matchedSpans?.length ?? 0,
        ),
      );
    expect(matched(await search())).toBeGreaterThan(1);
    expect(matched(await search(1))).toBe(1);
  });
});

describe('size of upstream answers', () => {
  const tempo = setupUpstreamServer();
  const config = {
    traces: { ...TEMPO_CONFIG.traces, limits: { maxResponseSizeMb: 0.01 } },
  };
  const huge = () =>
    HttpResponse.json({ traces: [], padding: 'x'.repeat(20_000) });

  it.each([
    ['/api/search', '/api/traces/search', { entityRef: 'frontend' }],
    ['/api/v2/search/tags', '/api/traces/tags', { entityRef: 'frontend' }],
    [
      '/api/v2/search/tag/:tag/values',
      '/api/traces/tags/http.route/values',
      { entityRef: 'frontend' },
    ],
    [
      '/api/metrics/query_range',
      '/api/traces/metrics/query_range',
      { q: '{ } | rate()', entityRef: 'frontend' },
    ],
  ])(
    'Tempo %s over traces.limits.maxResponseSizeMb is a 502 naming the limit',
    async (tempoPath, path, query) => {
      tempo.use(http.get(`${TEMPO_URL}${tempoPath}`, huge));
      const app = await startTracesBackend({ config });
      const res = await request(app).get(path).query(query);
      expect(res.status).toBe(502);
      expect(res.body.error.message).toMatch(
        /^Tempo: \/api\/\S+ sent an answer over 10 KB( \(\d+ KB\))?, the most traces\.limits\.maxResponseSizeMb allows/,
      );
    },
  );
});

describe('concurrent requests', () => {
  const tempo = setupUpstreamServer();

  /** Tempo holds every search until `release()`; `arrived` counts those it holds. */
  function heldTempo() {
    let release!: () => void;
    const released = new Promise<void>(resolve => (release = resolve));
    const state = { arrived: 0, waiters: [] as Array<() => void> };
    tempo.use(
      http.get(`${TEMPO_URL}/api/search`, async () => {
        state.arrived += 1;
        state.waiters.splice(0).forEach(wake => wake());
        await released;
        return fixtureResponse('search-by-service.json');
      }),
    );
    const arrivals = (count: number) =>
      new Promise<void>(function check(resolve) {
        if (state.arrived >= count) resolve();
        else state.waiters.push(() => check(resolve));
      });
    return { release, arrivals };
  }

  const search = (app: Parameters<typeof request>[0], user?: string) => {
    const req = request(app)
      .get('/api/traces/search')
      .query({ entityRef: 'frontend' });
    return user
      ? req.set('Authorization', mockCredentials.user.header(user))
      : req;
  };

  it('answers 429 with Retry-After beyond the per-user cap, and frees the slot after', async () => {
    const held = heldTempo();
    const app = await startTracesBackend({
      config: {
        traces: {
          ...TEMPO_CONFIG.traces,
          limits: { maxConcurrentRequestsPerUser: 2 },
        },
      },
    });
    const first = [search(app), search(app)].map(r => r.then(res => res));
    await held.arrivals(2);

    const refused = await search(app);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body.error.message).toContain(
      'traces.limits.maxConcurrentRequestsPerUser',
    );
    // Another user is not held back by this one.
    const other = search(app, 'user:default/other').then(res => res);
    await held.arrivals(3);

    held.release();
    for (const res of await Promise.all([...first, other])) {
      expect(res.status).toBe(200);
    }
    await search(app).expect(200);
  });

  it('answers 429 beyond the total cap, whoever asks', async () => {
    const held = heldTempo();
    const app = await startTracesBackend({
      config: {
        traces: {
          ...TEMPO_CONFIG.traces,
          limits: { maxConcurrentRequests: 1 },
        },
      },
    });
    const first = search(app).then(res => res);
    await held.arrivals(1);

    const refused = await search(app, 'user:default/other');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body.error.message).toContain(
      'traces.limits.maxConcurrentRequests)',
    );
    // /health is outside the caps: monitoring still sees an overloaded backend.
    tempo.use(
      http.get(`${TEMPO_URL}/ready`, () => new HttpResponse('ready')),
      http.get(`${TEMPO_URL}/api/status/buildinfo`, () =>
        fixtureResponse('buildinfo.json'),
      ),
    );
    expect((await request(app).get('/api/traces/health')).status).not.toBe(429);

    held.release();
    expect((await first).status).toBe(200);
  });
});

describe('access decisions', () => {
  const tempo = setupUpstreamServer();

  it('are resolved once for the same user and entity within traces.limits.accessCacheTtl', async () => {
    tempo.use(
      http.get(`${TEMPO_URL}/api/search`, () =>
        fixtureResponse('search-by-service.json'),
      ),
    );
    const authorize = jest.fn(async (requests: unknown[]) =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    );
    const app = await startTracesBackend({
      extraFeatures: [
        mockServices.permissions.mock({ authorize } as any).factory,
      ],
    });
    const searchAs = (user: string) =>
      request(app)
        .get('/api/traces/search')
        .query({ entityRef: 'frontend' })
        .set('Authorization', mockCredentials.user.header(user))
        .expect(200);
    await searchAs('user:default/mock');
    await searchAs('user:default/mock');
    expect(authorize).toHaveBeenCalledTimes(1);
    // Another user's decision is their own.
    await searchAs('user:default/other');
    expect(authorize).toHaveBeenCalledTimes(2);
  });
});

describe('trace size in the embedded store', () => {
  setupUpstreamServer();

  it('refuses a trace over traces.largeTraces.maxTraceSizeMb before reading it', async () => {
    const app = await startTracesBackend({
      config: { traces: { largeTraces: { maxTraceSizeMb: 0.0001 } } },
    });
    await request(app)
      .post('/api/traces/v1/traces')
      .set('Content-Type', 'application/json')
      .send(fixtureJson('otlp-request-1.json'))
      .expect(200);
    const traceId = fixtureJson('otlp-request-1.json').resourceSpans[0]
      .scopeSpans[0].spans[0].traceId;
    const res = await request(app).get(`/api/traces/traces/${traceId}`);
    expect(res.status).toBe(502);
    expect(res.body.error.message).toMatch(
      /^Embedded store: trace \w+ holds \d+ KB of spans, over 1 KB, the most traces\.largeTraces\.maxTraceSizeMb allows$/,
    );
  });
});
