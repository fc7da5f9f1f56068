import { analyzeTraceQL } from './analyze';
import { toWellFormed } from './tempoLexer';

/** Result of {@link validateTraceQL}; `from` and `to` are UTF-16 offsets for highlighting. */
export type TraceQLValidation =
  | { valid: true }
  | { valid: false; from: number; to: number; message: string };

/**
 * Checks a user's TraceQL query the way scopeQuery will, so the frontend can show the problem
 * before sending it, for example "Unclosed { at column 1" or "Unexpected '}' at column 27".
 * An empty query is valid: it means all spans of the entity.
 */
export function validateTraceQL(query: string): TraceQLValidation {
  if (query.trim() === '') {
    return { valid: true };
  }
  const { problem } = analyzeTraceQL(toWellFormed(query));
  return problem ? { valid: false, ...problem } : { valid: true };
}

/**
 * Whether the query computes metrics (`rate()`, `count_over_time()`, `quantile_over_time(…)`,
 * `histogram_over_time(…)`, `compare(…)`, `topk(…)`, …) and so belongs on Tempo's metrics API
 * rather than on search. Best effort for invalid queries: it looks at whatever lezer recognized.
 */
export function isMetricsQuery(query: string): boolean {
  return analyzeTraceQL(toWellFormed(query)).hasMetrics;
}
