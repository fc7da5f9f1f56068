import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  COMPACT_TRACE_MEDIA_TYPE,
  decodeCompactTrace,
  type CompactTrace,
} from '@backstage-traces/plugin-traces-common';
import type {
  HealthResponse,
  LogCountsResponse,
  LogsResponse,
  MetricsResponse,
  SearchResponse,
  ServiceGraphResponse,
  TagsResponse,
  TagValuesResponse,
  Trace,
} from '@backstage-traces/plugin-traces-common';
import type {
  GetLogsRequest,
  GetTraceRequest,
  GetTraceSubtreeRequest,
  MetricsRequest,
  SearchTracesRequest,
  TagValuesRequest,
  TimeRange,
  TracesApi,
} from './TracesApi';

type QueryValue = string | number | boolean | undefined;

/** Builds a query string, leaving out undefined values (an empty string is kept: it means "all"). */
export function toQueryString(query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Client of the traces backend, `/api/traces`, through the app's discovery and fetch APIs. */
export class TracesClient implements TracesApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  health(): Promise<HealthResponse> {
    return this.get('/health');
  }

  searchTraces(request: SearchTracesRequest): Promise<SearchResponse> {
    return this.get('/search', {
      q: request.query,
      entityRef: request.entityRef,
      start: request.start,
      end: request.end,
      limit: request.limit,
      minDuration: request.minDuration,
      maxDuration: request.maxDuration,
      environment: request.environment,
    });
  }

  /**
   * Asks for the compact encoding (a fifth of the JSON for large traces) and decodes it; a
   * backend that answers plain JSON is understood too.
   */
  getTrace(request: GetTraceRequest): Promise<Trace> {
    return this.getCompact(`/traces/${encodeURIComponent(request.traceId)}`, {
      entityRef: request.entityRef,
      start: request.start,
      end: request.end,
      focus: request.focusSpanId,
    });
  }

  getTraceSubtree(request: GetTraceSubtreeRequest): Promise<Trace> {
    return this.getCompact(
      `/traces/${encodeURIComponent(
        request.traceId,
      )}/subtree/${encodeURIComponent(request.spanId)}`,
      {
        entityRef: request.entityRef,
        start: request.start,
        end: request.end,
        from: request.from || undefined,
      },
    );
  }

  private async getCompact(
    path: string,
    query: Record<string, QueryValue>,
  ): Promise<Trace> {
    const response = await this.send(
      path,
      query,
      `${COMPACT_TRACE_MEDIA_TYPE}, application/json;q=0.9`,
    );
    const body = await response.json();
    const type = response.headers.get('content-type') ?? '';
    return type.includes(COMPACT_TRACE_MEDIA_TYPE)
      ? decodeCompactTrace(body as CompactTrace)
      : (body as Trace);
  }

  getTags(request: {
    scope?: string;
    entityRef?: string;
  }): Promise<TagsResponse> {
    return this.get('/tags', {
      scope: request.scope,
      entityRef: request.entityRef,
    });
  }

  getTagValues(request: TagValuesRequest): Promise<TagValuesResponse> {
    return this.get(`/tags/${encodeURIComponent(request.tag)}/values`, {
      q: request.query,
      entityRef: request.entityRef,
      start: request.start,
      end: request.end,
    });
  }

  queryMetrics(request: MetricsRequest): Promise<MetricsResponse> {
    return this.get('/metrics/query_range', {
      q: request.query,
      start: request.start,
      end: request.end,
      step: request.step,
      entityRef: request.entityRef,
    });
  }

  getLogs(request: GetLogsRequest): Promise<LogsResponse> {
    return this.get(`/traces/${encodeURIComponent(request.traceId)}/logs`, {
      spanId: request.spanId,
      start: request.start,
      end: request.end,
      limit: request.limit,
      cursor: request.cursor,
      order: request.order,
      entityRef: request.entityRef,
    });
  }

  getLogCounts(request: GetTraceRequest): Promise<LogCountsResponse> {
    return this.get(
      `/traces/${encodeURIComponent(request.traceId)}/log-counts`,
      { entityRef: request.entityRef, start: request.start, end: request.end },
    );
  }

  getServiceGraph(
    request: { entityRef: string } & Partial<TimeRange>,
  ): Promise<ServiceGraphResponse> {
    return this.get('/service-graph', {
      entityRef: request.entityRef,
      start: request.start,
      end: request.end,
    });
  }

  private async get<T>(
    path: string,
    query: Record<string, QueryValue> = {},
  ): Promise<T> {
    const response = await this.send(path, query, 'application/json');
    return (await response.json()) as T;
  }

  private async send(
    path: string,
    query: Record<string, QueryValue>,
    accept: string,
  ): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('traces');
    const response = await this.fetchApi.fetch(
      `${baseUrl}${path}${toQueryString(query)}`,
      { headers: { Accept: accept } },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}
