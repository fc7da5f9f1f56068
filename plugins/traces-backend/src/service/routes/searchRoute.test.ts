import { http, HttpResponse } from 'msw';
import request from 'supertest';
import { setupUpstreamServer } from '../../__testUtils__/setupUpstreamServer';
import { fixtureResponse } from '../../__testUtils__/tempoFixtures';
import {
  startTracesBackend,
  TEMPO_CONFIG,
  TEMPO_URL,
} from '../../__testUtils__/startTracesBackend';
import { neverAnswers } from '../../__testUtils__/neverAnswers';

describe('GET /api/traces/search', () => {
  const tempo = setupUpstreamServer();
  let sent: URL[];
  let headers: Headers[];

  let serviceNameRequests: Request[];

  /** Tempo's search answers `response`; its service names are those of the fixture. */
  function tempoAnswers(
    response: () => Response,
    serviceNames = () => fixtureResponse('tag-values-service-name.json'),
  ) {
    sent = [];
    headers = [];
    serviceNameRequests = [];
    tempo.use(
      http.get(`${TEMPO_URL}/api/search`, ({ request: req }) => {
        sent.push(new URL(req.url));
        headers.push(req.headers);
        return response();
      }),
      http.get(
        `${TEMPO_URL}/api/v2/search/tag/resource.service.name/values`,
        ({ request: req }) => {
          serviceNameRequests.push(req);
          return serviceNames();
        },
      ),
    );
  }

  it('scopes the search to the entity’s services server-side and normalises the answer', async () => {
    tempoAnswers(() => fixtureResponse('search-by-service.json'));
    const app = await startTracesBackend();
    const res = await request(app).get('/api/traces/search').query({
      entityRef: 'component:default/frontend',
      start: 1795545790,
      end: 1795549450,
      limit: 5,
    });

    expect(res.status).toBe(200);
    expect(res.body.query).toBe('{ resource.service.name = "frontend" }');
    expect(sent[0].searchParams.get('q')).toBe(res.body.query);
    expect(sent[0].searchParams.get('start')).toBe('1795545790');
    expect(sent[0].searchParams.get('end')).toBe('1795549450');
    expect(sent[0].searchParams.get('limit')).toBe('5');
    expect(res.body.traces[0].traceId).toBe('00f067aa0ba902b7d0c6e1b8e4f3a2c1');
    expect(res.body.traces).toHaveLength(3);
    expect(headers[0].get('authorization')).toBe('Bearer s3cr3t-token');
    expect(headers[0].get('x-scope-orgid')).toBeNull();
  });

  it('says where the time went (Server-Timing): access, TraceQL, Tempo, check, normalise, answer', async () => {
    tempoAnswers(() => fixtureResponse('search-by-service.json'));
    const app = await startTracesBackend();
    const res = await request(app)
      .get('/api/traces/search')
      .query({ entityRef: 'component:default/frontend' });
    expect(res.status).toBe(200);
    const stages = String(res.headers['server-timing'])
      .split(', ')
      .map(stage => stage.split(';')[0]);
    expect(stages).toEqual([
      'access',
      'query',
      'tempo',
      'check',
      'normalize',
      'answer',
      'total',
    ]);
    expect(res.headers['server-timing']).toMatch(
      /tempo;dur=[\d.]+;desc="Tempo \/api\/search"/,
    );
  });

  it('puts the scope into every spanset of the user’s TraceQL, with namespace and tenant', async () => {
    tempoAnswers(() => fixtureResponse('search-errors.json'));
    const app = await startTracesBackend();
    const res = await request(app).get('/api/traces/search').query({
      entityRef: 'component:default/orders-api',
      q: '{ status = error } >> { span.db.system = "postgresql" }',
      minDuration: '100ms',
    });
    expect(res.status).toBe(200);
    const q = sent[0].searchParams.get('q')!;
    expect(q).toBe(res.body.query);
    const scope =
      '(resource.service.name = "orders-api" || resource.service.name = "orders-worker") && resource.service.namespace = "shop"';
    expect(q.split(scope)).toHaveLength(3);
    expect(q).toContain('trace:duration >= 100ms');
    expect(q).toContain('status = error');
    expect(headers[0].get('x-scope-orgid')).toBe('team-shop');
  });

  it('adds the configured environment and cluster, unless the request overrides them', async () => {
    tempoAnswers(() => fixtureResponse('search-no-results.json'));
    const app = await startTracesBackend({
      config: {
        traces: {
          ...TEMPO_CONFIG.traces,
          environment: 'production',
          cluster: 'eu-1',
        },
      },
    });
    await request(app)
      .get('/api/traces/search')
      .query({ entityRef: 'frontend' })
      .expect(200);
    expect(sent[0].searchParams.get('q')).toBe(
      '{ resource.service.name = "frontend" && resource.deployment.environment = "production" && resource.k8s.cluster.name = "eu-1" }',
    );

    tempoAnswers(() => fixtureResponse('search-no-results.json'));
    await request(app)
      .get('/api/traces/search')
      .query({ entityRef: 'frontend', environment: '' })
      .expect(200);
    expect(sent[0].searchParams.get('q')).not.toContain(
      'deployment.environment',
    );
  });

  it('answers an empty list when nothing matches', async () => {
    tempoAnswers(() => fixtureResponse('search-no-results.json'));
    const app = await startTracesBackend();
    const res = await request(app)
      .get('/api/traces/search')
      .query({ entityRef: 'billing' });
    expect(res.status).toBe(200);
    expect(res.body.traces).toEqual([]);
    expect(res.body.limit).toBe(20);
    expect(res.body.end - res.body.start).toBe(3600);
  });

  it('offers the closest service names Tempo has when the annotation names one it does not know', async () => {
    tempoAnswers(() => fixtureResponse('search-no-results.json'));
    const app = await startTracesBackend();
    const res = await request(app)
      .get('/api/traces/search')
      .query({ entityRef: 'billing', start: 1795545790, end: 1795549450 });
    expect(res.status).toBe(200);
    // Tempo knows frontend and orders-api (the fixture), not billing.
    expect(res.body.unknownServices).toEqual({
      names: ['billing'],
      closest: ['frontend', 'orders-api'],
    });
    const asked = new URL(serviceNameRequests[0].url);
    expect(asked.searchParams.get('start')).toBe('1795545790');
    expect(asked.searchParams.get('end')).toBe('1795549450');
  });

  it('names only the unknown ones of several annotated services, asking the entity’s tenant', async () => {
    tempoAnswers(() => fixtureResponse('search-no-results.json'));
    const app = await startTracesBackend();
    const res = await request(app)
      .get('/api/traces/search')
      .query({ entityRef: 'orders-api' });
    expect(res.body.unknownServices).toEqual({
      names: ['orders-worker'],
      closest: ['orders-api', 'frontend'],
    });
    expect(serviceNameRequests[0].headers.get('x-scope-orgid')).toBe(
      'team-shop',
    );
  });

  it('offers nothing when Tempo knows every annotated service, or cannot say', async () => {
    tempoAnswers(() => fixtureResponse('search-no-results.json'));
    const app = await startTracesBackend();
    const known = await request(app)
      .get('/api/traces/search')
      .query({ entityRef: 'frontend' });
    expect(known.status).toBe(200);
    expect(known.body.unknownServices).toBeUndefined();

    tempoAnswers(
      () => fixtureResponse('search-no-results.json'),
      () => new HttpResponse('overloaded', { status: 503 }),
    );
    const failing = await request(app)
      .get('/api/traces/search')
      .query({ entityRef: 'billing' });
    expect(failing.status).toBe(200);
    expect(failing.body.traces).toEqual([]);
    expect(failing.body.unknownServices).toBeUndefined();
  });

  it('does not ask for service names when the search found traces', async () => {
    tempoAnswers(() => fixtureResponse('search-by-service.json'));
    const app = await startTracesBackend();
    await request(app)
      .get('/api/traces/search')
      .query({ entityRef: 'frontend' })
      .expect(200);
    expect(serviceNameRequests).toHaveLength(0);
  });

  it.each([
    [{ q: '{ resource.service.name = }' }, /Invalid TraceQL at column/],
    [{ limit: 'abc' }, /'limit': must be a whole number/],
    [{ limit: '100000' }, /'limit': must be between 1 and 500/],
    [{ start: '1795549421000' }, /'start': looks like milliseconds/],
    [
      { start: '1795549421', end: '1795545821' },
      /'start' \(1795549421\) must be before 'end'/,
    ],
    [{ start: '1700000000', end: '1795545821' }, /the most allowed is 168 h/],
    [{ minDuration: '5 minutes' }, /'minDuration': must be a duration/],
    [
      { q: `{ name = "${'x'.repeat(5000)}" }` },
      /'q': is longer than 4096 characters/,
    ],
  ])('answers 400 for %j', async (query, message) => {
    tempoAnswers(() => fixtureResponse('search-no-results.json'));
    const app = await startTracesBackend();
    const res = await request(app)
      .get('/api/traces/search')
      .query({ entityRef: 'frontend', ...query });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    expect(sent).toHaveLength(0);
  });

  it('passes Tempo’s own 400 text through', async () => {
    tempoAnswers(() => fixtureResponse('error-bad-traceql.txt'));
    const app = await startTracesBackend();
    const res = await request(app)
      .get('/api/traces/search')
      .query({ q: '{ }' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'Tempo rejected the request: invalid TraceQL query: parse error at line 1, col 24: syntax error: unexpected }',
    );
  });

  it.each([
    [
      () => new HttpResponse('internal error', { status: 500 }),
      502,
      /^Tempo: answered HTTP 500: internal error/,
    ],
    [
      () => new HttpResponse('too many outstanding requests', { status: 429 }),
      503,
      /^Tempo: is rate limiting/,
    ],
    [
      () => HttpResponse.error(),
      503,
      /^Tempo: cannot reach http:\/\/tempo\.test:3200/,
    ],
    [
      () => new HttpResponse('no org id', { status: 401 }),
      502,
      /^Tempo: refused the plugin's credentials/,
    ],
    [() => new HttpResponse('<html>', { status: 200 }), 502, /invalid JSON/],
  ])(
    'maps upstream failure #%# to %i naming Tempo',
    async (response, status, message) => {
      tempoAnswers(response);
      const app = await startTracesBackend();
      const res = await request(app)
        .get('/api/traces/search')
        .query({ entityRef: 'frontend' });
      expect(res.status).toBe(status);
      expect(res.body.error.message).toMatch(message);
      expect(JSON.stringify(res.body)).not.toContain('s3cr3t-token');
      expect(res.body.error.stack).toBeUndefined();
    },
  );

  it('answers 504 when Tempo is too slow', async () => {
    tempoAnswers(() => fixtureResponse('search-no-results.json'));
    tempo.use(http.get(`${TEMPO_URL}/api/search`, neverAnswers));
    const app = await startTracesBackend({
      config: { traces: { tempo: { baseUrl: TEMPO_URL, timeout: '200ms' } } },
    });
    const res = await request(app)
      .get('/api/traces/search')
      .query({ entityRef: 'frontend' });
    expect(res.status).toBe(504);
    expect(res.body.error.message).toMatch(/^Tempo: no answer within 200 ms/);
  });

  it('searches the embedded store while Tempo is not configured', async () => {
    const app = await startTracesBackend({ config: {} });
    const res = await request(app)
      .get('/api/traces/search')
      .query({ entityRef: 'frontend' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      query: '{ resource.service.name = "frontend" }',
      traces: [],
    });
  });

  it('offers the closest service names the embedded store knows when the annotation names one it does not', async () => {
    const app = await startTracesBackend({ config: {} });
    const endNanos = BigInt(Date.now() - 60_000) * 1_000_000n;
    const resourceSpans = ['frontend', 'orders-api', 'biling'].map(
      (service, i) => ({
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: service } },
          ],
        },
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: [
              {
                traceId: `${i + 1}`.padStart(32, 'a'),
                spanId: `${i + 1}`.padStart(16, 'b'),
                name: 'GET /',
                kind: 2,
                startTimeUnixNano: String(endNanos - 5_000_000n),
                endTimeUnixNano: String(endNanos),
              },
            ],
          },
        ],
      }),
    );
    await request(app)
      .post('/api/traces/v1/traces')
      .set('content-type', 'application/json')
      .send({ resourceSpans })
      .expect(200);

    const res = await request(app)
      .get('/api/traces/search')
      .query({ entityRef: 'billing' });
    expect(res.status).toBe(200);
    expect(res.body.traces).toEqual([]);
    // "biling" is one edit from the annotation's "billing"
    expect(res.body.unknownServices).toEqual({
      names: ['billing'],
      closest: ['biling', 'frontend', 'orders-api'],
    });

    const known = await request(app)
      .get('/api/traces/search')
      .query({ entityRef: 'frontend', q: '{ span.http.route = "/none" }' });
    expect(known.body.traces).toEqual([]);
    expect(known.body.unknownServices).toBeUndefined();
  });

  it('rejects unknown entities and entities without the annotation', async () => {
    tempoAnswers(() => fixtureResponse('search-no-results.json'));
    const app = await startTracesBackend();
    const missing = await request(app)
      .get('/api/traces/search')
      .query({ entityRef: 'component:default/nope' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(
      'Entity component:default/nope not found in the catalog',
    );
    const bare = await request(app)
      .get('/api/traces/search')
      .query({ entityRef: 'no-traces' });
    expect(bare.status).toBe(400);
    expect(bare.body.error.message).toMatch(
      /has no 'opentelemetry.io\/service-name' annotation/,
    );
    const invalid = await request(app)
      .get('/api/traces/search')
      .query({ entityRef: 'component:default/' });
    expect(invalid.status).toBe(400);
    expect(sent).toHaveLength(0);
  });
});
