/*
 * Turns the generator's OTLP/JSON export requests into the body Tempo's /api/v2/traces/{id}
 * would answer for the same trace (gogo jsonpb: base64 IDs, enum names, int64 strings), so
 * byte counts and decoding are measured against what Tempo really sends.
 */
// The shared generator of the large-trace goals (a copy; ../shared is not part of a clone).
// The repository's shared trace generator is a script, not a package.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  generateTrace,
  toOtlpRequests,
} from '../../../bench/gen-large-trace.js';

const KINDS = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
const CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

const base64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

/** The generated trace as OTLP/JSON export requests (each up to ~4 MB of text). */
export function otlpRequestsOfGeneratedTrace(
  spans: number,
  seed = 1,
  baseTimeMs?: number,
): string[] {
  return toOtlpRequests(
    generateTrace({
      spans,
      seed,
      ...(baseTimeMs !== undefined && { baseTimeMs }),
    }),
  );
}

/** One export request's `resourceSpans` in Tempo's JSON shape. */
export function tempoResourceSpansOf(requestText: string): any[] {
  const resourceSpans = JSON.parse(requestText).resourceSpans;
  for (const batch of resourceSpans) {
    for (const scope of batch.scopeSpans) {
      for (const span of scope.spans) {
        span.traceId = base64(span.traceId);
        span.spanId = base64(span.spanId);
        if (span.parentSpanId) span.parentSpanId = base64(span.parentSpanId);
        if (span.kind) span.kind = KINDS[span.kind];
        if (span.status?.code) span.status.code = CODES[span.status.code];
      }
    }
  }
  return resourceSpans;
}

export function tempoJsonOfGeneratedTrace(
  spans: number,
  seed = 1,
  baseTimeMs?: number,
): any {
  const requests = otlpRequestsOfGeneratedTrace(spans, seed, baseTimeMs);
  return { trace: { resourceSpans: requests.flatMap(tempoResourceSpansOf) } };
}
