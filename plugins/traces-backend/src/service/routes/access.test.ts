import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { http } from 'msw';
import request from 'supertest';
import { setupUpstreamServer } from '../../__testUtils__/setupUpstreamServer';
import { fixtureResponse } from '../../__testUtils__/tempoFixtures';
import {
  startTracesBackend,
  TEMPO_URL,
} from '../../__testUtils__/startTracesBackend';

describe('permissions', () => {
  const tempo = setupUpstreamServer();

  beforeEach(() => {
    tempo.use(
      http.get(`${TEMPO_URL}/api/search`, () =>
        fixtureResponse('search-by-service.json'),
      ),
      http.get(`${TEMPO_URL}/api/v2/traces/:id`, () =>
        fixtureResponse('trace-v2.json'),
      ),
    );
  });

  /** Allows everything except the named permissions. */
  function denying(...names: string[]) {
    const authorize = jest.fn(
      async (requests: Array<{ permission: { name: string } }>) =>
        requests.map(r => ({
          result: names.includes(r.permission.name)
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
        })),
    );
    return {
      authorize,
      factory: mockServices.permissions.mock({ authorize } as any).factory,
    };
  }

  it('checks traces.entity.read against the entity for scoped reads', async () => {
    const { authorize, factory } = denying();
    const app = await startTracesBackend({ extraFeatures: [factory] });
    await request(app)
      .get('/api/traces/search')
      .query({ entityRef: 'frontend' })
      .expect(200);
    expect(authorize).toHaveBeenCalledWith(
      [
        expect.objectContaining({
          permission: expect.objectContaining({ name: 'traces.entity.read' }),
          resourceRef: 'component:default/frontend',
        }),
      ],
      expect.anything(),
    );
  });

  it('denies entity-scoped reads with 403 and no data', async () => {
    const { factory } = denying('traces.entity.read');
    const app = await startTracesBackend({ extraFeatures: [factory] });
    const res = await request(app)
      .get('/api/traces/search')
      .query({ entityRef: 'frontend' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'You are not allowed to read the traces of component:default/frontend (traces.entity.read)',
    );
    expect(res.body.traces).toBeUndefined();
  });

  it('needs traces.query for unscoped TraceQL and trace lookups outside an entity', async () => {
    const { factory } = denying('traces.query');
    const app = await startTracesBackend({ extraFeatures: [factory] });
    const search = await request(app)
      .get('/api/traces/search')
      .query({ q: '{ }' });
    expect(search.status).toBe(403);
    const trace = await request(app).get(
      '/api/traces/traces/4bf92f3577b34da6a3ce929d0e0e4736',
    );
    expect(trace.status).toBe(403);
    // Inside an entity the same trace is still readable.
    await request(app)
      .get('/api/traces/traces/4bf92f3577b34da6a3ce929d0e0e4736')
      .query({ entityRef: 'frontend' })
      .expect(200);
  });
});
