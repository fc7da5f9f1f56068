// Types for the copied generator (gen-large-trace.js), as far as the benchmarks use it.
export interface GeneratedTrace {
  traceId: string;
  seed: number;
  spans: number;
  maxDepth: number;
  baseTimeMs: number;
}
export function generateTrace(options: {
  spans: number;
  seed?: number;
  baseTimeMs?: number;
}): GeneratedTrace;
export function toOtlpRequests(
  trace: GeneratedTrace,
  maxBytes?: number,
): string[];
export function toJaeger(trace: GeneratedTrace): unknown;
