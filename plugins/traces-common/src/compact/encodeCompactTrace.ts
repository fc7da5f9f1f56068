import type { Attributes, Trace } from '../types';
import { SPAN_KINDS, STATUS_CODES } from '../types';
import {
  COMPACT_TRACE_FORMAT,
  createCompactColumns,
  type CompactAttributes,
  type CompactTrace,
} from './CompactTrace';

class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  add(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(value);
      this.index.set(value, i);
    }
    return i;
  }
}

export function encodeCompactTrace(trace: Trace): CompactTrace {
  const table = new StringTable();
  const attributes = (source: Attributes): CompactAttributes => {
    const out: CompactAttributes = [];
    for (const key of Object.keys(source)) {
      const value = source[key];
      const k = table.add(key);
      if (typeof value === 'string') out.push(k, table.add(value));
      else out.push(-k - 1, value);
    }
    return out;
  };

  const traceStart = BigInt(trace.startTimeUnixNano);
  const rowOf = new Map<string, number>();
  trace.spans.forEach((span, row) => rowOf.set(span.spanId, row));

  const n = trace.spans.length;
  const spans = createCompactColumns(n);
  const ids: string[] = new Array(n);
  let previousStart = traceStart;

  trace.spans.forEach((span, row) => {
    ids[row] = span.spanId;
    if (span.parentSpanId === undefined) {
      spans.parent[row] = -1;
    } else {
      const parentRow = rowOf.get(span.parentSpanId);
      if (parentRow === undefined) {
        spans.parent[row] = -2;
        spans.orphanParents[row] = span.parentSpanId;
      } else {
        spans.parent[row] = parentRow;
      }
    }
    spans.name[row] = table.add(span.name);
    spans.resource[row] = span.resourceIndex;
    spans.kind[row] = SPAN_KINDS.indexOf(span.kind);
    spans.status[row] = STATUS_CODES.indexOf(span.status.code);
    if (span.status.message !== undefined) {
      spans.statusMessage[row] = table.add(span.status.message);
    }
    const start = BigInt(span.startTimeUnixNano);
    spans.startDelta[row] = Number(start - previousStart);
    previousStart = start;
    spans.durationNanos[row] = Number(BigInt(span.endTimeUnixNano) - start);
    spans.attributes[row] = attributes(span.attributes);
    if (span.events.length) {
      spans.events[row] = span.events.map(event => [
        table.add(event.name),
        Number(BigInt(event.timeUnixNano) - traceStart),
        attributes(event.attributes),
      ]);
    }
    if (span.links.length) {
      spans.links[row] = span.links.map(link => [
        link.traceId,
        link.spanId,
        attributes(link.attributes),
      ]);
    }
    if (span.scope) {
      spans.scope[row] =
        span.scope.version === undefined
          ? [table.add(span.scope.name)]
          : [table.add(span.scope.name), table.add(span.scope.version)];
    }
    if (span.redactedKeys?.length) {
      spans.redactedKeys[row] = span.redactedKeys.map(key => table.add(key));
    }
  });
  spans.ids = ids.join('');

  return {
    format: COMPACT_TRACE_FORMAT,
    traceId: trace.traceId,
    startTimeUnixNano: trace.startTimeUnixNano,
    endTimeUnixNano: trace.endTimeUnixNano,
    ...(trace.partial && { partial: true }),
    ...(trace.partialMessage !== undefined && {
      partialMessage: trace.partialMessage,
    }),
    resources: trace.resources.map(resource => ({
      serviceName: table.add(resource.serviceName),
      ...(resource.serviceNamespace !== undefined && {
        serviceNamespace: table.add(resource.serviceNamespace),
      }),
      attributes: attributes(resource.attributes),
      ...(resource.redactedKeys && {
        redactedKeys: resource.redactedKeys.map(key => table.add(key)),
      }),
      ...(resource.owners && { owners: resource.owners }),
    })),
    spans,
    strings: table.strings,
  };
}
