import {
  buildExploreUrl,
  GrafanaSettings,
  traceExploreUrl,
  traceLogsExploreUrl,
  traceqlSearchExploreUrl,
} from './exploreUrls';

const settings: GrafanaSettings = {
  baseUrl: 'https://grafana.example.com/sub',
  orgId: 2,
  tempoDatasourceUid: 'tempo-uid',
  logsDatasourceUid: 'os-uid',
  logsDatasourceType: 'grafana-opensearch-datasource',
  logsTraceIdField: 'traceId',
};

/** Decodes a URL the way Grafana does: `+` is a space, then percent-decoding. */
function parse(url: string) {
  const u = new URL(url);
  const raw = u.search
    .slice(1)
    .split('&')
    .map(kv => kv.split('='));
  const params = Object.fromEntries(
    raw.map(([k, v]) => [k, decodeURIComponent(v.replace(/\+/g, '%20'))]),
  );
  return { path: u.pathname, params, panes: JSON.parse(params.panes) };
}

describe('traceExploreUrl', () => {
  it('opens a trace by ID with a span focused, org and string range', () => {
    const url = traceExploreUrl(settings, {
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      range: { from: 1700000000000, to: 1700003600000 },
    });
    const { path, params, panes } = parse(url);
    expect(
      url.startsWith(
        'https://grafana.example.com/sub/explore?schemaVersion=1&orgId=2&panes=',
      ),
    ).toBe(true);
    expect(path).toBe('/sub/explore');
    expect(params.schemaVersion).toBe('1');
    expect(panes).toEqual({
      trc: {
        datasource: 'tempo-uid',
        queries: [
          {
            refId: 'A',
            datasource: { type: 'tempo', uid: 'tempo-uid' },
            queryType: 'traceql',
            query: '5b8efff798038103d269b633813fc60c',
          },
        ],
        range: { from: '1700000000000', to: '1700003600000' },
        panelsState: { trace: { spanId: 'eee19b7ec3c1b174' } },
      },
    });
  });

  it('defaults to the last hour and leaves out orgId and panelsState when not given', () => {
    const url = traceExploreUrl(
      { ...settings, orgId: undefined },
      { traceId: 'abc' },
    );
    const { params, panes } = parse(url);
    expect(params.orgId).toBeUndefined();
    expect(panes.trc.range).toEqual({ from: 'now-1h', to: 'now' });
    expect(panes.trc.panelsState).toBeUndefined();
  });
});

describe('traceqlSearchExploreUrl', () => {
  it('keeps + and quotes of the TraceQL intact through Grafana decoding', () => {
    const query = '{ span.a = "x+y" && duration > 1s } | count() > 1';
    const url = traceqlSearchExploreUrl(settings, {
      query,
      range: { from: 'now-6h', to: 'now' },
      limit: 50,
    });
    expect(url).not.toContain('+');
    const { panes } = parse(url);
    expect(panes.trc.queries[0]).toEqual({
      refId: 'A',
      datasource: { type: 'tempo', uid: 'tempo-uid' },
      queryType: 'traceql',
      query,
      tableType: 'traces',
      limit: 50,
    });
    expect(panes.trc.range).toEqual({ from: 'now-6h', to: 'now' });
  });
});

describe('traceLogsExploreUrl', () => {
  it('builds a Lucene logs query for OpenSearch on the configured field', () => {
    const url = traceLogsExploreUrl(
      { ...settings, logsTraceIdField: 'trace_id' },
      { traceId: 'abc"def', range: { from: 1, to: 2 } },
    )!;
    const { panes } = parse(url);
    expect(Object.keys(panes)).toEqual(['lgs']);
    expect(panes.lgs).toEqual({
      datasource: 'os-uid',
      queries: [
        {
          refId: 'A',
          datasource: { type: 'grafana-opensearch-datasource', uid: 'os-uid' },
          queryType: 'lucene',
          query: 'trace_id:"abc\\"def"',
          metrics: [{ id: '1', type: 'logs' }],
          bucketAggs: [],
        },
      ],
      range: { from: '1', to: '2' },
    });
  });

  it('builds a LogQL line filter for Loki, scoped to the service when known', () => {
    const loki = {
      ...settings,
      logsDatasourceType: 'loki' as const,
      logsDatasourceUid: 'loki-uid',
    };
    expect(
      parse(
        traceLogsExploreUrl(loki, { traceId: 'abc', serviceName: 'checkout' })!,
      ).panes.lgs.queries[0],
    ).toEqual({
      refId: 'A',
      datasource: { type: 'loki', uid: 'loki-uid' },
      expr: '{service_name="checkout"} |= "abc"',
    });
    expect(
      parse(traceLogsExploreUrl(loki, { traceId: 'abc', spanId: 'def' })!).panes
        .lgs.queries[0].expr,
    ).toBe('{service_name=~".+"} |= "abc" |= "def"');
  });

  it('returns undefined without a logs data source', () => {
    expect(
      traceLogsExploreUrl(
        { ...settings, logsDatasourceUid: undefined },
        { traceId: 'abc' },
      ),
    ).toBeUndefined();
  });
});

describe('buildExploreUrl', () => {
  it('rejects pane IDs that Grafana would silently replace', () => {
    const pane = {
      datasource: 'x',
      queries: [],
      range: { from: 'now-1h', to: 'now' },
    };
    expect(() => buildExploreUrl(settings, pane, '123')).toThrow(/pane ID/);
    expect(() => buildExploreUrl(settings, pane, 'ab')).toThrow(/pane ID/);
    expect(() => buildExploreUrl(settings, pane, 'AbC')).toThrow(/pane ID/);
    expect(buildExploreUrl(settings, pane, 'a1b')).toContain(
      'panes=%7B%22a1b%22',
    );
  });
});
