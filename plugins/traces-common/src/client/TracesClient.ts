import { ResponseError } from '@backstage/errors';
import {
  COMPACT_TRACE_MEDIA_TYPE,
  decodeCompactTrace,
  type CompactTrace,
} from '../compact';
import type {
  HealthResponse,
  LogCountsResponse,
  LogsResponse,
  MetricsResponse,
  SearchResponse,
  ServiceGraphResponse,
  TagsResponse,
  TagValuesResponse,
  ServiceOwnersResponse,
  Trace,
} from '../types';
import type { TeamTracesResponse } from '../team';
import type {
  GetLogsRequest,
  GetTraceRequest,
  GetTraceSubtreeRequest,
  MetricsRequest,
  SearchTracesRequest,
  TagValuesRequest,
  ServiceGraphRequest,
  ServiceOwnersRequest,
  TeamTracesRequest,
  TracesApi,
  TracesRequestOptions,
} from './types';

/** A query parameter value; `undefined` leaves the parameter out. */
export type QueryValue = string | number | boolean | undefined;

/** Builds a query string, leaving out undefined values (an empty string is kept: it means "all"). */
export function toQueryString(query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Client of the traces backend, `/api/traces`, for browsers and backends alike (the
 * `@backstage/catalog-client` pattern). The app passes its discovery and fetch APIs, which
 * add the user's token; a backend module passes the discovery service and a service token
 * per call (`{ token }`).
 */
export class TracesClient implements TracesApi {
  private readonly discoveryApi: {
    getBaseUrl(pluginId: string): Promise<string>;
  };
  private readonly fetchApi: { fetch: typeof fetch };

  constructor(options: {
    discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
    fetchApi?: { fetch: typeof fetch };
  }) {
    this.discoveryApi = options.discoveryApi;
    // the global fetch is looked up per call, so instrumentation that wraps it applies
    this.fetchApi = options.fetchApi ?? { fetch: (...args) => fetch(...args) };
  }

  health(options?: TracesRequestOptions): Promise<HealthResponse> {
    return this.get('/health', {}, options);
  }

  searchTraces(
    request: SearchTracesRequest,
    options?: TracesRequestOptions,
  ): Promise<SearchResponse> {
    return this.get(
      '/search',
      {
        q: request.query,
        entityRef: request.entityRef,
        start: request.start,
        end: request.end,
        limit: request.limit,
        minDuration: request.minDuration,
        maxDuration: request.maxDuration,
        environment: request.environment,
      },
      options,
    );
  }

  /**
   * Asks for the compact encoding (a fifth of the JSON for large traces) and decodes it; a
   * backend that answers plain JSON is understood too.
   */
  getTrace(
    request: GetTraceRequest,
    options?: TracesRequestOptions,
  ): Promise<Trace> {
    return this.getCompact(
      `/traces/${encodeURIComponent(request.traceId)}`,
      {
        entityRef: request.entityRef,
        start: request.start,
        end: request.end,
        focus: request.focusSpanId,
        whole: request.whole ? 'true' : undefined,
      },
      options,
    );
  }

  getTraceSubtree(
    request: GetTraceSubtreeRequest,
    options?: TracesRequestOptions,
  ): Promise<Trace> {
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
      options,
    );
  }

  getTags(
    request: { scope?: string; entityRef?: string },
    options?: TracesRequestOptions,
  ): Promise<TagsResponse> {
    return this.get(
      '/tags',
      { scope: request.scope, entityRef: request.entityRef },
      options,
    );
  }

  getTagValues(
    request: TagValuesRequest,
    options?: TracesRequestOptions,
  ): Promise<TagValuesResponse> {
    return this.get(
      `/tags/${encodeURIComponent(request.tag)}/values`,
      {
        q: request.query,
        entityRef: request.entityRef,
        start: request.start,
        end: request.end,
      },
      options,
    );
  }

  queryMetrics(
    request: MetricsRequest,
    options?: TracesRequestOptions,
  ): Promise<MetricsResponse> {
    return this.get(
      '/metrics/query_range',
      {
        q: request.query,
        start: request.start,
        end: request.end,
        step: request.step,
        exemplars: request.exemplars,
        entityRef: request.entityRef,
      },
      options,
    );
  }

  getLogs(
    request: GetLogsRequest,
    options?: TracesRequestOptions,
  ): Promise<LogsResponse> {
    return this.get(
      `/traces/${encodeURIComponent(request.traceId)}/logs`,
      {
        spanId: request.spanId,
        start: request.start,
        end: request.end,
        limit: request.limit,
        cursor: request.cursor,
        order: request.order,
        entityRef: request.entityRef,
      },
      options,
    );
  }

  getLogCounts(
    request: GetTraceRequest,
    options?: TracesRequestOptions,
  ): Promise<LogCountsResponse> {
    return this.get(
      `/traces/${encodeURIComponent(request.traceId)}/log-counts`,
      { entityRef: request.entityRef, start: request.start, end: request.end },
      options,
    );
  }

  getServiceGraph(
    request: ServiceGraphRequest,
    options?: TracesRequestOptions,
  ): Promise<ServiceGraphResponse> {
    return this.get(
      '/service-graph',
      {
        entityRef: request.entityRef,
        start: request.start,
        end: request.end,
        depth: request.depth,
      },
      options,
    );
  }

  getServiceOwners(
    request: ServiceOwnersRequest,
    options?: TracesRequestOptions,
  ): Promise<ServiceOwnersResponse> {
    return this.get(
      `/services/${encodeURIComponent(request.serviceName)}/owners`,
      { namespace: request.serviceNamespace },
      options,
    );
  }

  getTeamTraces(
    request: TeamTracesRequest,
    options?: TracesRequestOptions,
  ): Promise<TeamTracesResponse> {
    return this.get(
      '/team',
      { entityRef: request.entityRef, start: request.start, end: request.end },
      options,
    );
  }

  private async getCompact(
    path: string,
    query: Record<string, QueryValue>,
    options?: TracesRequestOptions,
  ): Promise<Trace> {
    const response = await this.send(
      path,
      query,
      `${COMPACT_TRACE_MEDIA_TYPE}, application/json;q=0.9`,
      options,
    );
    const body = await response.json();
    const type = response.headers.get('content-type') ?? '';
    const trace = type.includes(COMPACT_TRACE_MEDIA_TYPE)
      ? decodeCompactTrace(body as CompactTrace)
      : (body as Trace);
    // Where the browser's time goes (performance panel, the browser benchmark): the answer
    // has arrived and is decoded.
    globalThis.performance?.mark?.('traces:decoded', { detail: { path } });
    return trace;
  }

  private async get<T>(
    path: string,
    query: Record<string, QueryValue>,
    options?: TracesRequestOptions,
  ): Promise<T> {
    const response = await this.send(path, query, 'application/json', options);
    return (await response.json()) as T;
  }

  private async send(
    path: string,
    query: Record<string, QueryValue>,
    accept: string,
    options?: TracesRequestOptions,
  ): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('traces');
    const headers: Record<string, string> = { Accept: accept };
    if (options?.token) headers.Authorization = `Bearer ${options.token}`;
    const url = `${baseUrl}${path}${toQueryString(query)}`;
    for (let retries = 0; ; retries++) {
      const response = await this.fetchApi.fetch(url, { headers });
      if (response.ok) return response;
      const wait =
        retries < MAX_RETRIES_WHEN_BUSY ? retryAfterMs(response) : undefined;
      if (wait === undefined) throw await ResponseError.fromResponse(response);
      await response.body?.cancel();
      await new Promise(resolve => setTimeout(resolve, wait));
    }
  }
}

/**
 * A 429 (the backend's cap on requests in flight per user, or in all) is retried this many
 * times after the `Retry-After` it carries: a page opening several charts at once, or a
 * user with several tabs, should see them load a moment later rather than fail.
 */
const MAX_RETRIES_WHEN_BUSY = 2;
/** A longer `Retry-After` is not waited for: the error shows instead. */
const MAX_RETRY_AFTER_MS = 5_000;

/**
 * How long to wait before asking again: a 429's `Retry-After` in seconds (the backend sends
 * 1), plus up to half of it at random so that requests refused together do not all come
 * back together; undefined when the answer is not one to retry.
 */
function retryAfterMs(response: Response): number | undefined {
  if (response.status !== 429) return undefined;
  const header = response.headers.get('retry-after')?.trim() ?? '';
  if (!/^\d+$/.test(header)) return undefined;
  const ms = Number(header) * 1000;
  return ms > MAX_RETRY_AFTER_MS ? undefined : ms * (1 + Math.random() / 2);
}
