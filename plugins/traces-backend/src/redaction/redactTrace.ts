import type { Span, Trace, TraceSummary } from '@backstage-traces/plugin-traces-common';
import type { Redactor } from './Redactor';

/** Masks secrets in every attribute map of a trace, in place (the trace is ours). */
export function redactTrace(trace: Trace, redactor: Redactor): Trace {
  if (!redactor.enabled) return trace;
  for (const resource of trace.resources) {
    const { attributes, redactedKeys } = redactor.redactAttributes(
      resource.attributes,
    );
    if (redactedKeys.length) {
      resource.attributes = attributes;
      resource.redactedKeys = redactedKeys;
    }
  }
  for (const span of trace.spans) redactSpan(span, redactor);
  return trace;
}

function redactSpan(span: Span, redactor: Redactor) {
  const keys: string[] = [];
  const own = redactor.redactAttributes(span.attributes);
  span.attributes = own.attributes;
  keys.push(...own.redactedKeys);
  for (const item of [...span.events, ...span.links]) {
    const nested = redactor.redactAttributes(item.attributes);
    item.attributes = nested.attributes;
    keys.push(...nested.redactedKeys);
  }
  if (keys.length) span.redactedKeys = [...new Set(keys)];
}

export function redactSearchResults(
  traces: TraceSummary[],
  redactor: Redactor,
) {
  if (!redactor.enabled) return traces;
  for (const trace of traces) {
    for (const span of trace.matchedSpans) {
      const { attributes, redactedKeys } = redactor.redactAttributes(
        span.attributes,
      );
      if (redactedKeys.length) {
        span.attributes = attributes;
        span.redactedKeys = redactedKeys;
      }
    }
  }
  return traces;
}
