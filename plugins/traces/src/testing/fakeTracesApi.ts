import type {
  Trace,
  TraceSummary,
} from '@backstage-traces/plugin-traces-common';
import type {
  GetLogsRequest,
  GetTraceRequest,
  GetTraceSubtreeRequest,
  TracesApi,
} from '../api';

/**
 * A TracesApi of jest mocks with empty, successful answers; tests override what they need.
 * Test-only helper (imported by *.test.tsx files).
 */
export function fakeTracesApi(
  overrides: Partial<TracesApi> = {},
): jest.Mocked<TracesApi> {
  const api: jest.Mocked<TracesApi> = {
    health: jest.fn(async () => ({
      traces: { store: 'Tempo', status: 'ok' as const },
      logs: { store: 'OpenSearch', status: 'disabled' as const },
    })),
    searchTraces: jest.fn(async request => ({
      query: request.query ?? '{ }',
      traces: [],
      start: request.start ?? 0,
      end: request.end ?? 0,
      limit: request.limit ?? 20,
    })),
    getTrace: jest.fn(async (_request: GetTraceRequest): Promise<Trace> => {
      throw new Error('getTrace not faked');
    }),
    getTraceSubtree: jest.fn(
      async (_request: GetTraceSubtreeRequest): Promise<Trace> => {
        throw new Error('getTraceSubtree not faked');
      },
    ),
    getTags: jest.fn(
      async (_request: { scope?: string; entityRef?: string }) => ({
        scopes: [],
      }),
    ),
    getTagValues: jest.fn(async request => ({ tag: request.tag, values: [] })),
    queryMetrics: jest.fn(async request => ({
      query: request.query,
      start: request.start,
      end: request.end,
      series: [],
    })),
    getLogs: jest.fn(async (_request: GetLogsRequest) => ({
      logs: [],
      start: '',
      end: '',
    })),
    getLogCounts: jest.fn(async (_request: GetTraceRequest) => ({
      counts: {},
    })),
    getServiceGraph: jest.fn(async request => ({
      source: 'prometheus' as const,
      start: request.start ?? 0,
      end: request.end ?? 0,
      nodes: [],
      edges: [],
    })),
    getServiceOwners: jest.fn(async request => ({
      serviceName: request.serviceName,
      owners: [],
    })),
    getTeamTraces: jest.fn(async request => ({
      entityRef: request.entityRef,
      groups: [request.entityRef],
      groupsTruncated: false,
      start: request.start ?? 0,
      end: request.end ?? 0,
      components: [],
      slowestOperations: [],
      mostErroringOperations: [],
      unannotated: [],
      deniedCount: 0,
      queries: [],
    })),
  };
  for (const [key, value] of Object.entries(overrides)) {
    (api as any)[key] = jest.fn(value as any);
  }
  return api;
}

/** A search result; `i` spaces start times a minute apart (newer with higher i). */
export function traceSummary(
  i: number,
  overrides: Partial<TraceSummary> = {},
): TraceSummary {
  const startMs = Date.UTC(2025, 10, 20, 12, 0, 0) + i * 60_000;
  return {
    traceId: i.toString(16).padStart(32, 'a'),
    rootServiceName: 'orders-api',
    rootSpanName: `GET /orders/${i}`,
    startTimeUnixNano: `${BigInt(startMs) * 1_000_000n}`,
    startTime: new Date(startMs).toISOString(),
    durationMs: 10 + i,
    spanCount: 5 + i,
    errorCount: 0,
    services: [{ name: 'orders-api', spanCount: 5 + i, errorCount: 0 }],
    matchedSpans: [],
    matched: 1,
    ...overrides,
  };
}
