/**
 * Grafana Explore deep links in the current URL format:
 * `/explore?schemaVersion=1&orgId=…&panes=<encodeURIComponent(JSON)>`.
 *
 * Grafana only keeps a pane whose key is exactly 3 characters of [0-9a-z] (not all digits),
 * and only keeps `range` when `from` and `to` are strings. The panes JSON is percent-encoded as
 * a whole so that a `+` in a TraceQL query survives Grafana's `+`-as-space decoding.
 */

export type LogsDatasourceType =
  | 'grafana-opensearch-datasource'
  | 'elasticsearch'
  | 'loki';

/** The `traces.grafana` config, with defaults applied. */
export interface GrafanaSettings {
  /** Without a trailing slash. */
  baseUrl: string;
  orgId?: number;
  tempoDatasourceUid: string;
  logsDatasourceUid?: string;
  logsDatasourceType: LogsDatasourceType;
  logsTraceIdField: string;
}

/**
 * A time range: epoch milliseconds, or Grafana's relative syntax (`now-1h`, `now`).
 */
export interface ExploreRange {
  from: number | string;
  to: number | string;
}

interface ExploreQuery {
  refId: string;
  datasource: { type: string; uid: string };
  [key: string]: unknown;
}

interface ExplorePane {
  datasource: string;
  queries: ExploreQuery[];
  range: { from: string; to: string };
  panelsState?: Record<string, unknown>;
}

const DEFAULT_RANGE: ExploreRange = { from: 'now-1h', to: 'now' };
const TEMPO = 'tempo';

/** Grafana pane IDs: 3 characters of [0-9a-z], not all digits. */
const PANE_ID = /^(?![0-9]{3}$)[0-9a-z]{3}$/;

function toGrafanaTime(value: number | string): string {
  return typeof value === 'number' ? String(Math.round(value)) : value;
}

/** Builds an Explore URL for one pane. */
export function buildExploreUrl(
  settings: Pick<GrafanaSettings, 'baseUrl' | 'orgId'>,
  pane: ExplorePane,
  paneId: string = 'trc',
): string {
  if (!PANE_ID.test(paneId)) {
    throw new Error(`Invalid Grafana Explore pane ID '${paneId}'`);
  }
  const panes = encodeURIComponent(JSON.stringify({ [paneId]: pane }));
  const org = settings.orgId !== undefined ? `&orgId=${settings.orgId}` : '';
  return `${settings.baseUrl}/explore?schemaVersion=1${org}&panes=${panes}`;
}

function paneRange(range: ExploreRange | undefined) {
  const r = range ?? DEFAULT_RANGE;
  return { from: toGrafanaTime(r.from), to: toGrafanaTime(r.to) };
}

/** Opens one trace in Grafana's trace view, optionally focusing a span. */
export function traceExploreUrl(
  settings: GrafanaSettings,
  options: { traceId: string; spanId?: string; range?: ExploreRange },
): string {
  const uid = settings.tempoDatasourceUid;
  return buildExploreUrl(settings, {
    datasource: uid,
    queries: [
      {
        refId: 'A',
        datasource: { type: TEMPO, uid },
        queryType: 'traceql',
        query: options.traceId,
      },
    ],
    range: paneRange(options.range),
    ...(options.spanId
      ? { panelsState: { trace: { spanId: options.spanId } } }
      : {}),
  });
}

/** Runs a TraceQL search in Grafana. */
export function traceqlSearchExploreUrl(
  settings: GrafanaSettings,
  options: { query: string; range?: ExploreRange; limit?: number },
): string {
  const uid = settings.tempoDatasourceUid;
  return buildExploreUrl(settings, {
    datasource: uid,
    queries: [
      {
        refId: 'A',
        datasource: { type: TEMPO, uid },
        queryType: 'traceql',
        query: options.query,
        tableType: 'traces',
        ...(options.limit !== undefined ? { limit: options.limit } : {}),
      },
    ],
    range: paneRange(options.range),
  });
}

function quoteLucene(value: string): string {
  return `"${value.replace(/["\\]/g, c => `\\${c}`)}"`;
}

function quoteLogQL(value: string): string {
  return `"${value.replace(/["\\]/g, c => `\\${c}`)}"`;
}

/**
 * Opens the logs of a trace in Grafana; undefined when no logs data source is configured.
 * OpenSearch/Elasticsearch get a Lucene query on the trace ID field with a logs metric (the
 * shape Grafana's own trace-to-logs builder emits); Loki gets a line filter on the trace ID.
 */
export function traceLogsExploreUrl(
  settings: GrafanaSettings,
  options: {
    traceId: string;
    spanId?: string;
    range?: ExploreRange;
    /** Narrows Loki's stream selector; Loki needs at least one matcher. */
    serviceName?: string;
  },
): string | undefined {
  const uid = settings.logsDatasourceUid;
  if (!uid) return undefined;
  const type = settings.logsDatasourceType;
  let query: ExploreQuery;
  if (type === 'loki') {
    const selector = options.serviceName
      ? `{service_name=${quoteLogQL(options.serviceName)}}`
      : '{service_name=~".+"}';
    const filters = [options.traceId, options.spanId]
      .filter((v): v is string => Boolean(v))
      .map(v => ` |= ${quoteLogQL(v)}`)
      .join('');
    query = {
      refId: 'A',
      datasource: { type, uid },
      expr: `${selector}${filters}`,
    };
  } else {
    const field = settings.logsTraceIdField;
    query = {
      refId: 'A',
      datasource: { type, uid },
      queryType: 'lucene',
      query: `${field}:${quoteLucene(options.traceId)}`,
      metrics: [{ id: '1', type: 'logs' }],
      bucketAggs: [],
    };
  }
  return buildExploreUrl(
    settings,
    { datasource: uid, queries: [query], range: paneRange(options.range) },
    'lgs',
  );
}
