import { createBackendModule } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  tracesStoresExtensionPoint,
  UpstreamError,
  type TraceStore,
} from '@backstage-traces/plugin-traces-node';
import request from 'supertest';
import { setupUpstreamServer } from '../__testUtils__/setupUpstreamServer';
import { startTracesBackend } from '../__testUtils__/startTracesBackend';

/** A trace store whose search fails with `error`: a bug of ours, a store's, an upstream's. */
function failingStore(error: () => Error) {
  const fail = async () => {
    throw error();
  };
  const store = {
    name: 'Failing',
    searchTraces: fail,
    getTrace: fail,
    getTraceWindow: fail,
    getSubtree: fail,
    getTags: fail,
    getTagValues: fail,
    queryMetricsRange: fail,
    queryMetricsInstant: fail,
    getHealth: async () => ({ store: 'Failing', status: 'ok' as const }),
  } as TraceStore;
  return createBackendModule({
    pluginId: 'traces',
    moduleId: 'failing-store',
    register(env) {
      env.registerInit({
        deps: { stores: tracesStoresExtensionPoint },
        async init({ stores }) {
          stores.setTraceStore(store);
        },
      });
    },
  });
}

/** An error with a cause, both with stacks, as a library would throw it. */
function bug(): Error {
  const cause = new TypeError("Cannot read properties of null (reading 'x')");
  return new Error('the store broke', { cause });
}

const STACK_LINE = /\n\s+at .+:\d+:\d+/;

describe('error answers in production mode', () => {
  setupUpstreamServer();
  const env = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = env;
  });

  async function answerOf(error: () => Error, nodeEnv: string) {
    process.env.NODE_ENV = nodeEnv;
    const app = await startTracesBackend({
      config: {},
      extraFeatures: [failingStore(error)],
    });
    return request(app).get('/api/traces/search').query({ q: '{ }' });
  }

  it.each([
    ['an unexpected error (500)', bug, 500],
    ['bad input (400)', () => new InputError('no such thing'), 400],
    [
      'an upstream failure (502)',
      () => new UpstreamError('Tempo', 502, 'x'),
      502,
    ],
  ])('carry no stack trace for %s', async (_what, error, status) => {
    const res = await answerOf(error, 'production');
    expect(res.status).toBe(status);
    expect(typeof res.body.error.message).toBe('string');
    expect(res.text).not.toMatch(/"stack"/);
    expect(res.text).not.toMatch(STACK_LINE);
  });

  it('carry no stack trace from body parsing either', async () => {
    process.env.NODE_ENV = 'production';
    const app = await startTracesBackend({ config: {} });
    const res = await request(app)
      .post('/api/traces/search')
      .set('Content-Type', 'application/json')
      .send('{"broken');
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/"stack"/);
  });

  // The check above can fail: the same answer in development mode carries the stacks.
  it('differ from development mode, where stacks are shown', async () => {
    const res = await answerOf(bug, 'development');
    expect(res.status).toBe(500);
    expect(res.body.error.stack).toMatch(STACK_LINE);
  });
});
