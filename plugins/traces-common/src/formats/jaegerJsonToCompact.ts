import { CompactTraceBuilder } from '../compact/CompactTraceBuilder';
import type { CompactAttributes, CompactTrace } from '../compact/CompactTrace';
import {
  setAttribute,
  SPAN_KINDS,
  type AttributeValue,
  type Attributes,
} from '../types';

/*
 * Jaeger's trace JSON: what Jaeger UI's "Download JSON" (and Jaeger's /api/traces/{id}) gives,
 * `{"data":[{traceID, spans, processes}]}`. Times are microseconds; the OpenTelemetry fields
 * Jaeger has no place for travel as tags (`span.kind`, `otel.status_code`, `otel.scope.name`),
 * which become fields again here.
 */

export interface JaegerTag {
  key: string;
  type?: string;
  value?: unknown;
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName?: string;
  references?: Array<{ refType?: string; traceID?: string; spanID?: string }>;
  /** Microseconds since the epoch. */
  startTime?: number;
  /** Microseconds. */
  duration?: number;
  tags?: JaegerTag[];
  logs?: Array<{ timestamp?: number; fields?: JaegerTag[] }>;
  processID?: string;
}

export interface JaegerTrace {
  traceID?: string;
  spans: JaegerSpan[];
  processes?: Record<string, { serviceName?: string; tags?: JaegerTag[] }>;
}

const STATUS_WORDS: Record<string, number> = { OK: 1, ERROR: 2 };
/** Tags that are span fields in OpenTelemetry; they are not kept as attributes. */
const FIELD_TAGS = new Set([
  'span.kind',
  'otel.status_code',
  'otel.status_description',
  'otel.scope.name',
  'otel.scope.version',
  'otel.library.name',
  'otel.library.version',
]);

/** One Jaeger trace → compact trace; undefined when it has no spans. */
export function jaegerJsonToCompact(
  trace: JaegerTrace,
): CompactTrace | undefined {
  const builder = new CompactTraceBuilder();
  const resources = new Map<string, number>();
  const resourceOf = (processId: string | undefined) => {
    const key = processId ?? '';
    let index = resources.get(key);
    if (index === undefined) {
      const process = trace.processes?.[key];
      const attributes: Attributes = {};
      if (process?.serviceName)
        attributes['service.name'] = process.serviceName;
      for (const tag of process?.tags ?? [])
        setAttribute(attributes, tag.key, tagValue(tag));
      index = builder.resource(attributes);
      resources.set(key, index);
    }
    return index;
  };

  for (const span of trace.spans) {
    const traceId = jaegerId(span.traceID, 32);
    if (traceId) builder.setTraceId(traceId);
    const fields: Record<string, AttributeValue> = {};
    const attributes = builder.attributes();
    // Jaeger derives `error=true` from an OpenTelemetry error status: then it is not data.
    const tags = span.tags ?? [];
    const fromOtel = tags.some(tag => tag.key === 'otel.status_code');
    let error = false;
    for (const tag of tags) {
      const value = tagValue(tag);
      if (FIELD_TAGS.has(tag.key)) fields[tag.key] = value;
      else if (tag.key === 'error' && value === true && fromOtel) error = true;
      else {
        if (tag.key === 'error' && value === true) error = true;
        builder.addAttribute(attributes, builder.string(tag.key), value);
      }
    }
    // The parent is the first CHILD_OF reference in the trace (Jaeger UI's rule); every other
    // reference is a link.
    const references = span.references ?? [];
    const parent =
      references.find(
        r => r.refType === 'CHILD_OF' && jaegerId(r.traceID, 32) === traceId,
      ) ?? references.find(r => jaegerId(r.traceID, 32) === traceId);
    const statusWord = String(fields['otel.status_code'] ?? '').toUpperCase();
    const message = fields['otel.status_description'];
    const start = builder.offset(micros(span.startTime));
    const handle = builder.addSpan({
      spanId: jaegerId(span.spanID, 16) ?? '',
      parentSpanId: (parent && jaegerId(parent.spanID, 16)) ?? '',
      name: builder.string(span.operationName ?? ''),
      resource: resourceOf(span.processID),
      kind: SPAN_KINDS.indexOf(
        String(fields['span.kind'] ?? 'unspecified') as never,
      ),
      status: STATUS_WORDS[statusWord] ?? (error ? 2 : 0),
      statusMessage:
        typeof message === 'string' && message ? builder.string(message) : -1,
      start,
      end: start + Math.max(0, Math.round((span.duration ?? 0) * 1000)),
      attributes,
    });
    for (const log of span.logs ?? []) {
      let name = 'log';
      const list: CompactAttributes = builder.attributes();
      for (const field of log.fields ?? []) {
        if (field.key === 'event' && typeof field.value === 'string')
          name = field.value;
        else
          builder.addAttribute(
            list,
            builder.string(field.key),
            tagValue(field),
          );
      }
      builder.addEvent(
        handle,
        builder.string(name),
        builder.offset(micros(log.timestamp)),
        list,
      );
    }
    for (const reference of references) {
      if (reference === parent) continue;
      const linkTrace = jaegerId(reference.traceID, 32);
      const linkSpan = jaegerId(reference.spanID, 16);
      if (linkTrace && linkSpan) {
        const list = builder.attributes();
        if (reference.refType)
          builder.addAttribute(
            list,
            builder.string('jaeger.ref_type'),
            reference.refType,
          );
        builder.addLink(handle, linkTrace, linkSpan, list);
      }
    }
    const scopeName = fields['otel.scope.name'] ?? fields['otel.library.name'];
    const scopeVersion =
      fields['otel.scope.version'] ?? fields['otel.library.version'];
    if (typeof scopeName === 'string' && scopeName) {
      builder.setScope(
        handle,
        builder.string(scopeName),
        typeof scopeVersion === 'string' && scopeVersion
          ? builder.string(scopeVersion)
          : -1,
      );
    }
  }
  return builder.build(trace.traceID ?? '');
}

/** Jaeger writes IDs as hex without leading zeros (and 64-bit trace IDs as 16 characters). */
function jaegerId(id: unknown, width: 16 | 32): string | undefined {
  if (
    typeof id !== 'string' ||
    !/^[0-9a-fA-F]{1,32}$/.test(id) ||
    id.length > width
  )
    return undefined;
  if (/^0+$/.test(id)) return undefined;
  return id.toLowerCase().padStart(width, '0');
}

/** Microseconds (a JSON number, exact below 2^53) → nanoseconds, exactly. */
function micros(value: number | undefined): bigint {
  return typeof value === 'number' && Number.isFinite(value)
    ? BigInt(Math.trunc(value)) * 1000n
    : 0n;
}

function tagValue(tag: JaegerTag): AttributeValue {
  const value = tag.value;
  if (value === undefined || value === null) return null;
  if (tag.type === 'int64') {
    const number = Number(value);
    return Number.isSafeInteger(number) ? number : String(value);
  }
  if (tag.type === 'float64') return Number(value);
  if (tag.type === 'bool') return value === true || value === 'true';
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  )
    return value;
  return JSON.stringify(value);
}
