import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  startTracesBackend,
  TEMPO_CONFIG,
} from '../../__testUtils__/startTracesBackend';

const config = { ...TEMPO_CONFIG, app: { baseUrl: 'https://backstage.test/' } };

/** Grafana's links are plain navigations: no Backstage token. */
function signedOut(app: Awaited<ReturnType<typeof startTracesBackend>>) {
  return (path: string) =>
    request(app).get(path).set('Authorization', mockCredentials.none.header());
}

describe('GET /api/traces/links/*', () => {
  it('sends a signed-out browser to the service page of the app, which resolves the owners after sign-in', async () => {
    const get = signedOut(await startTracesBackend({ config }));
    const res = await get(
      '/api/traces/links/service/orders%20api?namespace=shop',
    );
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(
      'https://backstage.test/traces/services/orders%20api?namespace=shop',
    );
  });

  it('sends a trace link to the trace page, with span and time range', async () => {
    const get = signedOut(await startTracesBackend({ config }));
    const res = await get(
      '/api/traces/links/trace/4BF92F3577B34DA6A3CE929D0E0E4736?spanId=00F067AA0BA902B7&from=1700000000000&to=2023-11-14T22:43:20.000Z',
    );
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(
      'https://backstage.test/traces/trace/4bf92f3577b34da6a3ce929d0e0e4736?spanId=00f067aa0ba902b7&from=1700000000000&to=1700001800000',
    );
  });

  it('pads trace and span IDs copied with their leading zeros stripped', async () => {
    const get = signedOut(await startTracesBackend({ config }));
    const res = await get(
      '/api/traces/links/trace/f067aa0ba902b7d0c6e1b8e4f3a2c1?spanId=ad6b7169203331',
    );
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(
      'https://backstage.test/traces/trace/00f067aa0ba902b7d0c6e1b8e4f3a2c1?spanId=00ad6b7169203331',
    );
  });

  it('leaves out empty optional parameters, as Grafana sends them for unset variables', async () => {
    const get = signedOut(await startTracesBackend({ config }));
    const res = await get('/api/traces/links/trace/abc?spanId=&from=&to=');
    expect(res.headers.location).toBe(
      'https://backstage.test/traces/trace/00000000000000000000000000000abc',
    );
  });

  it.each([
    ['/api/traces/links/trace/not-hex', /traceId.*1 to 32 hexadecimal/],
    [`/api/traces/links/trace/${'0'.repeat(32)}`, /traceId/],
    ['/api/traces/links/trace/abc?spanId=xyz', /spanId/],
    ['/api/traces/links/trace/abc?from=yesterday', /from.*epoch milliseconds/],
    ['/api/traces/links/trace/abc?from=20&to=10', /'from' must be before 'to'/],
  ])('answers 400 for %s', async (path, message) => {
    const get = signedOut(await startTracesBackend({ config }));
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });

  it('redirects relative to the backend origin when app.baseUrl is unset', async () => {
    const get = signedOut(await startTracesBackend());
    const res = await get('/api/traces/links/service/billing');
    expect(res.headers.location).toBe('/traces/services/billing');
  });
});
