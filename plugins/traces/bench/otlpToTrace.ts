/*
 * OTLP/JSON export requests (what gen-large-trace.js writes, what Tempo ingests) as the API's
 * `Trace`, the shape the browser works on: the shared OTLP/JSON producer into one compact
 * trace, decoded as the browser decodes the backend's answer.
 */
import {
  addOtlpJson,
  CompactTraceBuilder,
  decodeCompactTrace,
  type OtlpTracesData,
  type Trace,
} from '@backstage-traces/plugin-traces-common';

export function otlpToTrace(requests: string[]): Trace {
  const builder = new CompactTraceBuilder();
  for (const body of requests) {
    addOtlpJson(
      builder,
      (JSON.parse(body) as OtlpTracesData).resourceSpans ?? [],
    );
  }
  const compact = builder.build();
  if (!compact) throw new Error('The OTLP requests hold no span');
  return decodeCompactTrace(compact);
}
