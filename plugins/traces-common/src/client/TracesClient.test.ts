import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { TracesClient } from './TracesClient';

const BASE = 'http://backstage.test/api/traces';
const server = setupServer();
beforeAll(() => server.listen());
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** As a backend module uses it: the discovery service, global fetch and a token per call. */
const client = new TracesClient({
  discoveryApi: {
    getBaseUrl: async pluginId => `http://backstage.test/api/${pluginId}`,
  },
});

describe('TracesClient on a backend', () => {
  it('sends the per-call service token and reads service owners', async () => {
    let seen: Request | undefined;
    server.use(
      http.get(`${BASE}/services/:name/owners`, ({ request }) => {
        seen = request;
        return HttpResponse.json({
          serviceName: 'orders api',
          owners: [{ entityRef: 'component:default/orders' }],
        });
      }),
    );
    const body = await client.getServiceOwners(
      { serviceName: 'orders api', serviceNamespace: 'shop' },
      { token: 'service-token' },
    );
    expect(body.owners).toEqual([{ entityRef: 'component:default/orders' }]);
    expect(seen!.headers.get('authorization')).toBe('Bearer service-token');
    expect(new URL(seen!.url).pathname).toBe(
      '/api/traces/services/orders%20api/owners',
    );
    expect(new URL(seen!.url).searchParams.get('namespace')).toBe('shop');
  });

  it('sends no Authorization header without a token', async () => {
    let auth: string | null = 'unset';
    server.use(
      http.get(`${BASE}/health`, ({ request }) => {
        auth = request.headers.get('authorization');
        return HttpResponse.json({ tempo: { status: 'ok' } });
      }),
    );
    await client.health();
    expect(auth).toBeNull();
  });

  it('throws a ResponseError carrying the backend message', async () => {
    server.use(
      http.get(`${BASE}/tags/:tag/values`, () =>
        HttpResponse.json(
          {
            error: { name: 'ServiceUnavailableError', message: 'Tempo: down' },
            response: { statusCode: 503 },
          },
          { status: 503 },
        ),
      ),
    );
    const error = await client
      .getTagValues({ tag: 'resource.service.name' }, { token: 't' })
      .catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(503);
    expect(error.body.error.message).toBe('Tempo: down');
  });

  describe('when the backend is busy (429)', () => {
    /** Answers `answers` in turn (the last one from then on) and counts the requests. */
    function health(...answers: Array<() => Response>) {
      const seen = { requests: 0 };
      server.use(
        http.get(`${BASE}/health`, () => {
          seen.requests += 1;
          return answers[Math.min(seen.requests, answers.length) - 1]();
        }),
      );
      return seen;
    }
    const busy =
      (retryAfter?: string, status = 429) =>
      () =>
        HttpResponse.json(
          {
            error: { name: 'Error', message: 'too many requests in flight' },
            response: { statusCode: status },
          },
          {
            status,
            headers:
              retryAfter === undefined ? {} : { 'Retry-After': retryAfter },
          },
        );
    const ok = () => HttpResponse.json({ tempo: { status: 'ok' } });

    it('asks again after Retry-After and answers', async () => {
      const seen = health(busy('0'), busy('0'), ok);
      expect(await client.health()).toEqual({ tempo: { status: 'ok' } });
      expect(seen.requests).toBe(3);
    });

    it('gives up after two retries with the 429', async () => {
      const seen = health(busy('0'));
      const error = await client.health().catch(e => e);
      expect(ResponseError.is(error)).toBe(true);
      expect(error.statusCode).toBe(429);
      expect(seen.requests).toBe(3);
    });

    it.each([
      ['without Retry-After', busy()],
      ['when Retry-After is over 5 s', busy('60')],
      ['when Retry-After is a date', busy('Wed, 21 Oct 2026 07:28:00 GMT')],
      ['for other statuses', busy('0', 503)],
    ])('does not retry %s', async (_, answer) => {
      const seen = health(answer, ok);
      const error = await client.health().catch(e => e);
      expect(ResponseError.is(error)).toBe(true);
      expect(seen.requests).toBe(1);
    });
  });
});
