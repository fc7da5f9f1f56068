import type {
  HealthResponse,
  LogCountsResponse,
  LogOrder,
  LogsResponse,
  MetricsResponse,
  SearchResponse,
  ServiceGraphResponse,
  ServiceOwnersResponse,
  TagsResponse,
  TagValuesResponse,
  Trace,
} from '../types';
import type { TeamTracesResponse } from '../team';

/** Per-call options, as in `@backstage/catalog-client`: backend callers pass a service token. */
export interface TracesRequestOptions {
  token?: string;
}

/** Time range in epoch seconds. */
export interface TimeRange {
  start: number;
  end: number;
}

export interface SearchTracesRequest extends Partial<TimeRange> {
  /** Entity to scope the search to, e.g. `component:default/orders-api`. */
  entityRef?: string;
  /** TraceQL; the backend adds the entity scope to every spanset filter. */
  query?: string;
  limit?: number;
  minDuration?: string;
  maxDuration?: string;
  /** Overrides the configured default environment; empty string means all environments. */
  environment?: string;
}

export interface GetTraceRequest extends Partial<TimeRange> {
  traceId: string;
  entityRef?: string;
  /**
   * A span to include in the first window of a large trace (with its ancestors), e.g. the
   * span of a shared link.
   */
  focusSpanId?: string;
  /**
   * Every span, even of a trace over the window threshold, up to the backend's
   * `traces.largeTraces.wholeMaxSpans` (larger traces still arrive windowed): for views that
   * need the whole trace, such as the comparison of two traces.
   */
  whole?: boolean;
}

/** The next window below a span of a large trace. */
export interface GetTraceSubtreeRequest extends Partial<TimeRange> {
  traceId: string;
  spanId: string;
  /** Child index to continue at (a previous answer's `window.continuation`). */
  from?: number;
  entityRef?: string;
}

export interface GetLogsRequest extends Partial<TimeRange> {
  traceId: string;
  spanId?: string;
  entityRef?: string;
  limit?: number;
  cursor?: string;
  order?: LogOrder;
}

export interface MetricsRequest extends TimeRange {
  query: string;
  step?: string;
  entityRef?: string;
  /** Most exemplars per series; the backend's `traces.exemplars.maxPerSeries` when unset. */
  exemplars?: number;
}

export interface TagValuesRequest extends Partial<TimeRange> {
  tag: string;
  /** TraceQL spanset filter narrowing the values. */
  query?: string;
  entityRef?: string;
}

export interface ServiceGraphRequest extends Partial<TimeRange> {
  entityRef: string;
  /** Hops upstream and downstream from the entity's services, 1 (default) to 3. */
  depth?: number;
}

/** The team view of a Group entity. */
export interface TeamTracesRequest extends Partial<TimeRange> {
  /** The group, e.g. `group:default/shop-team`. */
  entityRef: string;
}

export interface ServiceOwnersRequest {
  serviceName: string;
  /** `service.namespace`; claims of that namespace come first. */
  serviceNamespace?: string;
}

/** Client of the traces backend (`/api/traces`). */
export interface TracesApi {
  health(options?: TracesRequestOptions): Promise<HealthResponse>;
  searchTraces(
    request: SearchTracesRequest,
    options?: TracesRequestOptions,
  ): Promise<SearchResponse>;
  getTrace(
    request: GetTraceRequest,
    options?: TracesRequestOptions,
  ): Promise<Trace>;
  /** Spans below `spanId` in a windowed trace (`Trace.window`), breadth first. */
  getTraceSubtree(
    request: GetTraceSubtreeRequest,
    options?: TracesRequestOptions,
  ): Promise<Trace>;
  getTags(
    request: { scope?: string; entityRef?: string },
    options?: TracesRequestOptions,
  ): Promise<TagsResponse>;
  getTagValues(
    request: TagValuesRequest,
    options?: TracesRequestOptions,
  ): Promise<TagValuesResponse>;
  queryMetrics(
    request: MetricsRequest,
    options?: TracesRequestOptions,
  ): Promise<MetricsResponse>;
  getLogs(
    request: GetLogsRequest,
    options?: TracesRequestOptions,
  ): Promise<LogsResponse>;
  getLogCounts(
    request: GetTraceRequest,
    options?: TracesRequestOptions,
  ): Promise<LogCountsResponse>;
  getServiceGraph(
    request: ServiceGraphRequest,
    options?: TracesRequestOptions,
  ): Promise<ServiceGraphResponse>;
  /**
   * The traced components a group owns (through its child groups too) with their request
   * rate, error rate and p95, and the slowest and most erroring operations across them.
   */
  getTeamTraces(
    request: TeamTracesRequest,
    options?: TracesRequestOptions,
  ): Promise<TeamTracesResponse>;
  /** The catalog entities that claim a service, as far as the caller may read them. */
  getServiceOwners(
    request: ServiceOwnersRequest,
    options?: TracesRequestOptions,
  ): Promise<ServiceOwnersResponse>;
}
