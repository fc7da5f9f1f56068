import { http } from 'msw';
import request from 'supertest';
import { setupUpstreamServer } from '../../__testUtils__/setupUpstreamServer';
import { fixtureResponse } from '../../__testUtils__/tempoFixtures';
import {
  startTracesBackend,
  TEMPO_URL,
} from '../../__testUtils__/startTracesBackend';

describe('tag routes', () => {
  const tempo = setupUpstreamServer();
  let asked: URL[];

  beforeEach(() => {
    asked = [];
    tempo.use(
      http.get(`${TEMPO_URL}/api/v2/search/tags`, ({ request: req }) => {
        asked.push(new URL(req.url));
        return fixtureResponse('tags-v2.json');
      }),
      http.get(
        `${TEMPO_URL}/api/v2/search/tag/:name/values`,
        ({ request: req, params }) => {
          asked.push(new URL(req.url));
          if (params.name === 'service.name')
            return fixtureResponse('error-tag-values-unscoped.txt');
          if (params.name === 'span.http.route')
            return fixtureResponse('tag-values-http-route.json');
          if (params.name === 'span.http.response.status_code') {
            return fixtureResponse('tag-values-http-status-code.json');
          }
          return fixtureResponse('tag-values-unscoped-dot-service-name.json');
        },
      ),
    );
  });

  it('lists tag names per scope', async () => {
    const app = await startTracesBackend();
    const res = await request(app)
      .get('/api/traces/tags')
      .query({ scope: 'span' });
    expect(res.status).toBe(200);
    expect(res.body.scopes.map((s: { name: string }) => s.name)).toEqual([
      'resource',
      'span',
      'intrinsic',
      'event',
    ]);
    expect(res.body.scopes[1].tags).toContain('http.route');
    expect(asked[0].searchParams.get('scope')).toBe('span');
  });

  it('narrows tag names to the entity’s services', async () => {
    const app = await startTracesBackend();
    await request(app)
      .get('/api/traces/tags')
      .query({ entityRef: 'frontend' })
      .expect(200);
    expect(asked[0].searchParams.get('q')).toBe(
      '{ resource.service.name = "frontend" }',
    );
  });

  it('says where the time went (Server-Timing), one Tempo request per service', async () => {
    const app = await startTracesBackend();
    const res = await request(app)
      .get('/api/traces/tags')
      .query({ entityRef: 'frontend' })
      .expect(200);
    expect(res.headers['server-timing']).toMatch(
      /^access;dur=[\d.]+;desc="[^"]+", tempo;dur=[\d.]+;desc="Tempo \/api\/v2\/search\/tags", check;dur=[\d.]+;desc="answer check", total;dur=[\d.]+;desc="route total"$/,
    );
  });

  it('rejects an unknown scope with the list of valid ones', async () => {
    const app = await startTracesBackend();
    const res = await request(app)
      .get('/api/traces/tags')
      .query({ scope: 'nope' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /'scope': must be one of resource, span, intrinsic/,
    );
  });

  it('sends a bare service.name as the unscoped .service.name instead of getting Tempo’s 500', async () => {
    const app = await startTracesBackend();
    const res = await request(app).get('/api/traces/tags/service.name/values');
    expect(res.status).toBe(200);
    expect(asked[0].pathname).toBe('/api/v2/search/tag/.service.name/values');
    expect(res.body).toEqual({
      tag: '.service.name',
      values: [
        { type: 'string', value: 'frontend' },
        { type: 'string', value: 'orders-api' },
      ],
    });
  });

  it('scopes tag values to the entity and combines the user’s filter', async () => {
    const app = await startTracesBackend();
    const res = await request(app)
      .get('/api/traces/tags/span.http.route/values')
      .query({
        entityRef: 'frontend',
        q: '{ span.http.request.method = "GET" }',
      });
    expect(res.status).toBe(200);
    expect(asked[0].searchParams.get('q')).toBe(
      '{ resource.service.name = "frontend" && span.http.request.method = "GET" }',
    );
    expect(res.body.values.map((v: { value: string }) => v.value)).toContain(
      '/api/orders/{id}',
    );
  });

  it('keeps the value type Tempo reports (ints arrive as strings)', async () => {
    const app = await startTracesBackend();
    const res = await request(app).get(
      '/api/traces/tags/span.http.response.status_code/values',
    );
    expect(res.body.values[0]).toEqual({
      type: 'int',
      value: expect.stringMatching(/^\d+$/),
    });
  });

  it('rejects a scoped intrinsic that does not exist', async () => {
    const app = await startTracesBackend();
    const res = await request(app).get('/api/traces/tags/span:bogus/values');
    expect(res.status).toBe(400);
    expect(asked).toHaveLength(0);
  });

  it.each([
    ['..%2F..%2Fapi%2Fsearch', /contains '\/'/],
    ['.', /is not a TraceQL attribute/],
    ['..', /a name cannot start with a dot/],
    ['%00', /contains a control character/],
    ['span.a%20%7C%7C%20.b', /is not a TraceQL attribute/],
  ])(
    'answers 400 for the tag %s before anything reaches Tempo',
    async (encoded, message) => {
      const app = await startTracesBackend();
      const res = await request(app).get(`/api/traces/tags/${encoded}/values`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
      expect(asked).toHaveLength(0);
    },
  );

  it('answers the tag values of the embedded store for quoted attribute names', async () => {
    const app = await startTracesBackend({ config: {} });
    const res = await request(app).get(
      `/api/traces/tags/${encodeURIComponent('span."http.route"')}/values`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ tag: 'span."http.route"', values: [] });
  });
});
