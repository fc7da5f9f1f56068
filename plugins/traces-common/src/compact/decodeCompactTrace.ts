import type {
  AttributeValue,
  Attributes,
  Span,
  Trace,
  TraceWindow,
} from '../types';
import {
  serviceNamesOf,
  setAttribute,
  SPAN_KINDS,
  STATUS_CODES,
} from '../types';
import {
  COMPACT_TRACE_FORMAT,
  type CompactAttributes,
  type CompactTrace,
  type CompactWindow,
} from './CompactTrace';

/** Restores the `Trace` that `encodeCompactTrace` encoded. */
export function decodeCompactTrace(compact: CompactTrace): Trace {
  if (compact.format !== COMPACT_TRACE_FORMAT) {
    throw new Error(`Unsupported compact trace format '${compact.format}'`);
  }
  const { strings, spans: columns } = compact;
  const attributes = (list: CompactAttributes): Attributes => {
    const out: Attributes = {};
    for (let i = 0; i < list.length; i += 2) {
      const k = list[i] as number;
      if (k >= 0) setAttribute(out, strings[k], strings[list[i + 1] as number]);
      else setAttribute(out, strings[-k - 1], list[i + 1] as AttributeValue);
    }
    return out;
  };

  const resources = compact.resources.map(resource => ({
    serviceName: strings[resource.serviceName],
    ...(resource.serviceNamespace !== undefined && {
      serviceNamespace: strings[resource.serviceNamespace],
    }),
    attributes: attributes(resource.attributes),
    ...(resource.redactedKeys && {
      redactedKeys: resource.redactedKeys.map(k => strings[k]),
    }),
    ...(resource.owners && { owners: resource.owners }),
  }));

  const traceStart = BigInt(compact.startTimeUnixNano);
  const n = columns.parent.length;
  const spans: Span[] = new Array(n);
  const ids = columns.ids;
  // Offsets from the trace start stay exact as numbers (below 2^53 ns); only the absolute
  // nanosecond strings need BigInt.
  let offset = 0;
  for (let row = 0; row < n; row++) {
    offset += columns.startDelta[row];
    const duration = columns.durationNanos[row];
    const parentRow = columns.parent[row];
    let parentSpanId: string | undefined;
    if (parentRow >= 0)
      parentSpanId = ids.slice(parentRow * 16, parentRow * 16 + 16);
    else if (parentRow === -2) parentSpanId = columns.orphanParents[row];
    const statusMessage = columns.statusMessage[row];
    const scope = columns.scope[row];
    const redacted = columns.redactedKeys[row];
    const resourceIndex = columns.resource[row];
    spans[row] = {
      spanId: ids.slice(row * 16, row * 16 + 16),
      ...(parentSpanId !== undefined && { parentSpanId }),
      name: strings[columns.name[row]],
      serviceName: resources[resourceIndex].serviceName,
      resourceIndex,
      kind: SPAN_KINDS[columns.kind[row]],
      status: {
        code: STATUS_CODES[columns.status[row]],
        ...(statusMessage !== undefined && { message: strings[statusMessage] }),
      },
      startTimeUnixNano: (traceStart + BigInt(offset)).toString(),
      endTimeUnixNano: (traceStart + BigInt(offset + duration)).toString(),
      startMs: offset / 1e6,
      durationMs: duration / 1e6,
      attributes: attributes(columns.attributes[row]),
      events: (columns.events[row] ?? []).map(
        ([name, eventOffset, eventAttributes]) => ({
          name: strings[name],
          timeUnixNano: (traceStart + BigInt(eventOffset)).toString(),
          offsetMs: eventOffset / 1e6,
          attributes: attributes(eventAttributes),
        }),
      ),
      links: (columns.links[row] ?? []).map(
        ([traceId, spanId, linkAttributes]) => ({
          traceId,
          spanId,
          attributes: attributes(linkAttributes),
        }),
      ),
      ...(scope && {
        scope: {
          name: strings[scope[0]],
          ...(scope[1] !== undefined && { version: strings[scope[1]] }),
        },
      }),
      ...(redacted && { redactedKeys: redacted.map(k => strings[k]) }),
    };
    const subtree = compact.window?.subtree[row];
    if (subtree) {
      const [children, descendants, errors] = subtree;
      spans[row].subtree = { children, descendants, errors };
    }
  }

  const end = BigInt(compact.endTimeUnixNano);
  const window = compact.window && decodeWindow(compact.window, strings, ids);
  return {
    traceId: compact.traceId,
    startTimeUnixNano: compact.startTimeUnixNano,
    endTimeUnixNano: compact.endTimeUnixNano,
    durationMs: Number(end - traceStart) / 1e6,
    spanCount: window ? window.totalSpans : n,
    services: window ? window.services.map(s => s.name) : serviceNamesOf(spans),
    resources,
    spans,
    ...(compact.partial && { partial: true }),
    ...(compact.partialMessage !== undefined && {
      partialMessage: compact.partialMessage,
    }),
    ...(window && { window }),
  };
}

function decodeWindow(
  window: CompactWindow,
  strings: string[],
  ids: string,
): TraceWindow {
  const idOf = (row: number) => ids.slice(row * 16, row * 16 + 16);
  return {
    totalSpans: window.totalSpans,
    errorCount: window.errorCount,
    windowSpans: window.windowSpans,
    services: window.services.map(([name, spanCount, errorCount]) => ({
      name: strings[name],
      spanCount,
      errorCount,
    })),
    criticalPath: window.criticalPath.map(([row, start, end]) => ({
      spanId: idOf(row),
      startMs: start / 1e6,
      endMs: end / 1e6,
    })),
    ...(window.continuation && {
      continuation: {
        spanId: window.continuation[0],
        from: window.continuation[1],
      },
    }),
  };
}
