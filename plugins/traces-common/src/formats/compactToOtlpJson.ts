import type { AttributeValue, Attributes, Trace } from '../types';
import { SPAN_KINDS, STATUS_CODES } from '../types';
import type { CompactTrace } from '../compact/CompactTrace';
import { decodeCompactTrace } from '../compact/decodeCompactTrace';
import type {
  OtlpAnyValue,
  OtlpKeyValue,
  OtlpResourceSpans,
  OtlpSpan,
  OtlpTracesData,
} from './otlpJson';

/**
 * A trace as OTLP/JSON `TracesData` (the body of an OTLP/HTTP export request, and what the
 * collector's file exporter writes): hex IDs, decimal nanosecond strings, numeric enums,
 * attributes as AnyValue. What the user sees is what is written: the trace is already
 * redacted. Spans are grouped by resource and instrumentation scope, in start order.
 *
 * Not carried: which keys were redacted (the masked values are), the owners of services, and
 * of a windowed trace the spans that were not loaded.
 */
export function traceToOtlpJson(trace: Trace): OtlpTracesData {
  const resourceSpans: OtlpResourceSpans[] = trace.resources.map(resource => {
    const list = keyValues(resource.attributes);
    // OTLP names the service by attributes: keep the name if the trace had it apart.
    const named = (key: string, value: string | undefined) => {
      if (value !== undefined && !list.some(kv => kv.key === key)) {
        list.unshift({ key, value: { stringValue: value } });
      }
    };
    named('service.namespace', resource.serviceNamespace);
    // A resource without a name reads back as unknown_service anyway.
    if (resource.serviceName !== 'unknown_service') {
      named('service.name', resource.serviceName);
    }
    return { resource: { attributes: list }, scopeSpans: [] };
  });
  // Per resource: scope name and version → the spans of that scope.
  const scopesOf = trace.resources.map(() => new Map<string, OtlpSpan[]>());

  for (const span of trace.spans) {
    const otlp: OtlpSpan = {
      traceId: trace.traceId,
      spanId: span.spanId,
      ...(span.parentSpanId && { parentSpanId: span.parentSpanId }),
      name: span.name,
      kind: SPAN_KINDS.indexOf(span.kind),
      startTimeUnixNano: span.startTimeUnixNano,
      endTimeUnixNano: span.endTimeUnixNano,
      attributes: keyValues(span.attributes),
      events: span.events.map(event => ({
        timeUnixNano: event.timeUnixNano,
        name: event.name,
        attributes: keyValues(event.attributes),
      })),
      links: span.links.map(link => ({
        traceId: link.traceId,
        spanId: link.spanId,
        attributes: keyValues(link.attributes),
      })),
      status: {
        code: STATUS_CODES.indexOf(span.status.code),
        ...(span.status.message !== undefined && {
          message: span.status.message,
        }),
      },
    };
    const scopes = scopesOf[span.resourceIndex];
    const key = span.scope
      ? JSON.stringify([span.scope.name, span.scope.version])
      : '';
    let spans = scopes.get(key);
    if (!spans) {
      spans = [];
      scopes.set(key, spans);
      resourceSpans[span.resourceIndex].scopeSpans!.push({
        scope: span.scope ?? {},
        spans,
      });
    }
    spans.push(otlp);
  }
  return {
    resourceSpans: resourceSpans.filter(r => r.scopeSpans!.length > 0),
  };
}

/** `traceToOtlpJson` of a compact trace. */
export function compactToOtlpJson(compact: CompactTrace): OtlpTracesData {
  return traceToOtlpJson(decodeCompactTrace(compact));
}

function keyValues(attributes: Attributes): OtlpKeyValue[] {
  return Object.keys(attributes).map(key => ({
    key,
    value: anyValue(attributes[key]),
  }));
}

function anyValue(value: AttributeValue): OtlpAnyValue {
  if (value === null) return {};
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') {
    // int64 travels as decimal text; a whole number past 2^53 can only have been a double.
    return Number.isSafeInteger(value)
      ? { intValue: String(value) }
      : { doubleValue: value };
  }
  if (Array.isArray(value)) {
    return { arrayValue: { values: value.map(anyValue) } };
  }
  return { kvlistValue: { values: keyValues(value) } };
}
