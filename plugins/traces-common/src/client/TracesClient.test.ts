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
});
