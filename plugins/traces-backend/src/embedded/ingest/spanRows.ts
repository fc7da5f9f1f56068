import { otlp } from '../otlp/schema';
import type { OtlpSpan, OtlpTraceRequest } from '../otlp/messages';
import { hexId, keyValues, nanos } from '../otlp/values';
import { SourceTable } from './sources';
import {
  reject,
  type Rejections,
  type SourceRow,
  type SpanRow,
  type TraceRollup,
} from './rows';

export interface SpanBatch {
  sources: SourceRow[];
  spans: SpanRow[];
  traces: TraceRollup[];
  rejected: Rejections;
}

const STATUS_ERROR = 2;

/**
 * An export request as rows. Spans OTLP forbids (trace IDs other than 16 bytes, span IDs
 * other than 8, all-zero IDs) are rejected one by one and reported as a partial success;
 * the rest is stored.
 */
export function toSpanBatch(request: OtlpTraceRequest): SpanBatch {
  const sources = new SourceTable();
  const spans: SpanRow[] = [];
  const traces = new Map<string, TraceRollup>();
  const rejected: Rejections = { count: 0, reasons: [] };

  for (const resourceSpans of request.resourceSpans ?? []) {
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      if (!scopeSpans.spans?.length) continue;
      const source = sources.add(resourceSpans.resource, scopeSpans.scope);
      for (const span of scopeSpans.spans) {
        const problem = invalid(span);
        if (problem) {
          reject(rejected, problem);
          continue;
        }
        const row = toRow(span, source);
        spans.push(row);
        rollUp(traces, row);
      }
    }
  }
  return {
    sources: [...sources.rows.values()],
    spans,
    traces: [...traces.values()],
    rejected,
  };
}

function invalid(span: OtlpSpan): string | undefined {
  if (span.traceId?.length !== 16 || isZero(span.traceId))
    return 'a span has no valid trace_id (16 bytes, not all zero)';
  if (span.spanId?.length !== 8 || isZero(span.spanId))
    return 'a span has no valid span_id (8 bytes, not all zero)';
  const parent = span.parentSpanId;
  if (parent?.length && parent.length !== 8)
    return 'a span has a parent_span_id that is not 8 bytes';
  return undefined;
}

function toRow(span: OtlpSpan, source: SourceRow): SpanRow {
  const startNs = nanos(span.startTimeUnixNano);
  const endNs = nanos(span.endTimeUnixNano);
  const parent = span.parentSpanId;
  const statusMessage = span.status?.message;
  return {
    traceId: hexId(span.traceId),
    spanId: hexId(span.spanId),
    parentSpanId: parent?.length && !isZero(parent) ? hexId(parent) : null,
    sourceKey: source.key,
    serviceName: source.serviceName,
    name: span.name ?? '',
    kind: span.kind >= 0 && span.kind <= 5 ? span.kind : 0,
    statusCode: span.status?.code ?? 0,
    statusMessage: statusMessage || null,
    startNs,
    durationNs: endNs > startNs ? endNs - startNs : 0n,
    attributes: JSON.stringify(keyValues(span.attributes)),
    payload: span.payload ?? otlp.Span.encode(span).finish(),
  };
}

function rollUp(traces: Map<string, TraceRollup>, row: SpanRow) {
  const endNs = row.startNs + row.durationNs;
  const isRoot = row.parentSpanId === null;
  const isError = row.statusCode === STATUS_ERROR ? 1 : 0;
  const trace = traces.get(row.traceId);
  if (!trace) {
    traces.set(row.traceId, {
      traceId: row.traceId,
      startNs: row.startNs,
      endNs,
      rootServiceName: isRoot ? row.serviceName : null,
      rootSpanName: isRoot ? row.name : null,
      spanCount: 1,
      errorCount: isError,
    });
    return;
  }
  if (row.startNs < trace.startNs) trace.startNs = row.startNs;
  if (endNs > trace.endNs) trace.endNs = endNs;
  if (isRoot && trace.rootServiceName === null) {
    trace.rootServiceName = row.serviceName;
    trace.rootSpanName = row.name;
  }
  trace.spanCount += 1;
  trace.errorCount += isError;
}

function isZero(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte !== 0) return false;
  return true;
}
