/*
 * Converts OTLP/JSON export requests (what gen-large-trace.js writes, what Tempo ingests) into the
 * API's `Trace`, the shape the traces backend serves. Just enough of the backend's normaliser for
 * the benchmarks: IDs are already hex in OTLP/JSON, int64 arrive as strings, enums as numbers.
 */
import type {
  AttributeValue,
  Attributes,
  Span,
  SpanKind,
  StatusCode,
  Trace,
  TraceResource,
} from '@backstage-traces/plugin-traces-common';
import { serviceNamesOf } from '@backstage-traces/plugin-traces-common';

interface OtlpAnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
}
interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}
interface OtlpSpan {
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: OtlpKeyValue[];
  events?: Array<{
    timeUnixNano: string;
    name: string;
    attributes?: OtlpKeyValue[];
  }>;
  links?: Array<{
    traceId: string;
    spanId: string;
    attributes?: OtlpKeyValue[];
  }>;
  status?: { code?: number; message?: string };
}
interface OtlpRequest {
  resourceSpans: Array<{
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: Array<{
      scope?: { name: string; version?: string };
      spans?: OtlpSpan[];
    }>;
  }>;
}

const KINDS: SpanKind[] = [
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
];
const STATUS: StatusCode[] = ['unset', 'ok', 'error'];

function value(v: OtlpAnyValue): AttributeValue {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) {
    const num = Number(v.intValue);
    return Number.isSafeInteger(num) ? num : String(v.intValue);
  }
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(value);
  if (v.kvlistValue) return attributes(v.kvlistValue.values);
  return null;
}

function attributes(list: OtlpKeyValue[] | undefined): Attributes {
  const out: Attributes = {};
  for (const kv of list ?? []) out[kv.key] = value(kv.value);
  return out;
}

export function otlpToTrace(requests: string[]): Trace {
  const resources: TraceResource[] = [];
  const resourceByService = new Map<string, number>();
  const raw: Array<{
    span: OtlpSpan;
    resourceIndex: number;
    traceId: string;
    scope?: { name: string; version?: string };
  }> = [];
  let traceId = '';
  for (const body of requests) {
    const req = JSON.parse(body) as OtlpRequest;
    for (const rs of req.resourceSpans) {
      const attrs = attributes(rs.resource?.attributes);
      const serviceName = String(attrs['service.name'] ?? 'unknown_service');
      let resourceIndex = resourceByService.get(serviceName);
      if (resourceIndex === undefined) {
        resourceIndex = resources.length;
        resources.push({
          serviceName,
          ...(typeof attrs['service.namespace'] === 'string'
            ? { serviceNamespace: attrs['service.namespace'] }
            : {}),
          attributes: attrs,
        });
        resourceByService.set(serviceName, resourceIndex);
      }
      for (const ss of rs.scopeSpans ?? []) {
        for (const span of ss.spans ?? []) {
          traceId ||= (span as OtlpSpan & { traceId: string }).traceId;
          raw.push({ span, resourceIndex, traceId, scope: ss.scope });
        }
      }
    }
  }
  let minStart = BigInt(raw[0]?.span.startTimeUnixNano ?? 0);
  let maxEnd = minStart;
  for (const { span } of raw) {
    const s = BigInt(span.startTimeUnixNano);
    const e = BigInt(span.endTimeUnixNano);
    if (s < minStart) minStart = s;
    if (e > maxEnd) maxEnd = e;
  }
  const ms = (nanos: string) => Number(BigInt(nanos) - minStart) / 1e6;
  const spans: Span[] = raw.map(({ span, resourceIndex, scope }) => ({
    spanId: span.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    name: span.name,
    serviceName: resources[resourceIndex].serviceName,
    resourceIndex,
    kind: KINDS[span.kind ?? 0] ?? 'unspecified',
    status: {
      code: STATUS[span.status?.code ?? 0] ?? 'unset',
      ...(span.status?.message ? { message: span.status.message } : {}),
    },
    startTimeUnixNano: span.startTimeUnixNano,
    endTimeUnixNano: span.endTimeUnixNano,
    startMs: ms(span.startTimeUnixNano),
    durationMs:
      Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) /
      1e6,
    attributes: attributes(span.attributes),
    events: (span.events ?? []).map(e => ({
      name: e.name,
      timeUnixNano: e.timeUnixNano,
      offsetMs: ms(e.timeUnixNano),
      attributes: attributes(e.attributes),
    })),
    links: (span.links ?? []).map(l => ({
      traceId: l.traceId,
      spanId: l.spanId,
      attributes: attributes(l.attributes),
    })),
    ...(scope ? { scope } : {}),
  }));
  spans.sort((a, b) => a.startMs - b.startMs);
  const services = serviceNamesOf(spans);
  return {
    traceId,
    startTimeUnixNano: String(minStart),
    endTimeUnixNano: String(maxEnd),
    durationMs: Number(maxEnd - minStart) / 1e6,
    spanCount: spans.length,
    services,
    resources,
    spans,
  };
}
