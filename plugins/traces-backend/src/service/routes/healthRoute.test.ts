import { mockCredentials } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import request from 'supertest';
import { startStallingServer } from '../../__testUtils__/stallingServer';
import { setupUpstreamServer } from '../../__testUtils__/setupUpstreamServer';
import { fixtureResponse } from '../../__testUtils__/tempoFixtures';
import {
  startTracesBackend,
  TEMPO_URL,
} from '../../__testUtils__/startTracesBackend';

describe('GET /api/traces/health', () => {
  const tempo = setupUpstreamServer();

  it('names the embedded store, in use while Tempo is not configured', async () => {
    const app = await startTracesBackend({ config: {} });
    const res = await request(app).get('/api/traces/health');
    expect(res.status).toBe(200);
    expect(res.body.traces).toEqual({ store: 'Embedded store', status: 'ok' });
    expect(res.body.logs).toEqual({ store: 'Embedded store', status: 'ok' });
  });

  it('reports readiness and version from Tempo', async () => {
    tempo.use(
      http.get(`${TEMPO_URL}/ready`, () => fixtureResponse('ready.txt')),
      http.get(`${TEMPO_URL}/api/status/buildinfo`, () =>
        fixtureResponse('buildinfo.json'),
      ),
    );
    const app = await startTracesBackend();
    const res = await request(app).get('/api/traces/health');
    expect(res.status).toBe(200);
    expect(res.body.traces).toEqual({
      store: 'Tempo',
      status: 'ok',
      version: 'v2.7.2',
      url: TEMPO_URL,
    });
  });

  it('answers 200 with the reason when Tempo is not ready', async () => {
    tempo.use(
      http.get(
        `${TEMPO_URL}/ready`,
        () =>
          new HttpResponse(
            'Ingester not ready: waiting for 15s after being ready',
            { status: 503 },
          ),
      ),
      http.get(`${TEMPO_URL}/api/status/buildinfo`, () =>
        fixtureResponse('buildinfo.json'),
      ),
    );
    const app = await startTracesBackend();
    const res = await request(app).get('/api/traces/health');
    expect(res.status).toBe(200);
    expect(res.body.traces.status).toBe('down');
    expect(res.body.traces.message).toMatch(
      /Tempo is not ready: Ingester not ready/,
    );
  });

  it('is down when /ready answers 200 with something else than ready', async () => {
    tempo.use(
      http.get(
        `${TEMPO_URL}/ready`,
        () => new HttpResponse('<html>Welcome to nginx</html>'),
      ),
      http.get(`${TEMPO_URL}/api/status/buildinfo`, () =>
        fixtureResponse('buildinfo.json'),
      ),
    );
    const app = await startTracesBackend();
    const res = await request(app).get('/api/traces/health');
    expect(res.status).toBe(200);
    expect(res.body.traces).toMatchObject({
      status: 'down',
      message: `Tempo is not ready: /ready answered HTTP 200 without saying 'ready' ("<html>Welcome to nginx</html>"); is traces.tempo.baseUrl a Tempo?`,
    });
  });

  it('answers 200 with the reason when Tempo is unreachable', async () => {
    tempo.use(
      http.get(`${TEMPO_URL}/ready`, () => HttpResponse.error()),
      http.get(`${TEMPO_URL}/api/status/buildinfo`, () => HttpResponse.error()),
    );
    const app = await startTracesBackend();
    const res = await request(app).get('/api/traces/health');
    expect(res.status).toBe(200);
    expect(res.body.traces.status).toBe('down');
    expect(res.body.traces.message).toMatch(
      /^Tempo: cannot reach http:\/\/tempo\.test:3200/,
    );
  });

  it('needs Backstage credentials', async () => {
    const app = await startTracesBackend();
    const res = await request(app)
      .get('/api/traces/health')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });
});

describe('GET /api/traces/health of a Tempo that never finishes answering', () => {
  it('is down, naming the stall', async () => {
    const stalling = await startStallingServer({
      contentType: 'text/plain',
      firstBytes: 'rea',
    });
    try {
      const app = await startTracesBackend({
        config: {
          traces: { tempo: { baseUrl: stalling.url, timeout: '300ms' } },
        },
      });
      const res = await request(app).get('/api/traces/health');
      expect(res.status).toBe(200);
      expect(res.body.traces).toMatchObject({
        status: 'down',
        message:
          'Tempo: /ready stopped sending its answer: not finished within 300 ms (the health check), 3 bytes received',
      });
    } finally {
      await stalling.close();
    }
  });
});
