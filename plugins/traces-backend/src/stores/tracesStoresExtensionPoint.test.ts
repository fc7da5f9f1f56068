import { createBackendModule } from '@backstage/backend-plugin-api';
import { startTestBackend, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { StoreHealth } from '@backstage-traces/plugin-traces-common';
import {
  tracesStoresExtensionPoint,
  type LogCountsRequest,
  type LogStore,
  type LogStoreFactory,
  type SubtreeRequest,
  type TagsRequest,
  type TraceRequest,
  type TraceStore,
  type TraceStoreFactory,
  type TraceWindowRequest,
} from '@backstage-traces/plugin-traces-node';
import request from 'supertest';
import {
  compactTraceOf,
  WINDOW_TRACE,
  wideTree,
} from '../__testUtils__/compactTraces';
import { setupUpstreamServer } from '../__testUtils__/setupUpstreamServer';
import {
  ENTITIES,
  startTracesBackend,
  TEMPO_CONFIG,
} from '../__testUtils__/startTracesBackend';
import { tracesPlugin } from '../plugin';

const healthy = (store: string): StoreHealth => ({ store, status: 'ok' });

/** A trace store answering from memory, every method a mock. */
function memoryTraceStore(): jest.Mocked<TraceStore> {
  // wideTree spans belong to 'frontend' and 'orders-api'.
  const trace = compactTraceOf(wideTree(2, 2));
  return {
    name: 'Memory',
    searchTraces: jest.fn(async search => ({
      query: search.query ?? '{}',
      traces: [],
      start: search.start,
      end: search.end,
      limit: search.limit,
    })),
    getTrace: jest.fn(async (_request: TraceRequest) => trace),
    getTraceWindow: jest.fn(async (_request: TraceWindowRequest) => trace),
    getSubtree: jest.fn(async (_request: SubtreeRequest) => trace),
    getTags: jest.fn(async (_request: TagsRequest) => ({ scopes: [] })),
    getTagValues: jest.fn(async values => ({ tag: values.tag, values: [] })),
    queryMetricsRange: jest.fn(),
    queryMetricsInstant: jest.fn(),
    getHealth: jest.fn(async () => healthy('Memory')),
  };
}

function memoryLogStore(): jest.Mocked<LogStore> {
  return {
    name: 'Memory logs',
    maxResults: 50,
    timeMarginMs: 1000,
    getLogs: jest.fn(async page => ({
      logs: [],
      start: new Date(page.window!.start).toISOString(),
      end: new Date(page.window!.end).toISOString(),
    })),
    getLogCounts: jest.fn(async (_request: LogCountsRequest) => ({
      counts: {},
    })),
    getHealth: jest.fn(async () => healthy('Memory logs')),
  };
}

function storesModule(
  install: {
    traces?: TraceStore | TraceStoreFactory;
    logs?: LogStore | LogStoreFactory;
  },
  moduleId = 'test-stores',
) {
  return createBackendModule({
    pluginId: 'traces',
    moduleId,
    register(env) {
      env.registerInit({
        deps: { stores: tracesStoresExtensionPoint },
        async init({ stores }) {
          if (install.traces) stores.setTraceStore(install.traces);
          if (install.logs) stores.setLogStore(install.logs);
        },
      });
    },
  });
}

describe('tracesStoresExtensionPoint', () => {
  // Fails the test on any call to Tempo: the installed store must answer instead.
  setupUpstreamServer();

  it('routes read the installed store, with the entity scope as data', async () => {
    const store = memoryTraceStore();
    const app = await startTracesBackend({
      extraFeatures: [storesModule({ traces: store })],
    });

    const res = await request(app)
      .get('/api/traces/search')
      .query({ entityRef: 'orders-api', q: '{ status = error }' });
    expect(res.status).toBe(200);
    expect(store.searchTraces).toHaveBeenCalledTimes(1);
    expect(store.searchTraces.mock.calls[0][0]).toMatchObject({
      scope: {
        serviceNames: ['orders-api', 'orders-worker'],
        serviceNamespace: 'shop',
        tenant: 'team-shop',
      },
      query: '{ status = error }',
      limit: 20,
    });
    expect(res.body.query).toBe('{ status = error }');

    const status = await request(app).get('/api/traces/health');
    expect(status.body.traces).toEqual({ store: 'Memory', status: 'ok' });
  });

  it('checks entity access on what the store answers', async () => {
    const store = memoryTraceStore();
    const app = await startTracesBackend({
      extraFeatures: [storesModule({ traces: store })],
    });
    const own = await request(app)
      .get(`/api/traces/traces/${WINDOW_TRACE}`)
      .query({ entityRef: 'frontend', focus: '0000000000000003' });
    expect(own.status).toBe(200);
    expect(store.getTraceWindow).toHaveBeenCalledWith(
      expect.objectContaining({
        traceId: WINDOW_TRACE,
        focusSpanId: '0000000000000003',
      }),
    );

    const foreign = await request(app)
      .get(`/api/traces/traces/${WINDOW_TRACE}`)
      .query({ entityRef: 'billing' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.message).toMatch(/no spans of .*billing/);
  });

  it('gives a factory the default store to wrap', async () => {
    let defaultName: string | undefined;
    const app = await startTracesBackend({
      extraFeatures: [
        storesModule({
          traces: async ({ getDefault }) => {
            defaultName = (await getDefault())?.name;
            return memoryTraceStore();
          },
        }),
      ],
    });
    await request(app).get('/api/traces/health').expect(200);
    expect(defaultName).toBe('Tempo');
  });

  it('installs a log store; routes pass the resolved window', async () => {
    const logs = memoryLogStore();
    const app = await startTracesBackend({
      extraFeatures: [storesModule({ traces: memoryTraceStore(), logs })],
    });
    const res = await request(app)
      .get(`/api/traces/traces/${WINDOW_TRACE}/logs`)
      .query({ start: '1795549000', end: '1795549600' });
    expect(res.status).toBe(200);
    expect(logs.getLogs).toHaveBeenCalledWith(
      expect.objectContaining({
        traceId: WINDOW_TRACE,
        window: { start: 1795549000000, end: 1795549600000 },
        limit: 50,
        order: 'asc',
      }),
    );
    const status = await request(app).get('/api/traces/health');
    expect(status.body.logs).toEqual({ store: 'Memory logs', status: 'ok' });
  });

  it('refuses a second trace store', async () => {
    await expect(
      startTestBackend({
        features: [
          tracesPlugin,
          mockServices.rootConfig.factory({ data: TEMPO_CONFIG }),
          catalogServiceMock.factory({ entities: ENTITIES }),
          storesModule({ traces: memoryTraceStore() }, 'first'),
          storesModule({ traces: memoryTraceStore() }, 'second'),
        ],
      }),
    ).rejects.toThrow(/A trace store is already installed/);
  });
});
