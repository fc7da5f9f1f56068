import { CompactTraceBuilder } from '../compact/CompactTraceBuilder';
import type { CompactTrace } from '../compact/CompactTrace';
import { SPAN_KINDS, STATUS_CODES } from '../types';
import {
  otlpId,
  otlpValue,
  otlpAttributes,
  type OtlpKeyValue,
  type OtlpResourceSpans,
} from './otlpJson';

/**
 * The OTLP/JSON producer (Tempo's trace JSON included): resource spans → compact trace.
 * Undefined when there is no span. Spans of other traces are kept too: the caller decides
 * what one file or answer means.
 */
export function otlpJsonToCompact(
  batches: readonly OtlpResourceSpans[],
  options: {
    /** Names the trace when no span carries an ID. */
    traceId?: string;
    partialMessage?: string;
    /** Only the spans of this trace (hex), e.g. one of several in a file. */
    onlyTraceId?: string;
  } = {},
): CompactTrace | undefined {
  const builder = new CompactTraceBuilder();
  addOtlpJson(builder, batches, options.onlyTraceId);
  if (options.partialMessage !== undefined)
    builder.setPartial(options.partialMessage);
  return builder.build(options.traceId);
}

/** Feeds OTLP/JSON resource spans into a builder (several files or requests may feed one). */
export function addOtlpJson(
  builder: CompactTraceBuilder,
  batches: readonly OtlpResourceSpans[],
  onlyTraceId?: string,
): void {
  for (const batch of batches) {
    const resource = builder.resource(
      otlpAttributes(batch.resource?.attributes),
    );
    const scopes =
      batch.scopeSpans ??
      batch.instrumentationLibrarySpans?.map(library => ({
        scope: library.instrumentationLibrary,
        spans: library.spans,
      })) ??
      [];
    for (const { scope, spans } of scopes) {
      const scopeName = scope?.name ? builder.string(scope.name) : -1;
      const scopeVersion =
        scopeName >= 0 && scope?.version ? builder.string(scope.version) : -1;
      for (const span of spans ?? []) {
        const traceId = otlpId(span.traceId, 16);
        if (onlyTraceId !== undefined && traceId !== onlyTraceId) continue;
        if (traceId) builder.setTraceId(traceId);
        // Strings are interned in the protobuf field order, so that this producer and the
        // backend's protobuf decoder write the very same string table for the same trace.
        const name = builder.string(span.name ?? '');
        const attributes = attributeList(builder, span.attributes);
        const events = (span.events ?? []).map(event => ({
          time: builder.offset(event.timeUnixNano),
          name: builder.string(event.name ?? ''),
          attributes: attributeList(builder, event.attributes),
        }));
        const links = (span.links ?? []).map(link => ({
          traceId: otlpId(link.traceId, 16),
          spanId: otlpId(link.spanId, 8),
          attributes: attributeList(builder, link.attributes),
        }));
        const message = span.status?.message;
        const handle = builder.addSpan({
          spanId: otlpId(span.spanId, 8) ?? '',
          parentSpanId: otlpId(span.parentSpanId, 8) ?? '',
          name,
          resource,
          kind: enumIndex(span.kind, 'SPAN_KIND_', SPAN_KINDS),
          status: enumIndex(span.status?.code, 'STATUS_CODE_', STATUS_CODES),
          statusMessage: message ? builder.string(message) : -1,
          start: builder.offset(span.startTimeUnixNano),
          end: builder.offset(span.endTimeUnixNano),
          attributes,
        });
        for (const event of events) {
          builder.addEvent(handle, event.name, event.time, event.attributes);
        }
        for (const link of links) {
          if (link.traceId && link.spanId) {
            builder.addLink(handle, link.traceId, link.spanId, link.attributes);
          }
        }
        if (scopeName >= 0) builder.setScope(handle, scopeName, scopeVersion);
      }
    }
  }
}

function attributeList(
  builder: CompactTraceBuilder,
  list: OtlpKeyValue[] | undefined,
) {
  const out = builder.attributes();
  for (const { key, value } of list ?? []) {
    builder.addAttribute(out, builder.string(key), otlpValue(value));
  }
  return out;
}

/** `SPAN_KIND_SERVER` (Tempo JSON), `2` (OTLP/JSON) or `server` → index into `words`. */
export function enumIndex(
  value: string | number | undefined,
  prefix: string,
  words: readonly string[],
): number {
  if (typeof value === 'number') return value;
  if (!value) return 0;
  const word = value.replace(prefix, '').toLowerCase();
  const index = words.indexOf(word);
  return index === -1 ? 0 : index;
}
