/**
 * A compact, column-oriented wire form of `Trace` for large traces: every repeated string
 * (service and span names, attribute keys, repeated values) is sent once in a string table,
 * parents are row indexes instead of IDs, times are integer nanosecond deltas. It is plain
 * JSON, so the HTTP layer's gzip/brotli applies on top. `decodeCompactTrace` restores the
 * exact `Trace` the backend encoded.
 *
 * Served by `GET /api/traces/traces/:id` when the request asks for
 * `Accept: application/vnd.backstage.traces.compact+json`.
 */
export const COMPACT_TRACE_MEDIA_TYPE =
  'application/vnd.backstage.traces.compact+json';
export const COMPACT_TRACE_FORMAT = 'compact/1';

/**
 * A flat attribute list: pairs of (key, value). A key `k >= 0` is the string-table index of
 * the key and the value is the string-table index of a string value; a key `k < 0` stands
 * for key index `-k - 1` with the value written as plain JSON (numbers, booleans, null,
 * arrays, maps).
 */
export type CompactAttributes = unknown[];

export interface CompactTrace {
  format: typeof COMPACT_TRACE_FORMAT;
  traceId: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  partial?: boolean;
  partialMessage?: string;
  strings: string[];
  resources: Array<{
    serviceName: number;
    serviceNamespace?: number;
    attributes: CompactAttributes;
    redactedKeys?: number[];
    owners?: Array<{ entityRef: string; title?: string; owner?: string }>;
  }>;
  /** Column per field, one row per span, rows in start-time order. */
  spans: {
    /** All span IDs concatenated, 16 hex characters each. */
    ids: string;
    /** Row of the parent; -1 for roots; -2 for orphans (see `orphanParents`). */
    parent: number[];
    /** For orphan rows: the parent span ID that is missing from the trace. */
    orphanParents: Record<number, string>;
    name: number[];
    resource: number[];
    /** Index into SPAN_KINDS. */
    kind: number[];
    /** Index into STATUS_CODES. */
    status: number[];
    statusMessage: Record<number, number>;
    /** Start minus the previous row's start, in nanoseconds (the first row: minus trace start). */
    startDelta: number[];
    durationNanos: number[];
    attributes: CompactAttributes[];
    /** Sparse: row → events as [name, offset ns from trace start, attributes]. */
    events: Record<number, Array<[number, number, CompactAttributes]>>;
    /** Sparse: row → links as [traceId, spanId, attributes]. */
    links: Record<number, Array<[string, string, CompactAttributes]>>;
    /** Sparse: row → scope [name, version?] as string indexes. */
    scope: Record<number, [number, number?]>;
    redactedKeys: Record<number, number[]>;
  };
  /** Present when the spans are a window of a larger trace (see `TraceWindow`). */
  window?: CompactWindow;
}

/** `TraceWindow` in compact form: rows and string indexes refer to this answer. */
export interface CompactWindow {
  totalSpans: number;
  errorCount: number;
  windowSpans: number;
  /** [service name, span count, error count] per service of the whole trace. */
  services: Array<[number, number, number]>;
  /** Per row: [direct children, all descendants, error descendants] in the whole trace. */
  subtree: Array<[number, number, number]>;
  /** Critical path sections [row, start, end], nanoseconds from the trace start. */
  criticalPath: Array<[number, number, number]>;
  /** [span ID, child index]: a subtree answer was cut; that span's children continue there. */
  continuation?: [string, number];
}

/** Empty span columns for `n` rows, filled row by row by the encoders. */
export function createCompactColumns(n: number): CompactTrace['spans'] {
  return {
    ids: '',
    parent: new Array(n),
    orphanParents: {},
    name: new Array(n),
    resource: new Array(n),
    kind: new Array(n),
    status: new Array(n),
    statusMessage: {},
    startDelta: new Array(n),
    durationNanos: new Array(n),
    attributes: new Array(n),
    events: {},
    links: {},
    scope: {},
    redactedKeys: {},
  };
}
