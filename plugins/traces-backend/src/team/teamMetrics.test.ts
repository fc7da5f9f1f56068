import type {
  MetricsRangeRequest,
  TraceStore,
} from '@backstage-traces/plugin-traces-node';
import {
  MAX_SERVICES_PER_QUERY,
  queryTeamSeries,
  TEAM_QUERIES,
} from './teamMetrics';

describe('queryTeamSeries', () => {
  it('sends each query once per tenant and per hundred services, whatever the components', async () => {
    const asked: MetricsRangeRequest[] = [];
    const store = {
      queryMetricsRange: jest.fn(async (request: MetricsRangeRequest) => {
        asked.push(request);
        return {
          query: request.query,
          start: request.start,
          end: request.end,
          series: [],
        };
      }),
    } as unknown as TraceStore;
    // 250 components of one service each, one of them in another tenant.
    const components = Array.from({ length: 250 }, (_, i) => ({
      entityRef: `component:default/c${i}`,
      scope: {
        serviceNames: [`svc-${String(i).padStart(3, '0')}`],
        ...(i === 0 && { tenant: 'other' }),
      },
    }));
    const { queries } = await queryTeamSeries(
      store,
      components,
      {},
      { start: 0, end: 3600 },
      series => series,
    );
    const queryCount = Object.keys(TEAM_QUERIES).length;
    // 249 names: three sets in the default tenant; one name: one set in the other.
    expect(asked).toHaveLength(4 * queryCount);
    expect(queries).toHaveLength(4 * queryCount);
    for (const request of asked) {
      expect(request.scope.serviceNames!.length).toBeLessThanOrEqual(
        MAX_SERVICES_PER_QUERY,
      );
      expect(request.stepSeconds).toBe(120);
    }
    const names = asked
      .filter(r => r.query === TEAM_QUERIES.spans)
      .flatMap(r => r.scope.serviceNames!);
    expect(new Set(names).size).toBe(250);
    expect(
      asked
        .filter(r => r.scope.tenant === 'other')
        .map(r => r.scope.serviceNames),
    ).toEqual(Array(queryCount).fill(['svc-000']));
  });

  it('sends nothing for a team without traced components', async () => {
    const store = { queryMetricsRange: jest.fn() } as unknown as TraceStore;
    const result = await queryTeamSeries(
      store,
      [],
      {},
      { start: 0, end: 60 },
      s => s,
    );
    expect(store.queryMetricsRange).not.toHaveBeenCalled();
    expect(result.queries).toEqual([]);
  });
});
