/*
 * The HTTP API of the traces backend (`/api/traces`). Nothing here is shaped like Tempo,
 * OTLP or OpenSearch: the backend normalises every upstream answer into these types.
 */

/** A typed attribute value. Tempo sends int64 as strings; the API sends numbers when they fit. */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };

export type Attributes = Record<string, AttributeValue>;

export type SpanKind =
  | 'unspecified'
  | 'internal'
  | 'server'
  | 'client'
  | 'producer'
  | 'consumer';

export type StatusCode = 'unset' | 'ok' | 'error';

export const SPAN_KINDS: readonly SpanKind[] = [
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
];
export const STATUS_CODES: readonly StatusCode[] = ['unset', 'ok', 'error'];

/** The catalog entity that claims a service, with its owner (see issue: owners). */
export interface ServiceOwner {
  entityRef: string;
  title?: string;
  owner?: string;
}

/** `GET /services/:serviceName/owners`: the entities that claim a service. */
export interface ServiceOwnersResponse {
  serviceName: string;
  serviceNamespace?: string;
  /** Sorted by entity ref; only entities the caller may read. */
  owners: ServiceOwner[];
}

/** One resource (process) of a trace; spans point at it by index. */
export interface TraceResource {
  serviceName: string;
  serviceNamespace?: string;
  attributes: Attributes;
  /** Attribute keys whose values were masked before leaving the backend. */
  redactedKeys?: string[];
  /** Catalog entities claiming this service, when resolved. */
  owners?: ServiceOwner[];
}

export interface SpanEvent {
  name: string;
  timeUnixNano: string;
  /** Milliseconds since the trace start (fractional, nanosecond resolution). */
  offsetMs: number;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

export interface Span {
  spanId: string;
  /** Absent for root spans. May name a span that is not in the trace (an orphan). */
  parentSpanId?: string;
  name: string;
  serviceName: string;
  /** Index into `Trace.resources`. */
  resourceIndex: number;
  kind: SpanKind;
  status: { code: StatusCode; message?: string };
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  /** Milliseconds from the trace start to the span start (fractional). */
  startMs: number;
  /** Span duration in milliseconds (fractional, nanosecond resolution). */
  durationMs: number;
  attributes: Attributes;
  events: SpanEvent[];
  links: SpanLink[];
  scope?: { name: string; version?: string };
  /** Attribute keys (span, event) whose values were masked before leaving the backend. */
  redactedKeys?: string[];
  /**
   * Only in windowed traces (see `TraceWindow`): the span's subtree in the whole trace, so a
   * client can tell what below it is not loaded yet.
   */
  subtree?: SpanSubtree;
}

export interface SpanSubtree {
  /** Direct children in the whole trace. */
  children: number;
  /** All spans below this one in the whole trace. */
  descendants: number;
  /** Error spans below this one in the whole trace. */
  errors: number;
}

/**
 * A trace over the backend's window threshold arrives in windows: the first answer holds the
 * first levels, the critical path and the error spans (each with its ancestors); subtrees
 * follow on request. Counts here are of the whole trace.
 */
export interface TraceWindow {
  totalSpans: number;
  errorCount: number;
  /** Most spans one window holds (the backend's `traces.largeTraces.windowSpans`). */
  windowSpans: number;
  /** Per service in the whole trace, in order of first appearance. */
  services: Array<{ name: string; spanCount: number; errorCount: number }>;
  /** Critical path of the whole trace, in sections; only sections of spans in this answer. */
  criticalPath: Array<{ spanId: string; startMs: number; endMs: number }>;
  /** A subtree answer cut short: the children of `spanId` continue at child index `from`. */
  continuation?: { spanId: string; from: number };
}

export interface Trace {
  traceId: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationMs: number;
  spanCount: number;
  /** Distinct service names, in order of first appearance. */
  services: string[];
  resources: TraceResource[];
  /** Spans sorted by start time. */
  spans: Span[];
  /** True when Tempo answered with a partial trace (for example: over its size limit). */
  partial?: boolean;
  /** Tempo's reason for a partial trace. */
  partialMessage?: string;
  /** Set when `spans` is a window of a larger trace; `spanCount` is then the whole trace's. */
  window?: TraceWindow;
}

export interface MatchedSpan {
  spanId: string;
  name?: string;
  startTimeUnixNano: string;
  durationMs: number;
  attributes: Attributes;
  redactedKeys?: string[];
}

export interface TraceServiceStats {
  name: string;
  spanCount: number;
  errorCount: number;
  /** Catalog entities claiming this service, when resolved. */
  owners?: ServiceOwner[];
}

export interface TraceSummary {
  /** 32 lowercase hex characters (Tempo's search strips leading zeros; the API pads them back). */
  traceId: string;
  rootServiceName?: string;
  rootSpanName?: string;
  startTimeUnixNano: string;
  /** ISO 8601 start time, for display. */
  startTime: string;
  durationMs: number;
  /** Sum of the per-service span counts Tempo reports; absent when Tempo sent none. */
  spanCount?: number;
  errorCount?: number;
  services: TraceServiceStats[];
  matchedSpans: MatchedSpan[];
  /** Number of spans that matched the query (may exceed `matchedSpans.length`). */
  matched: number;
}

export interface SearchResponse {
  /** The exact TraceQL sent to Tempo. */
  query: string;
  traces: TraceSummary[];
  /** Effective time range of the search, epoch seconds. */
  start: number;
  end: number;
  limit: number;
  /**
   * Only on an entity's search without results, when some of the entity's
   * `opentelemetry.io/service-name` values are not service names Tempo has seen in the range.
   */
  unknownServices?: UnknownServices;
}

/** Annotated service names Tempo does not know, and the closest `service.name` values it has. */
export interface UnknownServices {
  /** The entity's annotated service names that Tempo has not seen in the range. */
  names: string[];
  /** Tempo's service names closest to them, closest first (at most five). */
  closest: string[];
}

export interface TagScope {
  name: string;
  tags: string[];
}

export interface TagsResponse {
  scopes: TagScope[];
}

export interface TagValue {
  type: string;
  value: string;
}

export interface TagValuesResponse {
  tag: string;
  values: TagValue[];
}

export interface MetricSample {
  /** Epoch milliseconds. */
  timestampMs: number;
  value: number;
}

export interface MetricSeries {
  labels: Record<string, string | number | boolean>;
  /** Prometheus-style label text, e.g. `{resource.service.name="frontend"}`. */
  name: string;
  samples: MetricSample[];
  /** Spans behind the series, at most `traces.exemplars.maxPerSeries`, oldest first. */
  exemplars: MetricExemplar[];
}

/**
 * One span behind a metric sample (a TraceQL metrics exemplar, or a Prometheus exemplar of the
 * metrics-generator's span metrics): the way from a chart to a trace.
 */
export interface MetricExemplar {
  /** 32 lowercase hexadecimal characters; absent when the source gave none. */
  traceId?: string;
  /** 16 lowercase hexadecimal characters, when the source names the span. */
  spanId?: string;
  /** Epoch milliseconds (the span's start for TraceQL metrics). */
  timestampMs: number;
  /**
   * The source's value: for TraceQL `rate()`/`count_over_time()`/`histogram_over_time()` the
   * sample of the step it falls in, for `quantile_over_time(duration)` the span's duration in
   * seconds, for Prometheus span metrics the span's duration in seconds.
   */
  value: number;
  /** The span's duration in milliseconds, when the source knows it. */
  durationMs?: number;
}

export interface MetricsResponse {
  query: string;
  start: number;
  end: number;
  step?: string;
  series: MetricSeries[];
  partial?: boolean;
  partialMessage?: string;
}

/** One series of an instant metrics query: a single value over the whole range. */
export interface MetricInstantSeries {
  labels: Record<string, string | number | boolean>;
  /** Prometheus-style label text, e.g. `{resource.service.name="frontend"}`. */
  name: string;
  value: number;
}

export interface MetricsInstantResponse {
  query: string;
  start: number;
  end: number;
  series: MetricInstantSeries[];
  partial?: boolean;
  partialMessage?: string;
}

export type UpstreamStatus = 'ok' | 'down' | 'disabled';

export interface UpstreamHealth {
  status: UpstreamStatus;
  /** Why the upstream is down or disabled. */
  message?: string;
  version?: string;
  url?: string;
}

/** The health of a trace or log store, naming the store that answers. */
export interface StoreHealth extends UpstreamHealth {
  /** Which store is in use, for people: `Tempo`, `OpenSearch`, `Embedded store`. */
  store: string;
}

/** `GET /health`: the stores in use, whatever they are. */
export interface HealthResponse {
  /** The trace store (Tempo, or one a backend module installed). */
  traces: StoreHealth;
  /** The log store (OpenSearch, or one a backend module installed). */
  logs: StoreHealth;
}

export type LogOrder = 'asc' | 'desc';

export interface LogRecord {
  /** The document ID in the log store. */
  id: string;
  /** ISO 8601 timestamp. */
  timestamp: string;
  severity?: string;
  severityNumber?: number;
  message: string;
  serviceName?: string;
  traceId?: string;
  spanId?: string;
  /** Every other field of the log document (flattened dot paths), masked where sensitive. */
  fields: Record<string, unknown>;
  redactedKeys?: string[];
}

export interface LogsResponse {
  logs: LogRecord[];
  /** Opaque cursor for the next page; absent on the last page. */
  nextCursor?: string;
  /** Total matching documents, when the store counts them. */
  total?: number;
  /** Time window searched, ISO 8601. */
  start: string;
  end: string;
}

export interface SpanLogCount {
  count: number;
  /** Highest severity text among the span's logs, e.g. `ERROR`. */
  highestSeverity?: string;
}

export interface LogCountsResponse {
  /** Keyed by 16-hex span ID. */
  counts: Record<string, SpanLogCount>;
}

export interface ServiceGraphNode {
  /** The service name (unique within the graph). */
  id: string;
  /** True for the services the requested entity claims. */
  isEntityService: boolean;
  owners: ServiceOwner[];
  /**
   * Other names the same peer was seen under, folded into this node because one catalog
   * entity claims them all (its `backstage-traces.io/peer-names` annotation).
   */
  aliases?: string[];
  /**
   * In the graph only because the catalog declares a dependency on (or of) it that was not
   * seen in the range: no calls to or from it were observed.
   */
  declaredOnly?: boolean;
}

export interface ServiceGraphEdge {
  /** Calling service. */
  source: string;
  /** Called service. */
  target: string;
  requestCount: number;
  errorCount: number;
  latencyP50Ms?: number;
  latencyP95Ms?: number;
  latencyP99Ms?: number;
  /** Epoch seconds of the latest call seen, where the source knows it (sampled traces do). */
  lastSeen?: number;
  /**
   * The catalog declares a dependency between the entities claiming the two services
   * (`dependsOn`, or an API the caller's entity consumes and the callee's provides).
   */
  declared?: boolean;
  /**
   * Calls were observed in the range. `false` on an edge drawn for a declared dependency that
   * was not seen (its counts are zero).
   */
  observed?: boolean;
}

/** How a dependency stands between the catalog and the traces. */
export type DependencyState =
  | 'declared-and-observed'
  | 'observed-not-declared'
  | 'declared-not-seen';

/** One side of a dependency: a catalog entity, or a service no entity claims. */
export interface DependencyEnd {
  /** The entity, when one claims the services (or the dependency is declared with it). */
  entityRef?: string;
  /** Its graph nodes (service names); empty for an entity that names no service. */
  services: string[];
}

/** A dependency between two entities (one of them compared), declared, observed or both. */
export interface EntityDependency {
  /** Declared and observed, observed but not declared, or declared and not seen. */
  state: DependencyState;
  /** The caller / consumer / depending side. */
  source: DependencyEnd;
  /** The callee / provider / depended-on side. */
  target: DependencyEnd;
  /** How the catalog declares it: `dependsOn`, or the refs of the APIs consumed. */
  declaredVia?: string[];
  /** Calls observed in the range (0 when declared, not seen). */
  requestCount: number;
  /** Of those, the failed ones. */
  errorCount: number;
  /** Epoch seconds of the latest call, where the graph source knows it. */
  lastSeen?: number;
}

/** Declared (catalog relations) against observed (service graph) dependencies. */
export interface DependencyComparison {
  /** The entities compared: the requested entity, or a System's components. */
  entityRefs: string[];
  /** Every dependency of, or on, those entities: declared, observed or both. */
  dependencies: EntityDependency[];
  /** The declared dependencies with no calls seen in the range (state `declared-not-seen`). */
  notSeen: EntityDependency[];
}

export interface ServiceGraphResponse {
  /** Where the edges came from: metrics-generator metrics, or a sample of recent traces. */
  source: 'prometheus' | 'traces';
  /** With source `traces`: how many traces were aggregated. */
  sampledTraces?: number;
  /**
   * With source `traces`: sampled traces still loading when this first answer was given; ask
   * again shortly for the graph of the whole sample.
   */
  pendingTraces?: number;
  start: number;
  end: number;
  nodes: ServiceGraphNode[];
  edges: ServiceGraphEdge[];
  /** The catalog's declared dependencies compared with the calls in the graph. */
  dependencies?: DependencyComparison;
}

/**
 * Sets an attribute as an own property, whatever its key: a span may carry an attribute
 * named `__proto__`, which plain assignment would turn into a prototype change.
 */
export function setAttribute(
  attributes: Attributes,
  key: string,
  value: AttributeValue,
): void {
  if (key === '__proto__') {
    Object.defineProperty(attributes, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    attributes[key] = value;
  }
}

/** Distinct service names of spans, in order of first appearance (`Trace.services`). */
export function serviceNamesOf(spans: readonly Span[]): string[] {
  return [...new Set(spans.map(span => span.serviceName))];
}
