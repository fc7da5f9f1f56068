/** Rows one OTLP request turns into, before they are written in one transaction. */

/** A resource with its instrumentation scope; spans and logs point at one. */
export interface SourceRow {
  /** Hash of the resource and scope bytes: the same source is stored once. */
  key: string;
  serviceName: string;
  resourceAttributes: string;
  scopeName: string | null;
  scopeVersion: string | null;
  resourcePayload: Uint8Array;
  scopePayload: Uint8Array;
}

export interface SpanRow {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  sourceKey: string;
  serviceName: string;
  name: string;
  kind: number;
  statusCode: number;
  statusMessage: string | null;
  startNs: bigint;
  durationNs: bigint;
  /** Span attributes as a JSON object. */
  attributes: string;
  /** The OTLP `Span` message. */
  payload: Uint8Array;
}

/** What one request adds to a trace's summary row. */
export interface TraceRollup {
  traceId: string;
  startNs: bigint;
  endNs: bigint;
  rootServiceName: string | null;
  rootSpanName: string | null;
  spanCount: number;
  errorCount: number;
}

export interface LogRow {
  traceId: string | null;
  spanId: string | null;
  sourceKey: string;
  serviceName: string;
  timeNs: bigint;
  observedTimeNs: bigint;
  severityNumber: number | null;
  severityText: string | null;
  body: string;
  attributes: string;
}

/** What an OTLP partial-success answer reports. */
export interface Rejections {
  count: number;
  /** The first reasons, for the answer's `error_message`. */
  reasons: string[];
}

export function reject(rejections: Rejections, reason: string) {
  rejections.count += 1;
  if (rejections.reasons.length < 3 && !rejections.reasons.includes(reason))
    rejections.reasons.push(reason);
}
