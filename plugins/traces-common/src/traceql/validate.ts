import { analyzeTraceQL, type SyntaxNode } from './analyze';
import { TraceQLSyntaxError } from './errors';
import { toWellFormed } from './tempoLexer';

/** Result of {@link validateTraceQL}; `from` and `to` are UTF-16 offsets for highlighting. */
export type TraceQLValidation =
  | { valid: true }
  | { valid: false; from: number; to: number; message: string };

/**
 * Checks a user's TraceQL query the way scopeQuery will, so the frontend can show the problem
 * before sending it, for example `Unclosed { at column 1` or `Unexpected '}' at column 27`.
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

/**
 * Parses a query that must be valid, for code that evaluates TraceQL itself (the embedded store).
 * `query` is the text the tree's offsets refer to (lone surrogates replaced). Beware: lezer's tree
 * does not follow Tempo's operator precedence (Tempo's `&&` and `||` bind equally, left to right;
 * lezer binds `&&` tighter) and leaves some tokens (`-`, `!`, `~`, parentheses) unnamed, so read
 * it as a token stream rather than as Tempo's syntax tree.
 *
 * @throws TraceQLSyntaxError as {@link validateTraceQL} would report it.
 */
export function parseTraceQL(query: string): {
  query: string;
  top: SyntaxNode;
} {
  const text = toWellFormed(query);
  const { problem, top } = analyzeTraceQL(text);
  if (problem) {
    throw new TraceQLSyntaxError(problem.message, problem.from, problem.to);
  }
  return { query: text, top };
}
