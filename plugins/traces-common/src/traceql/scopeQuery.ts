import {
  analyzeCondition,
  analyzeTraceQL,
  type Range,
  scanOperators,
} from './analyze';
import { TraceQLSyntaxError } from './errors';
import { toWellFormed } from './tempoLexer';

/**
 * Restricts a user's TraceQL query to the spans matching `condition` (usually from
 * buildScopeCondition, possibly combined with buildFilterCondition).
 *
 * An empty query becomes `{ <condition> }`. Otherwise every spanset filter `{ inner }` becomes
 * `{ (inner) && <condition> }` (`{ <condition> }` for `{}`), wherever it occurs: in structural
 * expressions, on both sides of `&&`/`||`, in pipelines and in `compare(…)`. Everything else, such
 * as `| select(…)`, `| rate() by (…)` or `with (…)`, is kept verbatim. Every span a search or
 * TraceQL metrics query can return then satisfies `condition`. The condition is parenthesised
 * when it has a top-level `||`. Lone UTF-16 surrogates are replaced with U+FFFD, as sending the
 * query as UTF-8 would.
 *
 * @throws TraceQLSyntaxError when the query does not parse, could be read differently by Tempo
 *   than by the lezer grammar used here (comments, template variables, unusual whitespace,
 *   attribute names that need quoting), or has a pipeline that does not start with a spanset
 *   filter (such as `count() > 2` alone, which would read every span).
 * @throws Error when `condition` is empty or is not the content of a single spanset filter; that
 *   is a programming error, not bad user input.
 */
export function scopeQuery(
  userQuery: string | undefined,
  condition: string,
): string {
  const scope = prepareCondition(condition);
  if (userQuery === undefined || userQuery.trim() === '') {
    return `{ ${scope.text} }`;
  }

  // Lone surrogates become U+FFFD when the query is sent as UTF-8; do it first so that lezer, which
  // rejects them, sees what Tempo will. Offsets do not move.
  const query = toWellFormed(userQuery);
  const analysis = analyzeTraceQL(query);
  if (analysis.problem) {
    const { message, from, to } = analysis.problem;
    throw new TraceQLSyntaxError(message, from, to);
  }

  let scoped = '';
  let copied = 0;
  const filters: Range[] = [];
  const inners: Range[] = [];
  for (const filter of analysis.filters) {
    const inner = filter.getChild('FieldExpression');
    scoped += query.slice(copied, filter.from);
    const from = scoped.length;
    if (inner) {
      scoped += `{ (`;
      inners.push({
        from: scoped.length,
        to: scoped.length + inner.to - inner.from,
      });
      scoped += `${query.slice(inner.from, inner.to)}) && ${scope.operand} }`;
    } else {
      scoped += `{ ${scope.text} }`;
    }
    filters.push({ from, to: scoped.length });
    copied = filter.to;
  }
  scoped += query.slice(copied);

  assertScoped(scoped, filters, inners);
  return scoped;
}

/** The trimmed condition, and the form appended after `&&` (parenthesised if it has a top-level `||`). */
function prepareCondition(condition: string): {
  text: string;
  operand: string;
} {
  const text = condition.trim();
  if (text === '') {
    throw new Error('scopeQuery needs a non-empty scope condition');
  }
  const { problem, topLevelOr } = analyzeCondition(text);
  if (problem) {
    throw new Error(`Invalid TraceQL scope condition: ${problem.message}`);
  }
  return { text, operand: topLevelOr ? `(${text})` : text };
}

/**
 * Defensive re-check of the rewritten query: it must parse cleanly, contain exactly the filters that
 * were written, and each user expression must be closed by the parenthesis added after it, so the
 * condition is a top-level operand of `&&` in each filter.
 */
function assertScoped(scoped: string, expected: Range[], inners: Range[]) {
  const analysis = analyzeTraceQL(scoped);
  if (analysis.problem) {
    throw new Error(
      `Scoped TraceQL query does not parse: ${analysis.problem.message}`,
    );
  }
  const found = analysis.filters;
  if (
    found.length !== expected.length ||
    found.some(
      (filter, i) =>
        filter.from !== expected[i].from || filter.to !== expected[i].to,
    )
  ) {
    throw new Error(
      'Scoped TraceQL query does not have the expected spanset filters',
    );
  }
  if (
    inners.some(
      inner => !scanOperators(scoped, inner, analysis.opaque).balanced,
    )
  ) {
    throw new Error(
      'Scoped TraceQL query has unbalanced parentheses in a spanset filter',
    );
  }
}
