import type { AttributeValue } from '../types';
import type { CompactAttributes, CompactTrace } from '../compact/CompactTrace';
import type {
  OtlpAnyValue,
  OtlpKeyValue,
  OtlpResourceSpans,
  OtlpSpan,
  OtlpTracesData,
} from './otlpJson';

/**
 * A compact trace as OTLP/JSON `TracesData` (the body of an OTLP/HTTP export request, and
 * what the collector's file exporter writes): hex IDs, decimal nanosecond strings, numeric
 * enums, attributes as AnyValue. What the user sees is what is written: the trace is already
 * redacted. Spans are grouped by resource and instrumentation scope, in row order.
 *
 * Not carried: which keys were redacted (the masked values are), the owners of services, and
 * of a windowed trace the spans that were not loaded.
 */
export function compactToOtlpJson(compact: CompactTrace): OtlpTracesData {
  const { strings, spans: columns, traceId } = compact;
  const attributes = (list: CompactAttributes): OtlpKeyValue[] => {
    const out: OtlpKeyValue[] = [];
    for (let i = 0; i < list.length; i += 2) {
      const k = list[i] as number;
      out.push(
        k >= 0
          ? {
              key: strings[k],
              value: { stringValue: strings[list[i + 1] as number] },
            }
          : {
              key: strings[-k - 1],
              value: anyValue(list[i + 1] as AttributeValue),
            },
      );
    }
    return out;
  };

  const resourceSpans: OtlpResourceSpans[] = compact.resources.map(resource => {
    const list = attributes(resource.attributes);
    // The service is named by attributes in OTLP: keep the name if the trace had it apart.
    const named = (key: string, value: number | undefined) => {
      if (value !== undefined && !list.some(kv => kv.key === key)) {
        list.unshift({ key, value: { stringValue: strings[value] } });
      }
    };
    named('service.namespace', resource.serviceNamespace);
    // A resource without a name reads back as unknown_service anyway.
    if (strings[resource.serviceName] !== 'unknown_service') {
      named('service.name', resource.serviceName);
    }
    return { resource: { attributes: list }, scopeSpans: [] };
  });
  // Per resource: scope key → its scopeSpans entry.
  const scopesOf = compact.resources.map(() => new Map<string, OtlpSpan[]>());

  const traceStart = BigInt(compact.startTimeUnixNano);
  const nanos = (offset: number) => (traceStart + BigInt(offset)).toString();
  const n = columns.parent.length;
  let offset = 0;
  for (let row = 0; row < n; row++) {
    offset += columns.startDelta[row];
    const parentRow = columns.parent[row];
    const parentSpanId =
      parentRow >= 0
        ? columns.ids.slice(parentRow * 16, parentRow * 16 + 16)
        : columns.orphanParents[row];
    const message = columns.statusMessage[row];
    const span: OtlpSpan = {
      traceId,
      spanId: columns.ids.slice(row * 16, row * 16 + 16),
      ...(parentSpanId && { parentSpanId }),
      name: strings[columns.name[row]],
      kind: columns.kind[row],
      startTimeUnixNano: nanos(offset),
      endTimeUnixNano: nanos(offset + columns.durationNanos[row]),
      attributes: attributes(columns.attributes[row]),
      events: (columns.events[row] ?? []).map(([name, time, list]) => ({
        timeUnixNano: nanos(time),
        name: strings[name],
        attributes: attributes(list),
      })),
      links: (columns.links[row] ?? []).map(([linkTrace, linkSpan, list]) => ({
        traceId: linkTrace,
        spanId: linkSpan,
        attributes: attributes(list),
      })),
      status: {
        code: columns.status[row],
        ...(message !== undefined && { message: strings[message] }),
      },
    };
    const resource = columns.resource[row];
    const scope = columns.scope[row];
    const scopeKey = scope ? `${scope[0]}/${scope[1] ?? ''}` : '';
    let list = scopesOf[resource].get(scopeKey);
    if (!list) {
      list = [];
      scopesOf[resource].set(scopeKey, list);
      resourceSpans[resource].scopeSpans!.push({
        scope: scope
          ? {
              name: strings[scope[0]],
              ...(scope[1] !== undefined && { version: strings[scope[1]] }),
            }
          : {},
        spans: list,
      });
    }
    list.push(span);
  }
  return {
    resourceSpans: resourceSpans.filter(r => r.scopeSpans!.length > 0),
  };
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
  if (Array.isArray(value))
    return { arrayValue: { values: value.map(anyValue) } };
  return {
    kvlistValue: {
      values: Object.keys(value).map(key => ({
        key,
        value: anyValue(value[key]),
      })),
    },
  };
}
