import request from 'supertest';
import { setupUpstreamServer } from '../../__testUtils__/setupUpstreamServer';
import { http, HttpResponse } from 'msw';
import {
  fixtureJson,
  fixtureResponse,
} from '../../__testUtils__/tempoFixtures';
import { encodeTraceByIdResponse } from '../../__testUtils__/tempoProto';
import {
  COMPACT_TRACE_MEDIA_TYPE,
  decodeCompactTrace,
} from '@backstage-traces/plugin-traces-common';
import {
  startTracesBackend,
  TEMPO_URL,
} from '../../__testUtils__/startTracesBackend';

const ERROR_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const ZERO_TRACE = '00f067aa0ba902b7d0c6e1b8e4f3a2c1';

describe('GET /api/traces/traces/:traceId', () => {
  const tempo = setupUpstreamServer();
  let asked: URL[];

  beforeEach(() => {
    asked = [];
    tempo.use(
      http.get(`${TEMPO_URL}/api/v2/traces/:id`, ({ request: req, params }) => {
        asked.push(new URL(req.url));
        if (params.id === ERROR_TRACE) return fixtureResponse('trace-v2.json');
        if (params.id === ZERO_TRACE)
          return fixtureResponse('trace-v2-leading-zeros-full-id.json');
        return fixtureResponse('trace-v2-not-found.txt');
      }),
    );
  });

  it('answers the normalised trace', async () => {
    const app = await startTracesBackend();
    const res = await request(app).get(
      `/api/traces/traces/${ERROR_TRACE.toUpperCase()}`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      traceId: ERROR_TRACE,
      spanCount: 4,
      services: ['frontend', 'orders-api'],
    });
    expect(res.body.spans[0]).toMatchObject({
      spanId: '00f067aa0ba902b7',
      name: 'GET /api/orders/{id}',
      kind: 'server',
      status: { code: 'error' },
      attributes: { 'http.response.status_code': 500 },
    });
    expect(asked[0].pathname).toBe(`/api/v2/traces/${ERROR_TRACE}`);
  });

  it('says where the time went (Server-Timing), and that a second answer came from the cache', async () => {
    // Stages, sorted: the owners lookup runs beside the fetch, so its place varies.
    const stages = (header: string) =>
      header
        .split(', ')
        .map(entry => {
          const [name, ...rest] = entry.split(';');
          expect(rest.join(';')).toMatch(/^(?:dur=[\d.]+;)?desc="[^"]+"$/);
          return name;
        })
        .sort();
    const app = await startTracesBackend();
    const first = await request(app).get(`/api/traces/traces/${ERROR_TRACE}`);
    expect(stages(first.headers['server-timing'])).toEqual([
      'access',
      'decode',
      'encode',
      'owners',
      'tempo',
      'total',
    ]);
    const second = await request(app).get(`/api/traces/traces/${ERROR_TRACE}`);
    expect(second.headers['server-timing']).toContain(
      'cache;desc="decoded trace from the cache"',
    );
    expect(stages(second.headers['server-timing'])).toEqual([
      'access',
      'cache',
      'encode',
      'owners',
      'total',
    ]);
    expect(asked).toHaveLength(1);
  });

  it('asks Tempo for protobuf and decodes it', async () => {
    let accept: string | null = null;
    tempo.use(
      http.get(`${TEMPO_URL}/api/v2/traces/:id`, ({ request: req }) => {
        accept = req.headers.get('accept');
        const bytes = encodeTraceByIdResponse(fixtureJson('trace-v2.json'));
        return new HttpResponse(bytes, {
          headers: { 'Content-Type': 'application/protobuf' },
        });
      }),
    );
    const app = await startTracesBackend();
    const res = await request(app).get(`/api/traces/traces/${ERROR_TRACE}`);
    expect(accept).toBe('application/protobuf');
    expect(res.status).toBe(200);
    expect(res.body.spans.map((s: { spanId: string }) => s.spanId)).toEqual([
      '00f067aa0ba902b7',
      'b7ad6b7169203331',
      'c9d8e7f6a5b4c3d2',
      '53995c3f42cd8ad8',
    ]);
  });

  it('understands a JSON answer even when a proxy labels it as something else', async () => {
    tempo.use(
      http.get(
        `${TEMPO_URL}/api/v2/traces/:id`,
        () =>
          new HttpResponse('{"trace":{}}', {
            headers: { 'Content-Type': 'text/plain' },
          }),
      ),
    );
    const app = await startTracesBackend();
    const res = await request(app).get(`/api/traces/traces/${ERROR_TRACE}`);
    expect(res.status).toBe(404);
  });

  it('answers 502 naming Tempo for an undecodable body', async () => {
    tempo.use(
      http.get(
        `${TEMPO_URL}/api/v2/traces/:id`,
        () =>
          new HttpResponse(new Uint8Array([0x0a, 0xff, 0xff, 0xff]), {
            headers: { 'Content-Type': 'application/protobuf' },
          }),
      ),
    );
    const app = await startTracesBackend();
    const res = await request(app).get(`/api/traces/traces/${ERROR_TRACE}`);
    expect(res.status).toBe(502);
    expect(res.body.error.message).toMatch(/^Tempo: .* cannot be decoded/);
  });

  it('serves the compact encoding on request, with owners, and caches repeated opens', async () => {
    const app = await startTracesBackend();
    const first = await request(app)
      .get(`/api/traces/traces/${ERROR_TRACE}`)
      .set('Accept', COMPACT_TRACE_MEDIA_TYPE)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', chunk => (text += chunk));
        res.on('end', () => done(null, text));
      });
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toContain(COMPACT_TRACE_MEDIA_TYPE);
    const compact = JSON.parse(first.body);
    expect(compact.format).toBe('compact/1');
    expect(compact.resources[0].owners).toEqual([
      {
        entityRef: 'component:default/frontend',
        owner: 'group:default/shop-team',
      },
    ]);
    const decoded = decodeCompactTrace(compact);

    const second = await request(app).get(`/api/traces/traces/${ERROR_TRACE}`);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(decoded);
    // The second open was served from the cache.
    expect(asked).toHaveLength(1);
  });

  it('passes an optional time range to Tempo in whole seconds', async () => {
    const app = await startTracesBackend();
    await request(app)
      .get(`/api/traces/traces/${ERROR_TRACE}`)
      .query({ start: '1795549000.7', end: '1795549400.2' })
      .expect(200);
    expect(asked[0].searchParams.get('start')).toBe('1795549000');
    expect(asked[0].searchParams.get('end')).toBe('1795549401');
  });

  it('accepts 64-bit IDs and pads them', async () => {
    const app = await startTracesBackend();
    const res = await request(app).get('/api/traces/traces/0123456789abcdef');
    expect(res.status).toBe(404);
    expect(asked[0].pathname).toBe(
      '/api/v2/traces/00000000000000000123456789abcdef',
    );
  });

  it('turns Tempo’s 200 {"trace":{}} for unknown IDs into a 404 with a message', async () => {
    const app = await startTracesBackend();
    const res = await request(app).get(
      '/api/traces/traces/0123456789abcdef0123456789abcdef',
    );
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(
      /^Trace 0123456789abcdef0123456789abcdef was not found in Tempo/,
    );
  });

  it('opens an ID copied with its leading zeros stripped, as Tempo search and Grafana show it', async () => {
    const app = await startTracesBackend();
    const stripped = ZERO_TRACE.replace(/^0+/, '');
    expect(stripped).toHaveLength(30);
    const res = await request(app).get(`/api/traces/traces/${stripped}`);
    expect(res.status).toBe(200);
    expect(res.body.traceId).toBe(ZERO_TRACE);
    expect(asked[0].pathname).toBe(`/api/v2/traces/${ZERO_TRACE}`);
  });

  it.each([
    'not-a-trace-id',
    '0123456789abcdef0123456789abcdef00',
    '0000',
    '0123456789abcdeg',
  ])('answers 400 for the malformed ID %s without asking Tempo', async id => {
    const app = await startTracesBackend();
    const res = await request(app).get(`/api/traces/traces/${id}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /expected 1 to 32 hexadecimal characters/,
    );
    expect(asked).toHaveLength(0);
  });

  it('serves a trace in an entity context only when the trace involves its services', async () => {
    const app = await startTracesBackend();
    await request(app)
      .get(`/api/traces/traces/${ERROR_TRACE}`)
      .query({ entityRef: 'component:default/frontend' })
      .expect(200);

    const res = await request(app)
      .get(`/api/traces/traces/${ERROR_TRACE}`)
      .query({ entityRef: 'component:default/billing' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(
      /has no spans of component:default\/billing/,
    );
  });

  it('sends the entity’s Tempo tenant', async () => {
    let tenant: string | null = null;
    tempo.use(
      http.get(`${TEMPO_URL}/api/v2/traces/:id`, ({ request: req }) => {
        tenant = req.headers.get('x-scope-orgid');
        return fixtureResponse('trace-v2.json');
      }),
    );
    const app = await startTracesBackend();
    // orders-api claims `orders-api`, which the trace contains.
    await request(app)
      .get(`/api/traces/traces/${ERROR_TRACE}`)
      .query({ entityRef: 'orders-api' })
      .expect(200);
    expect(tenant).toBe('team-shop');
  });

  it('masks secrets and names the owning entities of every service', async () => {
    const body = fixtureJson('trace-v2.json');
    const [frontend] = body.trace.resourceSpans;
    frontend.scopeSpans[0].spans[0].attributes.push(
      {
        key: 'http.request.header.authorization',
        value: { stringValue: 'Bearer abc' },
      },
      {
        key: 'url.full',
        value: { stringValue: 'https://shop.test/api?token=abc&page=1' },
      },
    );
    tempo.use(
      http.get(`${TEMPO_URL}/api/v2/traces/:id`, () => HttpResponse.json(body)),
    );
    const app = await startTracesBackend();
    const res = await request(app)
      .get(`/api/traces/traces/${ERROR_TRACE}`)
      .query({ entityRef: 'frontend' });
    expect(res.status).toBe(200);
    const [root] = res.body.spans;
    expect(root.attributes['http.request.header.authorization']).toBe(
      '[masked]',
    );
    expect(root.attributes['url.full']).toBe(
      'https://shop.test/api?token=[masked]&page=1',
    );
    expect(root.redactedKeys).toEqual([
      'http.request.header.authorization',
      'url.full',
    ]);
    expect(JSON.stringify(res.body)).not.toContain('Bearer abc');
    expect(res.body.resources.map((r: any) => r.owners)).toEqual([
      [
        {
          entityRef: 'component:default/frontend',
          owner: 'group:default/shop-team',
        },
      ],
      [
        {
          entityRef: 'component:default/orders-api',
          owner: 'group:default/shop-team',
        },
      ],
    ]);
  });
});
