import type {
  Span,
  SpanKind,
  StatusCode,
  Trace,
  TraceResource,
} from '@backstage-traces/plugin-traces-common';
import {
  serviceNamesOf,
  SPAN_KINDS,
  STATUS_CODES,
} from '@backstage-traces/plugin-traces-common';
import { attributeText, toAttributes } from './attributes';
import { toHexId } from './ids';
import type {
  TempoResourceSpans,
  TempoSpan,
  TempoTraceByIdV2,
} from './wireTypes';

/** Returns undefined when Tempo has no spans for the trace (v2 answers 200 `{"trace":{}}`). */
export function normalizeTraceResponse(
  requestedTraceId: string,
  body: TempoTraceByIdV2,
): Trace | undefined {
  const trace = normalizeResourceSpans(
    requestedTraceId,
    body.trace?.resourceSpans ?? [],
  );
  if (!trace) return undefined;
  if (body.status === 'PARTIAL' || body.status === 1) {
    trace.partial = true;
    trace.partialMessage =
      body.message || 'Tempo returned only part of this trace';
  }
  return trace;
}

interface RawSpan {
  span: TempoSpan;
  resourceIndex: number;
  scope?: { name: string; version?: string };
  start: bigint;
  end: bigint;
}

/**
 * The only place that knows Tempo's trace encoding: base64 IDs, enum names, int64 strings,
 * `scopeSpans` vs the pre-2.0 `instrumentationLibrarySpans`. Produces the API's Trace.
 */
export function normalizeResourceSpans(
  requestedTraceId: string,
  batches: TempoResourceSpans[],
): Trace | undefined {
  const resources: TraceResource[] = [];
  const resourceByKey = new Map<string, number>();
  const raw: RawSpan[] = [];

  for (const batch of batches) {
    const resourceIndex = internResource(batch, resources, resourceByKey);
    const scopes =
      batch.scopeSpans ??
      batch.instrumentationLibrarySpans?.map(library => ({
        scope: library.instrumentationLibrary,
        spans: library.spans,
      })) ??
      [];
    for (const { scope, spans } of scopes) {
      const scopeInfo = scope?.name
        ? { name: scope.name, ...(scope.version && { version: scope.version }) }
        : undefined;
      for (const span of spans ?? []) {
        const start = toBigInt(span.startTimeUnixNano);
        const end = toBigInt(span.endTimeUnixNano);
        raw.push({
          span,
          resourceIndex,
          scope: scopeInfo,
          start,
          end: end < start ? start : end,
        });
      }
    }
  }
  if (raw.length === 0) return undefined;

  let traceStart = raw[0].start;
  let traceEnd = raw[0].end;
  for (const { start, end } of raw) {
    if (start < traceStart) traceStart = start;
    if (end > traceEnd) traceEnd = end;
  }

  const spans: Span[] = raw.map(
    ({ span, resourceIndex, scope, start, end }) => {
      const parentSpanId = toHexId(span.parentSpanId, 8);
      const message = span.status?.message;
      return {
        spanId: toHexId(span.spanId, 8) ?? '0'.repeat(16),
        ...(parentSpanId && { parentSpanId }),
        name: span.name ?? '',
        serviceName: resources[resourceIndex].serviceName,
        resourceIndex,
        kind: toSpanKind(span.kind),
        status: {
          code: toStatusCode(span.status?.code),
          ...(message && { message }),
        },
        startTimeUnixNano: start.toString(),
        endTimeUnixNano: end.toString(),
        startMs: nanosToMs(start - traceStart),
        durationMs: nanosToMs(end - start),
        attributes: toAttributes(span.attributes),
        events: (span.events ?? []).map(event => {
          const time = toBigInt(event.timeUnixNano);
          return {
            name: event.name ?? '',
            timeUnixNano: time.toString(),
            offsetMs: nanosToMs(time - traceStart),
            attributes: toAttributes(event.attributes),
          };
        }),
        links: (span.links ?? []).flatMap(link => {
          const traceId = toHexId(link.traceId, 16);
          const spanId = toHexId(link.spanId, 8);
          return traceId && spanId
            ? [{ traceId, spanId, attributes: toAttributes(link.attributes) }]
            : [];
        }),
        ...(scope && { scope }),
      };
    },
  );
  spans.sort((a, b) => a.startMs - b.startMs);

  const services = serviceNamesOf(spans);

  const traceId =
    toHexId(raw[0].span.traceId, 16) ?? requestedTraceId.padStart(32, '0');
  return {
    traceId,
    startTimeUnixNano: traceStart.toString(),
    endTimeUnixNano: traceEnd.toString(),
    durationMs: nanosToMs(traceEnd - traceStart),
    spanCount: spans.length,
    services,
    resources,
    spans,
  };
}

/** Tempo may split one process's spans over several batches; they share one resource. */
function internResource(
  batch: TempoResourceSpans,
  resources: TraceResource[],
  resourceByKey: Map<string, number>,
): number {
  const list = batch.resource?.attributes ?? [];
  const key = JSON.stringify(
    [...list].sort((a, b) => a.key.localeCompare(b.key)),
  );
  const existing = resourceByKey.get(key);
  if (existing !== undefined) return existing;

  const attributes = toAttributes(list);
  const serviceName = attributeText(attributes['service.name'] ?? null);
  const namespace = attributeText(attributes['service.namespace'] ?? null);
  resources.push({
    serviceName: serviceName || 'unknown_service',
    ...(namespace && { serviceNamespace: namespace }),
    attributes,
  });
  resourceByKey.set(key, resources.length - 1);
  return resources.length - 1;
}

const KIND_BY_NUMBER: SpanKind[] = [...SPAN_KINDS];
const STATUS_BY_NUMBER: StatusCode[] = [...STATUS_CODES];

/** `SPAN_KIND_SERVER` (Tempo JSON) or `2` (OTLP JSON) → `server`. */
export function toSpanKind(kind: string | number | undefined): SpanKind {
  if (typeof kind === 'number') return KIND_BY_NUMBER[kind] ?? 'unspecified';
  const word = kind?.replace(/^SPAN_KIND_/, '').toLowerCase();
  return (SPAN_KINDS as readonly string[]).includes(word ?? '')
    ? (word as SpanKind)
    : 'unspecified';
}

/** `STATUS_CODE_ERROR` or `2` → `error`; Tempo writes an unset status as `{}`. */
export function toStatusCode(code: string | number | undefined): StatusCode {
  if (typeof code === 'number') return STATUS_BY_NUMBER[code] ?? 'unset';
  const word = code?.replace(/^STATUS_CODE_/, '').toLowerCase();
  return (STATUS_CODES as readonly string[]).includes(word ?? '')
    ? (word as StatusCode)
    : 'unset';
}

function toBigInt(value: string | number | bigint | undefined): bigint {
  if (typeof value === 'bigint') return value;
  if (value === undefined || value === '') return 0n;
  try {
    return BigInt(value);
  } catch {
    return 0n;
  }
}

/** Exact for differences below 2^53 ns (104 days), which covers any trace. */
function nanosToMs(nanos: bigint): number {
  return Number(nanos) / 1e6;
}
