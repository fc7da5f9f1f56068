import type { Trace } from '../types';
import { SPAN_KINDS, STATUS_CODES } from '../types';
import type { CompactTrace } from './CompactTrace';
import { CompactTraceBuilder } from './CompactTraceBuilder';

/** The producer for API `Trace`s (tests, the JSON-shaped paths): `decodeCompactTrace`'s inverse. */
export function encodeCompactTrace(trace: Trace): CompactTrace {
  const builder = new CompactTraceBuilder();
  builder.setTraceId(trace.traceId);
  builder.setBounds(
    builder.offset(trace.startTimeUnixNano),
    builder.offset(trace.endTimeUnixNano),
  );
  if (trace.partial) builder.setPartial(trace.partialMessage);
  for (const resource of trace.resources) builder.addResource(resource);
  for (const span of trace.spans) {
    const handle = builder.addSpan({
      spanId: span.spanId,
      parentSpanId: span.parentSpanId ?? '',
      name: builder.string(span.name),
      resource: span.resourceIndex,
      kind: SPAN_KINDS.indexOf(span.kind),
      status: STATUS_CODES.indexOf(span.status.code),
      statusMessage:
        span.status.message === undefined
          ? -1
          : builder.string(span.status.message),
      start: builder.offset(span.startTimeUnixNano),
      end: builder.offset(span.endTimeUnixNano),
      attributes: builder.attributes(span.attributes),
    });
    for (const event of span.events) {
      builder.addEvent(
        handle,
        builder.string(event.name),
        builder.offset(event.timeUnixNano),
        builder.attributes(event.attributes),
      );
    }
    for (const link of span.links) {
      builder.addLink(
        handle,
        link.traceId,
        link.spanId,
        builder.attributes(link.attributes),
      );
    }
    if (span.scope) {
      builder.setScope(
        handle,
        builder.string(span.scope.name),
        span.scope.version === undefined
          ? -1
          : builder.string(span.scope.version),
      );
    }
    if (span.redactedKeys) {
      builder.setRedactedKeys(
        handle,
        span.redactedKeys.map(key => builder.string(key)),
      );
    }
  }
  return builder.build(trace.traceId)!;
}
