import type {
  CompactTrace,
  MetricsInstantResponse,
  MetricsResponse,
  SearchResponse,
  StoreHealth,
  TagsResponse,
  TagValuesResponse,
} from '@backstage-traces/plugin-traces-common';
import type { TraceScope } from './TraceScope';

/**
 * Options every request carries.
 *
 * @public
 */
export interface TraceStoreRequestOptions {
  /** Aborted when the client goes away; a store should stop its upstream work. */
  signal?: AbortSignal;
}

/**
 * A search for traces, `GET /api/traces/search`.
 *
 * @public
 */
export interface TraceSearchRequest extends TraceStoreRequestOptions {
  /** The spans the caller may see; every spanset filter of `query` is narrowed to it. */
  scope: TraceScope;
  /**
   * The user's TraceQL (validated as TraceQL syntax and for length by the plugin), or
   * undefined for every trace in scope (`{}`).
   */
  query?: string;
  /** Least trace duration, a Go duration such as `250ms` (a bound on `trace:duration`). */
  minTraceDuration?: string;
  /** Greatest trace duration, a Go duration such as `2s`. */
  maxTraceDuration?: string;
  /** Time range, epoch seconds; traces that start within it match. */
  start: number;
  end: number;
  /** Most traces to return, most recent first. */
  limit: number;
  /**
   * Most matched spans shown per spanset (Tempo's `spss`); undefined: the store's default
   * (Tempo's is 3). Bounded by the plugin's `traces.limits.maxSpansPerSpanSet`.
   */
  spansPerSpanSet?: number;
}

/**
 * One trace by its ID.
 *
 * @public
 */
export interface TraceRequest extends TraceStoreRequestOptions {
  /** 32 lowercase hexadecimal characters (64-bit IDs are left-padded with zeros). */
  traceId: string;
  /** Where to look, epoch seconds (whole); a hint that can make the read cheaper. */
  start?: number;
  end?: number;
  /** See `TraceScope.tenant`. */
  tenant?: string;
}

/**
 * A trace as the trace view opens it.
 *
 * @public
 */
export interface TraceWindowRequest extends TraceRequest {
  /** A span the user was linked to: the first window includes it and its ancestors. */
  focusSpanId?: string;
}

/**
 * The next window below one span of a windowed trace.
 *
 * @public
 */
export interface SubtreeRequest extends TraceRequest {
  /** 16 lowercase hexadecimal characters. */
  spanId: string;
  /** The child index to continue at (a previous window's `continuation.from`); default 0. */
  from?: number;
}

/**
 * Where a tag may come from, as TraceQL scopes.
 *
 * @public
 */
export type TagScopeName =
  | 'resource'
  | 'span'
  | 'intrinsic'
  | 'event'
  | 'link'
  | 'instrumentation';

/**
 * The tag names seen in a time range, `GET /api/traces/tags`.
 *
 * @public
 */
export interface TagsRequest extends TraceStoreRequestOptions {
  scope: TraceScope;
  /** Only tags of this TraceQL scope; all scopes when undefined. */
  tagScope?: TagScopeName;
  /** Epoch seconds; the store's recent data when undefined. */
  start?: number;
  end?: number;
}

/**
 * The values of one tag, `GET /api/traces/tags/:name/values`.
 *
 * @public
 */
export interface TagValuesRequest extends TraceStoreRequestOptions {
  scope: TraceScope;
  /**
   * The tag as a TraceQL identifier: scoped (`resource.service.name`, `span.http.route`),
   * unscoped (`.http.route`) or an intrinsic (`name`, `status`, `kind`, `rootServiceName`…).
   */
  tag: string;
  /**
   * The user's spanset condition without braces (`span.http.method = "GET"`), narrowing the
   * values to spans that also match it. A hint: a store may answer without it, but never
   * outside `scope`.
   */
  filter?: string;
  start?: number;
  end?: number;
}

/**
 * A TraceQL metrics query over a range, `GET /api/traces/metrics/query_range`.
 *
 * @public
 */
export interface MetricsRangeRequest extends TraceStoreRequestOptions {
  scope: TraceScope;
  /** The user's TraceQL metrics query, e.g. `{ status = error } | rate() by (resource.service.name)`. */
  query: string;
  /** Epoch seconds (whole). */
  start: number;
  end: number;
  /** Seconds between samples (at least 1; the plugin caps the number of points). */
  stepSeconds: number;
  /**
   * Most exemplars wanted per series (0: none), spread over the range. A store may return
   * fewer; the plugin caps every series again (`traces.exemplars.maxPerSeries`).
   */
  exemplars?: number;
}

/**
 * A TraceQL metrics query answered with one value per series for the whole range.
 *
 * @public
 */
export interface MetricsInstantRequest extends TraceStoreRequestOptions {
  scope: TraceScope;
  query: string;
  start: number;
  end: number;
}

/**
 * Where traces are read from: Tempo by default, or a store a backend module installs through
 * `tracesStoresExtensionPoint`. Answers are the common types of
 * `@backstage-traces/plugin-traces-common` that the routes send, so the frontend cannot tell
 * stores apart. The plugin does the rest around each call: parsing, permissions and the
 * entity check of traces read by ID (using `Trace.window.services` for windowed answers),
 * redaction of every answer except traces, owners from the catalog.
 *
 * Errors: `InputError` (400) when the request cannot be answered as asked, naming what (an
 * invalid or unsupported TraceQL construct); `NotFoundError` (404) for a missing trace or
 * span; `ServiceUnavailableError` (503) while the store is not ready; `UpstreamError`
 * (502/503/504) when the system behind the store fails, named in the message.
 *
 * @public
 */
export interface TraceStore {
  /** Names the store in messages and in `/health`, e.g. `Tempo`. */
  readonly name: string;

  /**
   * Traces whose spans match the query within the scope, most recent first.
   * `SearchResponse.query` is the query the store ran, for display (Tempo: the scoped TraceQL
   * it sent). Matched span attributes are masked by the plugin afterwards.
   *
   * @throws InputError for invalid or unsupported TraceQL.
   * @throws UpstreamError when the store's backend fails.
   */
  searchTraces(request: TraceSearchRequest): Promise<SearchResponse>;

  /**
   * The whole trace, compact-encoded, with `TracesRedactor` applied before encoding. For
   * code that needs every span (log windows, service graph sampling), not for the trace view.
   *
   * @throws NotFoundError when the trace is not in the store (or not in the given range).
   * @throws UpstreamError when the store's backend fails or the trace is too large to read.
   */
  getTrace(request: TraceRequest): Promise<CompactTrace>;

  /**
   * The trace as the trace view opens it: the whole trace up to the window threshold
   * (`traces.largeTraces.windowThreshold` spans), else its first window (`window` is set:
   * the first levels, the critical path, the error spans and `focusSpanId`, each with its
   * ancestors, at most `traces.largeTraces.windowSpans` spans).
   *
   * @throws NotFoundError when the trace is not in the store.
   * @throws UpstreamError when the store's backend fails.
   */
  getTraceWindow(request: TraceWindowRequest): Promise<CompactTrace>;

  /**
   * The next window below `spanId`: its descendants breadth-first from child `from`, at most
   * `windowSpans` spans; `window.continuation` says where a cut list of children continues.
   *
   * @throws NotFoundError when the trace, or the span in it, does not exist.
   * @throws UpstreamError when the store's backend fails.
   */
  getSubtree(request: SubtreeRequest): Promise<CompactTrace>;

  /**
   * Tag names per TraceQL scope, each list sorted.
   *
   * @throws UpstreamError when the store's backend fails.
   */
  getTags(request: TagsRequest): Promise<TagsResponse>;

  /**
   * Values of one tag on spans in scope, sorted; `tag` in the answer is the request's.
   *
   * @throws InputError when the tag is not a TraceQL identifier the store knows.
   * @throws UpstreamError when the store's backend fails.
   */
  getTagValues(request: TagValuesRequest): Promise<TagValuesResponse>;

  /**
   * A TraceQL metrics query (`rate`, `count_over_time`, `quantile_over_time`… with `by(…)`)
   * over spans in scope, one sample per step. `MetricsResponse.query` is what the store ran.
   *
   * @throws InputError for an invalid query or an unsupported function, naming it.
   * @throws UpstreamError when the store's backend fails.
   */
  queryMetricsRange(request: MetricsRangeRequest): Promise<MetricsResponse>;

  /**
   * A TraceQL metrics query with one value per series for the whole range.
   *
   * @throws InputError for an invalid query or an unsupported function, naming it.
   * @throws UpstreamError when the store's backend fails.
   */
  queryMetricsInstant(
    request: MetricsInstantRequest,
  ): Promise<MetricsInstantResponse>;

  /**
   * The store's state for `GET /api/traces/health`, naming the store (`store: 'Tempo'`).
   * Never throws: a failing backend is `status: 'down'` with the reason.
   */
  getHealth(): Promise<StoreHealth>;
}
