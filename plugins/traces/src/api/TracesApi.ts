import { createApiRef } from '@backstage/core-plugin-api';
import type {
  HealthResponse,
  LogCountsResponse,
  LogOrder,
  LogsResponse,
  MetricsResponse,
  SearchResponse,
  ServiceGraphResponse,
  TagsResponse,
  TagValuesResponse,
  Trace,
} from '@backstage-traces/plugin-traces-common';

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
}

export interface TagValuesRequest extends Partial<TimeRange> {
  tag: string;
  /** TraceQL spanset filter narrowing the values. */
  query?: string;
  entityRef?: string;
}

/** Client of the traces backend (`/api/traces`). */
export interface TracesApi {
  health(): Promise<HealthResponse>;
  searchTraces(request: SearchTracesRequest): Promise<SearchResponse>;
  getTrace(request: GetTraceRequest): Promise<Trace>;
  /** Spans below `spanId` in a windowed trace (`Trace.window`), breadth first. */
  getTraceSubtree(request: GetTraceSubtreeRequest): Promise<Trace>;
  getTags(request: {
    scope?: string;
    entityRef?: string;
  }): Promise<TagsResponse>;
  getTagValues(request: TagValuesRequest): Promise<TagValuesResponse>;
  queryMetrics(request: MetricsRequest): Promise<MetricsResponse>;
  getLogs(request: GetLogsRequest): Promise<LogsResponse>;
  getLogCounts(request: GetTraceRequest): Promise<LogCountsResponse>;
  getServiceGraph(
    request: { entityRef: string } & Partial<TimeRange>,
  ): Promise<ServiceGraphResponse>;
}

export const tracesApiRef = createApiRef<TracesApi>({
  id: 'plugin.traces.client',
});
