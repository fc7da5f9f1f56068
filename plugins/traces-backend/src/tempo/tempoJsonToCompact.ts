import {
  otlpJsonToCompact,
  type CompactTrace,
} from '@backstage-traces/plugin-traces-common';
import type { TempoTraceByIdV2 } from './wireTypes';

/**
 * Tempo's JSON answer of a trace by ID (when it does not answer protobuf) through the shared
 * OTLP/JSON producer. Undefined when Tempo has no spans for the trace (v2 answers 200
 * `{"trace":{}}`).
 */
export function tempoJsonToCompact(
  requestedTraceId: string,
  body: TempoTraceByIdV2,
): CompactTrace | undefined {
  const partial = body.status === 'PARTIAL' || body.status === 1;
  return otlpJsonToCompact(body.trace?.resourceSpans ?? [], {
    traceId: requestedTraceId,
    ...(partial && {
      partialMessage: body.message || 'Tempo returned only part of this trace',
    }),
  });
}
