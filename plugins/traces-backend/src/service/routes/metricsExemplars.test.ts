import { http, HttpResponse } from 'msw';
import request from 'supertest';
import { setupUpstreamServer } from '../../__testUtils__/setupUpstreamServer';
import {
  startTracesBackend,
  TEMPO_CONFIG,
  TEMPO_URL,
} from '../../__testUtils__/startTracesBackend';
import {
  fixtureJson,
  fixtureResponse,
} from '../../__testUtils__/tempoFixtures';

const PROMETHEUS_URL = 'http://prometheus.test:9090';
/** The range of the recorded answers (__fixtures__/tempo/red, __fixtures__/prometheus). */
const RANGE = { start: '1796044457', end: '1796045057', step: '60s' };
const TRACE_ID = /^[0-9a-f]{32}$/;

type Exemplar = {
  traceId: string;
  timestampMs: number;
  value: number;
  durationMs?: number;
};

describe('exemplars of GET /api/traces/metrics/query_range', () => {
  const upstream = setupUpstreamServer();
  let tempoAsked: URL[];
  let prometheusAsked: URL[];

  function answers(options: {
    tempo: string;
    prometheus?: () => Response | Promise<Response>;
  }) {
    tempoAsked = [];
    prometheusAsked = [];
    upstream.use(
      http.get(`${TEMPO_URL}/api/metrics/query_range`, ({ request: req }) => {
        tempoAsked.push(new URL(req.url));
        return fixtureResponse(options.tempo);
      }),
      http.get(
        `${PROMETHEUS_URL}/api/v1/query_exemplars`,
        ({ request: req }) => {
          prometheusAsked.push(new URL(req.url));
          return options.prometheus
            ? options.prometheus()
            : fixtureResponse('query-exemplars-spanmetrics.json', 'prometheus');
        },
      ),
    );
  }

  const withPrometheus = (exemplars?: object) => ({
    traces: {
      ...TEMPO_CONFIG.traces,
      prometheus: { baseUrl: PROMETHEUS_URL },
      ...(exemplars && { exemplars }),
    },
  });

  async function query(
    config: object | undefined,
    params: Record<string, string>,
  ) {
    const app = await startTracesBackend(
      config ? { config: config as any } : {},
    );
    return request(app)
      .get('/api/traces/metrics/query_range')
      .query({ entityRef: 'frontend', ...RANGE, ...params });
  }

  const exemplarsOf = (body: any): Exemplar[] =>
    body.series.flatMap((s: any) => s.exemplars);

  it('passes Tempo’s TraceQL metrics exemplars on, oldest first, asking Tempo for its maximum', async () => {
    answers({ tempo: 'red/rate-exemplars-10m-60s.json' });
    const res = await query(undefined, { q: '{ } | rate()' });
    expect(res.status).toBe(200);
    expect(tempoAsked[0].searchParams.get('exemplars')).toBe('100');
    const exemplars = exemplarsOf(res.body);
    // The recorded answer holds nine, under the default cap of 20.
    expect(exemplars).toHaveLength(9);
    for (const exemplar of exemplars) {
      expect(exemplar.traceId).toMatch(TRACE_ID);
      expect(exemplar.value).toBeGreaterThan(0);
    }
    const times = exemplars.map(e => e.timestampMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('caps exemplars per series, spread from the first to the last', async () => {
    answers({ tempo: 'red/rate-exemplars-10m-60s.json' });
    const all = exemplarsOf(
      (await query(undefined, { q: '{ } | rate()' })).body,
    );
    answers({ tempo: 'red/rate-exemplars-10m-60s.json' });
    const three = exemplarsOf(
      (await query(undefined, { q: '{ } | rate()', exemplars: '3' })).body,
    );
    expect(three).toEqual([all[0], all[4], all[8]]);

    answers({ tempo: 'red/rate-exemplars-10m-60s.json' });
    const none = await query(undefined, { q: '{ } | rate()', exemplars: '0' });
    expect(exemplarsOf(none.body)).toEqual([]);
    expect(none.body.series[0].samples.length).toBeGreaterThan(0);
  });

  it('takes the cap from traces.exemplars.maxPerSeries and refuses more', async () => {
    const config = {
      traces: { ...TEMPO_CONFIG.traces, exemplars: { maxPerSeries: 2 } },
    };
    answers({ tempo: 'red/rate-exemplars-10m-60s.json' });
    const res = await query(config, { q: '{ } | rate()' });
    expect(exemplarsOf(res.body)).toHaveLength(2);

    answers({ tempo: 'red/rate-exemplars-10m-60s.json' });
    const refused = await query(config, { q: '{ } | rate()', exemplars: '5' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(
      /'exemplars': must be at most 2 \(traces.exemplars.maxPerSeries\)/,
    );
    expect(tempoAsked).toHaveLength(0);
  });

  it('gives latency exemplars the span’s duration', async () => {
    answers({ tempo: 'red/latency-exemplars-10m-60s.json' });
    const res = await query(undefined, {
      q: '{ kind = server } | histogram_over_time(duration)',
    });
    const bucket = res.body.series.find(
      (s: any) => s.labels.__bucket === 0.134217728,
    );
    expect(bucket.exemplars[0]).toMatchObject({
      traceId: '5c7ba6a777b34da6a3ce929d0e0e4736',
      durationMs: 120,
    });
    for (const s of res.body.series) {
      for (const e of s.exemplars) {
        // each in its own power-of-two bucket
        expect(e.durationMs / 1000).toBeLessThanOrEqual(s.labels.__bucket);
        expect(e.durationMs / 1000).toBeGreaterThan(s.labels.__bucket / 2);
      }
    }
  });

  it('spreads the embedded store’s exemplars over the range', async () => {
    const app = await startTracesBackend({ config: {} });
    const endS = Math.floor(Date.now() / 1000);
    // one span of frontend every 5 s over the last 10 minutes: more than the store samples
    const spans = Array.from({ length: 120 }, (_, i) => {
      const startNs = BigInt(endS - 600 + i * 5) * 1_000_000_000n;
      return {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'frontend' } },
          ],
        },
        scopeSpans: [
          {
            spans: [
              {
                traceId: `${i + 1}`.padStart(32, 'a'),
                spanId: `${i + 1}`.padStart(16, 'b'),
                name: 'GET /',
                kind: 2,
                startTimeUnixNano: String(startNs),
                endTimeUnixNano: String(startNs + 5_000_000n),
              },
            ],
          },
        ],
      };
    });
    await request(app)
      .post('/api/traces/v1/traces')
      .send({ resourceSpans: spans })
      .expect(200);
    const res = await request(app)
      .get('/api/traces/metrics/query_range')
      .query({
        q: '{ } | rate()',
        entityRef: 'frontend',
        start: String(endS - 600),
        end: String(endS),
        step: '60s',
        exemplars: '5',
      });
    expect(res.status).toBe(200);
    const exemplars = exemplarsOf(res.body);
    expect(exemplars).toHaveLength(5);
    // from the first minutes to the last, not only the newest spans
    expect(exemplars[0].timestampMs).toBeLessThan((endS - 480) * 1000);
    expect(exemplars[4].timestampMs).toBeGreaterThan((endS - 120) * 1000);
    for (const exemplar of exemplars) {
      expect(exemplar.traceId).toMatch(/^a+\d+$/);
      expect(exemplar.value).toBeGreaterThan(0);
    }
  });

  it('passes no exemplar label on but the trace and span IDs and the duration', async () => {
    // Tempo labels exemplars with every span attribute the query fetched: a secret too.
    const recorded = fixtureJson('red/rate-exemplars-10m-60s.json');
    for (const exemplar of recorded.series[0].exemplars) {
      exemplar.labels.push({
        key: 'span.http.url',
        value: { stringValue: 'https://shop/?token=s3cr3t-exemplar' },
      });
    }
    tempoAsked = [];
    upstream.use(
      http.get(`${TEMPO_URL}/api/metrics/query_range`, () =>
        HttpResponse.json(recorded),
      ),
    );
    const res = await query(undefined, { q: '{ } | rate()' });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('s3cr3t-exemplar');
    for (const exemplar of exemplarsOf(res.body)) {
      expect(Object.keys(exemplar).sort()).toEqual([
        'timestampMs',
        'traceId',
        'value',
      ]);
    }
  });

  describe('with Prometheus configured', () => {
    it('takes the span metrics exemplars of the entity’s services, never another’s', async () => {
      answers({ tempo: 'red/rate-exemplars-10m-60s.json' });
      const res = await query(withPrometheus(), { q: '{ } | rate()' });
      expect(res.status).toBe(200);
      const sent = prometheusAsked[0].searchParams;
      expect(sent.get('query')).toBe(
        'traces_spanmetrics_latency_bucket{service=~"frontend"}',
      );
      expect(sent.get('start')).toBe(RANGE.start);
      expect(sent.get('end')).toBe(RANGE.end);
      const exemplars = exemplarsOf(res.body);
      // The recording holds orders-api's series too: it is out of the entity's scope.
      expect(new Set(exemplars.map(e => e.traceId))).toEqual(
        new Set([
          '4bf92f3577b34da6a3ce929d0e0e4736',
          '5b8efff798038103d269b633813fc60c',
        ]),
      );
      expect(exemplars[0]).toEqual({
        traceId: expect.stringMatching(TRACE_ID),
        timestampMs: 1796045009092,
        // the rate of the step it falls in, as TraceQL values rate() exemplars
        value: res.body.series[0].samples.find(
          (s: any) => s.timestampMs === 1796044980000,
        ).value,
        durationMs: 120,
      });
    });

    it('maps the error and latency queries to span metrics labels', async () => {
      answers({ tempo: 'red/rate-exemplars-10m-60s.json' });
      await query(withPrometheus(), { q: '{ status = error } | rate()' });
      expect(prometheusAsked[0].searchParams.get('query')).toBe(
        'traces_spanmetrics_latency_bucket{status_code="STATUS_CODE_ERROR", service=~"frontend"}',
      );
      answers({ tempo: 'red/latency-exemplars-10m-60s.json' });
      const res = await query(withPrometheus(), {
        q: '{ kind = server } | histogram_over_time(duration)',
      });
      expect(prometheusAsked[0].searchParams.get('query')).toBe(
        'traces_spanmetrics_latency_bucket{span_kind="SPAN_KIND_SERVER", service=~"frontend"}',
      );
      // 120 ms spans belong to the 134 ms bucket only
      const withExemplars = res.body.series.filter(
        (s: any) => s.exemplars.length > 0,
      );
      expect(withExemplars.map((s: any) => s.labels.__bucket)).toEqual([
        0.134217728,
      ]);
    });

    it('keeps the store’s exemplars when Prometheus has none or fails', async () => {
      answers({
        tempo: 'red/rate-exemplars-10m-60s.json',
        prometheus: () =>
          fixtureResponse('query-exemplars-empty.json', 'prometheus'),
      });
      const empty = await query(withPrometheus(), { q: '{ } | rate()' });
      expect(prometheusAsked).toHaveLength(1);
      expect(exemplarsOf(empty.body)).toHaveLength(9);

      answers({
        tempo: 'red/rate-exemplars-10m-60s.json',
        prometheus: () => new HttpResponse('overloaded', { status: 503 }),
      });
      const failed = await query(withPrometheus(), { q: '{ } | rate()' });
      expect(failed.status).toBe(200);
      expect(exemplarsOf(failed.body)).toHaveLength(9);
    });

    it('does not wait for a Prometheus that does not answer', async () => {
      answers({
        tempo: 'red/rate-exemplars-10m-60s.json',
        prometheus: () => new Promise<Response>(() => {}),
      });
      const res = await query(withPrometheus(), { q: '{ } | rate()' });
      expect(res.status).toBe(200);
      expect(prometheusAsked).toHaveLength(1);
      expect(exemplarsOf(res.body)).toHaveLength(9);
    });

    it.each([
      [
        'a condition span metrics do not label',
        { q: '{ span.http.route = "/x" } | rate()' },
        'frontend',
      ],
      [
        'a grouping span metrics do not label',
        { q: '{ } | rate() by (span.http.route)' },
        'frontend',
      ],
      [
        'no exemplars wanted',
        { q: '{ } | rate()', exemplars: '0' },
        'frontend',
      ],
      ['an entity with a tenant', { q: '{ } | rate()' }, 'orders-api'],
    ])('does not ask Prometheus for %s', async (_, params, entity) => {
      answers({ tempo: 'red/rate-exemplars-10m-60s.json' });
      const res = await query(withPrometheus(), {
        ...params,
        entityRef: entity,
      });
      expect(res.status).toBe(200);
      expect(prometheusAsked).toHaveLength(0);
    });

    it('asks the store only when traces.exemplars.fromPrometheus is false', async () => {
      answers({ tempo: 'red/rate-exemplars-10m-60s.json' });
      const res = await query(withPrometheus({ fromPrometheus: false }), {
        q: '{ } | rate()',
      });
      expect(prometheusAsked).toHaveLength(0);
      expect(exemplarsOf(res.body)).toHaveLength(9);
    });
  });
});
