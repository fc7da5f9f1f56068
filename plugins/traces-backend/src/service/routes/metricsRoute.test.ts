import { http } from 'msw';
import request from 'supertest';
import { setupUpstreamServer } from '../../__testUtils__/setupUpstreamServer';
import { fixtureResponse } from '../../__testUtils__/tempoFixtures';
import {
  startTracesBackend,
  TEMPO_URL,
} from '../../__testUtils__/startTracesBackend';

describe('GET /api/traces/metrics/query_range', () => {
  const tempo = setupUpstreamServer();
  let asked: URL[];

  function tempoAnswers(name: string) {
    asked = [];
    tempo.use(
      http.get(`${TEMPO_URL}/api/metrics/query_range`, ({ request: req }) => {
        asked.push(new URL(req.url));
        return fixtureResponse(name);
      }),
    );
  }

  it('scopes the metrics query per span and sends seconds, never milliseconds', async () => {
    tempoAnswers('metrics-query-range-quantile.json');
    const app = await startTracesBackend();
    const res = await request(app)
      .get('/api/traces/metrics/query_range')
      .query({
        q: '{ kind = server } | quantile_over_time(duration, 0.5, 0.9) by (resource.service.name)',
        entityRef: 'frontend',
        start: '1795548805',
        end: '1795549405',
        step: '5m',
      });
    expect(res.status).toBe(200);
    const sent = asked[0].searchParams;
    expect(sent.get('q')).toBe(
      '{ (kind = server) && resource.service.name = "frontend" } | quantile_over_time(duration, 0.5, 0.9) by (resource.service.name)',
    );
    expect(sent.get('start')).toBe('1795548805');
    expect(sent.get('end')).toBe('1795549405');
    expect(sent.get('step')).toBe('300s');
    expect(res.body.query).toBe(sent.get('q'));
    expect(res.body.series.length).toBeGreaterThan(0);
    expect(res.body.series[0].labels.p).toBe(0.5);
  });

  it('picks a step giving about 120 points when none is given', async () => {
    tempoAnswers('metrics-query-range.json');
    const app = await startTracesBackend();
    await request(app)
      .get('/api/traces/metrics/query_range')
      .query({
        q: '{ } | rate()',
        entityRef: 'frontend',
        start: '1795534800',
        end: '1795549200',
      })
      .expect(200);
    expect(asked[0].searchParams.get('step')).toBe('120s');
  });

  it.each([
    [
      { q: '{ resource.service.name = "frontend" }' },
      /must be a TraceQL metrics query/,
    ],
    [{ q: '{ } | rate()', step: 'abc' }, /'step': must be a duration/],
    [{ q: '{ } | rate()', step: '100ms' }, /'step' must be at least 1s/],
    [
      { q: '{ } | rate()', start: '1795449405', end: '1795549405' },
      /the most allowed is 24 h/,
    ],
    [{}, /'q'/],
  ])('answers 400 for %j', async (query, message) => {
    tempoAnswers('metrics-query-range.json');
    const app = await startTracesBackend();
    const res = await request(app)
      .get('/api/traces/metrics/query_range')
      .query({ entityRef: 'frontend', ...query });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    expect(asked).toHaveLength(0);
  });

  it('answers the RED latency histogram from the embedded store while Tempo is not configured', async () => {
    const app = await startTracesBackend({ config: {} });
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    const span = (
      service: string,
      kind: number,
      durationNs: bigint,
      index: number,
    ) => ({
      resource: {
        attributes: [{ key: 'service.name', value: { stringValue: service } }],
      },
      scopeSpans: [
        {
          spans: [
            {
              traceId: `${index}`.padStart(32, 'a'),
              spanId: `${index}`.padStart(16, 'b'),
              name: 'GET /',
              kind,
              startTimeUnixNano: String(nowNs - 60_000_000_000n),
              endTimeUnixNano: String(nowNs - 60_000_000_000n + durationNs),
            },
          ],
        },
      ],
    });
    await request(app)
      .post('/api/traces/v1/traces')
      .send({
        resourceSpans: [
          span('frontend', 2, 3_000_000n, 1), // server: 4.194304 ms bucket
          span('frontend', 2, 4_000_000n, 2), // server: same bucket
          span('frontend', 2, 120_000_000n, 3), // server: 134.217728 ms bucket
          span('frontend', 3, 120_000_000n, 4), // client: not counted
          span('billing', 2, 120_000_000n, 5), // another entity: not counted
        ],
      })
      .expect(200);
    const end = Math.floor(Date.now() / 1000);
    const res = await request(app)
      .get('/api/traces/metrics/query_range')
      // The RED card's latency query (plugins/traces RED_QUERIES.latency).
      .query({
        q: '{ kind = server } | histogram_over_time(duration)',
        entityRef: 'frontend',
        start: String(end - 600),
        end: String(end),
        step: '60s',
      });
    expect(res.status).toBe(200);
    expect(res.body.query).toBe(
      '{ (kind = server) && resource.service.name = "frontend" } | histogram_over_time(duration)',
    );
    const counts = Object.fromEntries(
      res.body.series.map((s: any) => [
        s.name,
        s.samples.reduce((sum: number, x: any) => sum + x.value, 0),
      ]),
    );
    expect(counts).toEqual({
      '{__bucket="0.004194304"}': 2,
      '{__bucket="0.134217728"}': 1,
    });
    expect(res.body.series[0].labels).toEqual({ __bucket: 0.004194304 });
  });

  it('passes Tempo’s compile errors through as 400', async () => {
    tempoAnswers('error-metrics-bad-traceql.txt');
    const app = await startTracesBackend();
    const res = await request(app)
      .get('/api/traces/metrics/query_range')
      .query({ q: '{ } | rate()' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /^Tempo rejected the request: compiling query/,
    );
  });
});

describe('GET /api/traces/metrics/query', () => {
  const tempo = setupUpstreamServer();
  let asked: URL[];

  function tempoAnswers(name: string) {
    asked = [];
    tempo.use(
      http.get(`${TEMPO_URL}/api/metrics/query`, ({ request: req }) => {
        asked.push(new URL(req.url));
        return fixtureResponse(name);
      }),
    );
  }

  it('answers one value per series, the query scoped to the entity', async () => {
    tempoAnswers('metrics-query-instant-rate.json');
    const app = await startTracesBackend();
    const res = await request(app).get('/api/traces/metrics/query').query({
      q: '{ } | rate()',
      entityRef: 'frontend',
      start: '1796031732',
      end: '1796035332',
    });
    expect(res.status).toBe(200);
    const sent = asked[0].searchParams;
    expect(sent.get('q')).toBe(
      '{ resource.service.name = "frontend" } | rate()',
    );
    expect(sent.get('start')).toBe('1796031732');
    expect(sent.get('end')).toBe('1796035332');
    expect(res.body).toEqual({
      query: sent.get('q'),
      start: 1796031732,
      end: 1796035332,
      series: [
        {
          labels: { __name__: 'rate' },
          name: '{__name__="rate"}',
          value: 68.18637693572336,
        },
      ],
    });
  });

  it('reads a series without a value (Tempo omits zeros) as 0', async () => {
    tempoAnswers('metrics-query-instant.json');
    const app = await startTracesBackend();
    const res = await request(app)
      .get('/api/traces/metrics/query')
      .query({ q: '{ } | rate() by (resource.service.name)' });
    expect(res.status).toBe(200);
    expect(res.body.series[0]).toEqual({
      labels: { 'resource.service.name': 'frontend' },
      name: '{resource.service.name="frontend"}',
      value: 0,
    });
  });

  it('answers 400 for a query that is not a metrics query, without asking Tempo', async () => {
    tempoAnswers('metrics-query-instant-rate.json');
    const app = await startTracesBackend();
    const res = await request(app)
      .get('/api/traces/metrics/query')
      .query({ q: '{ status = error }' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/must be a TraceQL metrics query/);
    expect(asked).toHaveLength(0);
  });
});
