import { setupServer } from 'msw/node';

/**
 * An msw server for upstreams (Tempo, OpenSearch, Prometheus) that fails tests on any
 * unexpected upstream call, while letting supertest's requests to the local test backend
 * through without noise.
 */
export function setupUpstreamServer() {
  const server = setupServer();
  beforeAll(() =>
    server.listen({
      onUnhandledFrame({ frame, defaults }) {
        const url = (frame.data as { request?: Request })?.request?.url ?? '';
        if (/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url)) return;
        defaults.error();
      },
    }),
  );
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}
