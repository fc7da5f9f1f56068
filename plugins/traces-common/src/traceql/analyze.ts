import { parser } from '@grafana/lezer-traceql';
import { tempoAttributeEnd } from './tempoLexer';

type Tree = ReturnType<typeof parser.parse>;
/** A lezer syntax node (typed without importing `@lezer/common`, which is not a direct dependency). */
export type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

export interface Range {
  from: number;
  to: number;
}

/** Why a query is rejected; offsets are UTF-16 positions in the query. */
export interface QueryProblem extends Range {
  message: string;
}

export interface QueryAnalysis {
  /** The spanset filters (`{ … }`), in document order. */
  filters: SyntaxNode[];
  /** String literals and attribute names: characters inside them are data, not syntax. */
  opaque: Range[];
  /** Whether a metrics function (rate, quantile_over_time, topk, …) occurs. */
  hasMetrics: boolean;
  /** The first reason the query is rejected, if any. */
  problem?: QueryProblem;
  /** The root of lezer's syntax tree. */
  top: SyntaxNode;
}

// Pipeline stages that transform spans but cannot be where spans come from.
const STAGE_NODES = new Set([
  'ScalarFilter',
  'GroupOperation',
  'SelectOperation',
  'CoalesceOperation',
  'MetricsOperation',
  'MetricsAggregatorFunctions',
]);
const OPERATOR_NODES = new Set([
  'And',
  'Or',
  'Gt',
  'Lt',
  'Desc',
  'Anc',
  'Pipe',
  'ExperimentalOp',
  'UnionStructuralOp',
  'FieldOp',
  'ScalarOp',
  'ComparisonOp',
]);
// lezer's parser force-reduces a left-associative chain after about 300 long reductions with the
// same start (to bound tree depth), which makes a valid query fail to parse. Refusing long chains
// up front gives a clear message, and leaves room for the scope condition that scoping appends.
const MAX_CHAIN_LENGTH = 250;

const EXPRESSION_NODES = new Set([
  'SpansetPipelineExpression',
  'SpansetExpression',
  'WrappedSpansetPipeline',
  'SpansetPipeline',
]);

/**
 * Parses a TraceQL query with the lezer grammar and checks that Tempo's Go lexer would split it into
 * the same tokens. Scoping rewrites the query along lezer's tree, so a query on which the two parsers
 * could disagree (for example an attribute name containing a line break followed by `//`, which lezer
 * reads as part of the name and Tempo as a comment) must be rejected, not rewritten.
 */
export function analyzeTraceQL(query: string): QueryAnalysis {
  const tree = parser.parse(query);
  const filters: SyntaxNode[] = [];
  const opaque: Range[] = [];
  const comments: Range[] = [];
  const problems: QueryProblem[] = [];
  let syntaxError: Range | undefined;
  let hasMetrics = false;
  // Binary operators per start of the expression they belong to: the length of each chain.
  const chains = new Map<number, { count: number; range: Range }>();

  tree.iterate({
    enter(ref) {
      if (ref.type.isError) {
        if (!syntaxError || ref.from < syntaxError.from) {
          syntaxError = { from: ref.from, to: ref.to };
        }
        return undefined;
      }
      if (OPERATOR_NODES.has(ref.name)) {
        const parent = ref.node.parent;
        if (parent) {
          const chain = chains.get(parent.from);
          if (chain) {
            chain.count++;
            chain.range.to = Math.max(chain.range.to, parent.to);
          } else {
            chains.set(parent.from, {
              count: 1,
              range: { from: parent.from, to: parent.to },
            });
          }
        }
      }
      switch (ref.name) {
        case 'SpansetFilter':
          filters.push(ref.node);
          break;
        case 'MetricsOperation':
        case 'MetricsAggregatorFunctions':
          hasMetrics = true;
          break;
        case 'String':
          opaque.push({ from: ref.from, to: ref.to });
          checkString(query, ref, problems);
          return false;
        case 'Identifier':
          opaque.push({ from: ref.from, to: ref.to });
          checkAttributeName(query, ref.node, problems);
          return false;
        case 'LineComment':
        case 'BlockComment':
          comments.push({ from: ref.from, to: ref.to });
          problems.push(problemAt(query, ref, 'Comments are not supported'));
          return false;
        case 'TemplateVariable':
          problems.push(
            problemAt(
              query,
              ref,
              `Template variable ${snippet(query, ref)} is not supported`,
            ),
          );
          return false;
        case 'Integer':
        case 'Float':
        case 'Duration':
          checkNumberEnd(query, ref, problems);
          return false;
        default:
      }
      return undefined;
    },
  });

  const nul = query.indexOf('\0');
  const longChain = [...chains.values()].find(
    chain => chain.count > MAX_CHAIN_LENGTH,
  );
  let problem: QueryProblem | undefined;
  if (nul >= 0) {
    problem = problemAt(
      query,
      { from: nul, to: nul + 1 },
      'NUL characters are not allowed',
    );
  } else if (longChain) {
    problem = problemAt(
      query,
      longChain.range,
      `More than ${MAX_CHAIN_LENGTH} operators in a row; group them with parentheses, starting`,
    );
  } else if (syntaxError) {
    problem = describeSyntaxError(query, syntaxError, [...opaque, ...comments]);
  } else {
    const stray = findStrayCharacter(query, [...opaque, ...comments]);
    if (stray) problems.push(stray);
    problem =
      problems.sort((a, b) => a.from - b.from)[0] ??
      findSourcelessStage(query, tree);
  }
  return { filters, opaque, hasMetrics, problem, top: tree.topNode };
}

/**
 * Scans `[from, to)` outside `opaque` ranges of a query that passed {@link analyzeTraceQL}; its
 * tokens match Tempo's, so raw `(`, `)` and `||` there are real operators. Reports whether the
 * parentheses balance and whether `||` occurs outside all of them.
 */
export function scanOperators(
  query: string,
  range: Range,
  opaque: Range[],
): { balanced: boolean; topLevelOr: boolean } {
  let depth = 0;
  let balanced = true;
  let topLevelOr = false;
  forEachSyntaxChar(query, range, opaque, (char, i) => {
    if (char === '(') depth++;
    else if (char === ')' && --depth < 0) balanced = false;
    else if (char === '|' && query[i + 1] === '|' && depth === 0)
      topLevelOr = true;
  });
  return { balanced: balanced && depth === 0, topLevelOr };
}

/**
 * Calls `visit` for each character of `range` outside the `skip` ranges. `visit` may return false to
 * stop, or an offset to resume from.
 */
function forEachSyntaxChar(
  query: string,
  range: Range,
  skip: Range[],
  visit: (char: string, index: number) => boolean | number | void,
): void {
  const sorted = [...skip].sort((a, b) => a.from - b.from);
  let next = 0;
  let i = range.from;
  while (i < range.to) {
    while (next < sorted.length && sorted[next].to <= i) next++;
    if (next < sorted.length && sorted[next].from <= i) {
      i = sorted[next].to;
      continue;
    }
    const result = visit(query[i], i);
    if (result === false) return;
    i = typeof result === 'number' ? result : i + 1;
  }
}

function checkString(query: string, node: Range, problems: QueryProblem[]) {
  // lezer accepts a raw line feed in "…"; Go's scanner ends the literal there with an error.
  const newline = query.indexOf('\n', node.from);
  if (query[node.from] === '"' && newline >= 0 && newline < node.to) {
    problems.push(
      problemAt(
        query,
        node,
        'Line break in a "…" string (use a `…` string for multi-line values)',
      ),
    );
  }
}

function checkAttributeName(
  query: string,
  identifier: SyntaxNode,
  problems: QueryProblem[],
) {
  const attribute = identifier.parent;
  if (attribute?.name !== 'AttributeField') {
    problems.push(problemAt(query, identifier, 'Unexpected attribute name'));
    return;
  }
  // Tempo reads the scope and its dot as one token and the name straight after it; lezer would
  // also accept spaces or comments in between.
  if (!/^[a-z.]*\.$/.test(query.slice(attribute.from, identifier.from))) {
    problems.push(
      problemAt(
        query,
        { from: attribute.from, to: identifier.from },
        'Unexpected space or comment in an attribute reference (write span.http.route or .name)',
      ),
    );
    return;
  }
  const end = tempoAttributeEnd(query, identifier.from);
  if (end === -1) {
    problems.push(
      problemAt(
        query,
        identifier,
        'Invalid escape in a quoted attribute name (only \\" and \\\\ are allowed)',
      ),
    );
  } else if (end !== identifier.to) {
    const at = Math.min(end, identifier.to);
    problems.push(
      problemAt(
        query,
        { from: at, to: at + 1 },
        'Attribute name with a character that needs quotes (write span."my attribute")',
      ),
    );
  }
}

function checkNumberEnd(query: string, node: Range, problems: QueryProblem[]) {
  // Tempo's lexer extends a number with following letters and dots when that makes a duration
  // (`1w`); lezer would start a new token there.
  const next = query.codePointAt(node.to);
  if (
    next !== undefined &&
    /[\p{L}\p{N}._]/u.test(String.fromCodePoint(next))
  ) {
    problems.push(
      problemAt(
        query,
        { from: node.from, to: node.to + 1 },
        `Unexpected ${snippet(query, {
          from: node.to,
          to: node.to + 1,
        })} after a number`,
      ),
    );
  }
}

// Outside literals and names TraceQL is ASCII (plus µ in durations). lezer also skips Unicode
// whitespace that Go's scanner does not, so any other character is refused.
function findStrayCharacter(
  query: string,
  skip: Range[],
): QueryProblem | undefined {
  let found: QueryProblem | undefined;
  forEachSyntaxChar(query, { from: 0, to: query.length }, skip, (char, i) => {
    if (/[\t\n\r\x20-\x7e\u00b5]/.test(char)) return true;
    const code = query.codePointAt(i)!;
    const width = code > 0xffff ? 2 : 1;
    const hex = code.toString(16).toUpperCase().padStart(4, '0');
    found = problemAt(
      query,
      { from: i, to: i + width },
      `Unexpected character '${String.fromCodePoint(code)}' (U+${hex})`,
    );
    return false;
  });
  return found;
}

/**
 * Tempo takes spans from the first element of each pipeline. A pipeline starting with
 * `count() > 1`, `select(…)`, `rate()`, … would read every span of the tenant, so such stages are
 * only accepted straight after a `|`.
 */
function findSourcelessStage(
  query: string,
  tree: Tree,
): QueryProblem | undefined {
  const stack: Array<{ node: SyntaxNode; asStage: boolean }> = [];
  for (const child of childrenOf(tree.topNode)) {
    if (EXPRESSION_NODES.has(child.name))
      stack.push({ node: child, asStage: false });
  }
  while (stack.length > 0) {
    const { node, asStage } = stack.pop()!;
    if (STAGE_NODES.has(node.name)) {
      if (asStage) continue;
      return problemAt(
        query,
        node,
        `A pipeline must start with a spanset filter such as { }, found ${snippet(
          query,
          node,
        )}`,
      );
    }
    if (node.name === 'SpansetFilter') continue;
    if (!EXPRESSION_NODES.has(node.name)) {
      // A node this check does not know (a newer grammar): refuse rather than guess.
      return problemAt(
        query,
        node,
        `Unsupported query element ${snippet(query, node)}`,
      );
    }
    const children = childrenOf(node);
    if (node.name === 'SpansetPipeline') {
      for (const child of children) stack.push({ node: child, asStage });
      continue;
    }
    const operands = children.filter(child => EXPRESSION_NODES.has(child.name));
    if (node.name === 'WrappedSpansetPipeline') {
      stack.push({ node: operands[0], asStage: false });
    } else if (operands.length === 2) {
      // `a | b` takes its spans from `a`; every other operator combines two pipelines.
      const pipe = children.some(child => child.name === 'Pipe');
      stack.push(
        { node: operands[0], asStage: false },
        { node: operands[1], asStage: pipe },
      );
    } else if (operands.length === 1) {
      // Parentheses start a new pipeline; a plain wrapper node does not.
      const wrapper = operands[0].name === 'SpansetPipeline';
      stack.push({ node: operands[0], asStage: wrapper && asStage });
    }
  }
  return undefined;
}

function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const children: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    children.push(child);
  }
  return children;
}

function describeSyntaxError(
  query: string,
  error: Range,
  skip: Range[],
): QueryProblem {
  const end = query.trimEnd().length;
  const found = scanDelimiters(query, skip);
  if (found.problem && found.problem.anchor <= error.from) {
    const { anchor, ...problem } = found.problem;
    return problem;
  }
  if (found.unclosed && error.from >= end) {
    const { char, at } = found.unclosed;
    return problemAt(query, { from: at, to: at + 1 }, `Unclosed ${char}`);
  }
  if (error.from >= end) {
    return problemAt(query, { from: end, to: end }, 'Unexpected end of query');
  }
  const to =
    error.to > error.from
      ? error.to
      : error.from + tokenLength(query, error.from);
  const unexpected = `Unexpected ${snippet(query, { from: error.from, to })}`;
  // Tempo's docs write `.99`; the lezer grammar needs the leading zero.
  const hint = /^\.\d/.test(query.slice(error.from))
    ? ' (write decimals with a leading zero, such as 0.99)'
    : '';
  return problemAt(query, { from: error.from, to }, `${unexpected}${hint}`);
}

// Only for error messages: finds unterminated strings, unsupported escapes and unbalanced brackets
// in text that lezer did not recognize.
function scanDelimiters(
  query: string,
  skip: Range[],
): {
  problem?: QueryProblem & { anchor: number };
  unclosed?: { char: string; at: number };
} {
  const open: Array<{ char: string; at: number }> = [];
  const closers: Record<string, string> = { '}': '{', ')': '(' };
  // `anchor` orders this against lezer's first error: a bad literal counts from its opening quote.
  let problem: (QueryProblem & { anchor: number }) | undefined;
  forEachSyntaxChar(query, { from: 0, to: query.length }, skip, (char, i) => {
    if (char === '"' || char === '`') {
      const literal = scanLiteral(query, i);
      if ('problem' in literal) {
        problem = { ...literal.problem, anchor: i };
        return false;
      }
      return literal.end;
    }
    if (char === '{' || char === '(') {
      open.push({ char, at: i });
    } else if (char === '}' || char === ')') {
      const last = open.pop();
      if (last?.char !== closers[char]) {
        problem = last
          ? {
              from: last.at,
              to: i + 1,
              anchor: i,
              message: `Unclosed ${last.char} at ${positionText(
                query,
                last.at,
              )}: found ${char} at ${positionText(query, i)}`,
            }
          : {
              ...problemAt(
                query,
                { from: i, to: i + 1 },
                `Unexpected ${char} without a matching ${closers[char]}`,
              ),
              anchor: i,
            };
        return false;
      }
    }
    return true;
  });
  return { problem, unclosed: open[open.length - 1] };
}

function scanLiteral(
  query: string,
  start: number,
): { end: number } | { problem: QueryProblem } {
  const quote = query[start];
  for (let i = start + 1; i < query.length; i++) {
    const char = query[i];
    if (char === quote) return { end: i + 1 };
    if (quote === '"' && char === '\n') break;
    if (quote === '"' && char === '\\') {
      const escaped = query[i + 1];
      if (escaped !== '"' && escaped !== '\\') {
        return {
          problem: problemAt(
            query,
            { from: i, to: i + 2 },
            `Unsupported escape \\${printable(
              escaped ?? '',
            )} in a string (only \\" and \\\\ are allowed)`,
          ),
        };
      }
      i++;
    }
  }
  return {
    problem: problemAt(
      query,
      { from: start, to: start + 1 },
      'Unterminated string',
    ),
  };
}

function printable(char: string): string {
  return char.charCodeAt(0) < 0x20 ? JSON.stringify(char).slice(1, -1) : char;
}

function tokenLength(query: string, from: number): number {
  const match = /^(?:[\p{L}\p{N}_.:]+|\S)/u.exec(query.slice(from, from + 40));
  return match ? match[0].length : 1;
}

function snippet(query: string, range: Range): string {
  const text = query.slice(range.from, range.to).split('\n')[0];
  return `'${text.length > 30 ? `${text.slice(0, 30)}…` : text}'`;
}

function problemAt(query: string, range: Range, message: string): QueryProblem {
  return {
    from: range.from,
    to: Math.max(range.from, range.to),
    message: `${message} at ${positionText(query, range.from)}`,
  };
}

function positionText(query: string, offset: number): string {
  const lineStart = query.lastIndexOf('\n', offset - 1) + 1;
  const column = offset - lineStart + 1;
  if (!query.includes('\n')) return `column ${column}`;
  const line = query.slice(0, lineStart).split('\n').length;
  return `line ${line}, column ${column}`;
}

/**
 * Analyses `condition` as the content of one spanset filter, as the scope condition of scopeQuery
 * must be. `topLevelOr` tells whether it needs parentheses before `&&` can be appended to it.
 * Offsets in `problem` refer to `{ condition }`.
 */
export function analyzeCondition(condition: string): {
  problem?: QueryProblem;
  topLevelOr: boolean;
} {
  const query = `{ ${condition} }`;
  const analysis = analyzeTraceQL(query);
  const filter = analysis.filters[0];
  if (analysis.problem) {
    return { problem: analysis.problem, topLevelOr: false };
  }
  if (
    analysis.filters.length !== 1 ||
    filter.from !== 0 ||
    filter.to !== query.length ||
    condition.trim() === ''
  ) {
    return {
      problem: {
        from: 0,
        to: condition.length,
        message: 'Expected the content of one { } filter',
      },
      topLevelOr: false,
    };
  }
  const inner = { from: 2, to: query.length - 2 };
  return {
    topLevelOr: scanOperators(query, inner, analysis.opaque).topLevelOr,
  };
}
