import {
  parseTraceQL,
  type TraceQLSyntaxNode,
} from '@backstage-traces/plugin-traces-common';
import { InputError } from '@backstage/errors';
import type {
  AttributeScope,
  ComparisonOp,
  Field,
  FieldExpr,
  IntrinsicName,
  Literal,
  MetricsOp,
  Query,
  SpansetExpr,
  StructuralOp,
} from './ast';
import { parseGoDuration } from './duration';

// ---------------------------------------------------------------------------------------------
// Token streams

type Token =
  | { type: 'atom'; node: TraceQLSyntaxNode }
  | { type: 'op'; text: string; from: number }
  | { type: '(' | ')'; from: number };

const SPANSET_ATOMS = new Set([
  'SpansetFilter',
  'MetricsOperation',
  'MetricsAggregatorFunctions',
  'SelectOperation',
  'GroupOperation',
  'CoalesceOperation',
  'ScalarFilter',
]);
const SPANSET_OPERATORS = new Set([
  'And',
  'Or',
  'Gt',
  'Lt',
  'Desc',
  'Anc',
  'Pipe',
  'ExperimentalOp',
  'UnionStructuralOp',
]);
const FIELD_ATOMS = new Set(['AttributeField', 'IntrinsicField', 'Static']);
const FIELD_OPERATORS = new Set(['FieldOp', 'And', 'Or']);

/**
 * The tokens under `node` in document order: `atoms` whole, named operators by their text, and
 * the unnamed punctuation in `punctuation` found between them. The query passed lezer's and the
 * Tempo-lexer checks, so the text between named nodes holds only spaces and punctuation.
 */
function linearize(
  query: string,
  node: TraceQLSyntaxNode,
  atoms: ReadonlySet<string>,
  operators: ReadonlySet<string>,
  punctuation: string,
): Token[] {
  const tokens: Token[] = [];
  let pos = node.from;
  const gap = (to: number) => {
    for (let i = pos; i < to; i++) {
      const char = query[i];
      if (char === '(' || char === ')') {
        if (punctuation.includes(char)) tokens.push({ type: char, from: i });
      } else if (punctuation.includes(char)) {
        tokens.push({ type: 'op', text: char, from: i });
      }
    }
    pos = Math.max(pos, to);
  };
  const visit = (parent: TraceQLSyntaxNode) => {
    for (let child = parent.firstChild; child; child = child.nextSibling) {
      gap(child.from);
      if (child.name === 'WithHint') {
        // Query hints (`with (sample=true)`) tune Tempo's sampling; the embedded store reads everything.
      } else if (atoms.has(child.name)) {
        tokens.push({ type: 'atom', node: child });
      } else if (operators.has(child.name)) {
        tokens.push({ type: 'op', text: text(query, child), from: child.from });
      } else if (child.firstChild) {
        visit(child);
        continue;
      } else {
        throw unsupported(query, child);
      }
      pos = child.to;
    }
  };
  visit(node);
  gap(node.to);
  return tokens;
}

function text(query: string, node: { from: number; to: number }): string {
  return query.slice(node.from, node.to);
}

function snippet(query: string, node: { from: number; to: number }): string {
  const value = text(query, node).replace(/\s+/g, ' ');
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

function unsupported(
  query: string,
  node: { from: number; to: number },
  what?: string,
): InputError {
  return new InputError(
    `${
      what ?? `'${snippet(query, node)}'`
    } is not supported by the embedded store`,
  );
}

// ---------------------------------------------------------------------------------------------
// Spanset level: Tempo's precedence is PIPE < (AND, OR) < structural operators, all left-assoc.

const STRUCTURAL = new Set<string>([
  '>>',
  '>',
  '<<',
  '<',
  '~',
  '!>>',
  '!>',
  '!<<',
  '!<',
  '!~',
  '&>>',
  '&>',
  '&<<',
  '&<',
  '&~',
]);

function spansetPrecedence(op: string): number {
  if (op === '|') return 1;
  if (op === '&&' || op === '||') return 2;
  if (STRUCTURAL.has(op)) return 3;
  return -1;
}

type SpansetNode =
  | { kind: 'atom'; node: TraceQLSyntaxNode }
  | {
      kind: 'binary';
      op: string;
      lhs: SpansetNode;
      rhs: SpansetNode;
      from: number;
    };

/** A cursor over a token stream, shared by the spanset and field-expression parsers. */
class TokenParser {
  protected index = 0;
  protected readonly query: string;
  protected readonly tokens: Token[];
  private readonly end: string;

  constructor(query: string, tokens: Token[], end: string) {
    this.query = query;
    this.tokens = tokens;
    this.end = end;
  }

  protected unexpected(token: Token | undefined): InputError {
    if (!token)
      return new InputError(`Invalid TraceQL: unexpected end of ${this.end}`);
    const at =
      token.type === 'atom'
        ? token.node
        : { from: token.from, to: token.from + 1 };
    return new InputError(
      `Invalid TraceQL: unexpected '${snippet(this.query, at)}' at column ${
        at.from + 1
      }`,
    );
  }
}

class SpansetParser extends TokenParser {
  parseAll(): SpansetNode {
    const tree = this.parseExpression(0);
    if (this.index < this.tokens.length) {
      throw this.unexpected(this.tokens[this.index]);
    }
    return tree;
  }

  private parseExpression(minPrecedence: number): SpansetNode {
    let lhs = this.parsePrimary();
    for (;;) {
      const token = this.tokens[this.index];
      if (token?.type !== 'op') return lhs;
      const precedence = spansetPrecedence(token.text);
      if (precedence < 0) throw this.unexpected(token);
      if (precedence < minPrecedence) return lhs;
      this.index++;
      const rhs = this.parseExpression(precedence + 1);
      lhs = { kind: 'binary', op: token.text, lhs, rhs, from: token.from };
    }
  }

  private parsePrimary(): SpansetNode {
    const token = this.tokens[this.index++];
    if (token?.type === 'atom') return { kind: 'atom', node: token.node };
    if (token?.type === '(') {
      const inner = this.parseExpression(0);
      const close = this.tokens[this.index++];
      if (close?.type !== ')') throw this.unexpected(close);
      return inner;
    }
    throw this.unexpected(token);
  }
}

function toQuery(query: string, tree: SpansetNode): Query {
  // The pipeline's last stages may be select(…) and one metrics function.
  const stages: SpansetNode[] = [];
  let source = tree;
  while (source.kind === 'binary' && source.op === '|') {
    stages.unshift(source.rhs);
    source = source.lhs;
  }
  const select: Field[] = [];
  let metrics: MetricsOp | undefined;
  const filters: FieldExpr[] = [];
  stages.forEach((stage, i) => {
    const name = stage.kind === 'atom' ? stage.node.name : '';
    if (stage.kind === 'atom' && name === 'MetricsOperation') {
      if (i !== stages.length - 1) {
        throw new InputError(
          'Invalid TraceQL: a metrics function must be the last stage of the query',
        );
      }
      metrics = toMetrics(query, stage.node);
    } else if (stage.kind === 'atom' && name === 'SelectOperation') {
      select.push(...selectFields(query, stage.node));
    } else if (stage.kind === 'atom' && name === 'SpansetFilter') {
      if (select.length > 0)
        throw unsupported(query, stage.node, 'A filter after select()');
      const filter = toFilter(query, stage.node).filter;
      if (filter) filters.push(filter);
    } else {
      throw unsupported(query, nodeRange(stage), describeStage(query, stage));
    }
  });
  let spansets = toSpansets(query, source);
  if (filters.length > 0)
    spansets = { kind: 'pipeline', source: spansets, stages: filters };
  return { spansets, select, metrics };
}

function describeStage(query: string, stage: SpansetNode): string {
  if (stage.kind === 'binary')
    return `Pipeline stage '${snippet(query, nodeRange(stage))}'`;
  switch (stage.node.name) {
    case 'GroupOperation':
      return 'by() outside a metrics function';
    case 'CoalesceOperation':
      return 'coalesce()';
    case 'ScalarFilter':
      return `Aggregate filter '${snippet(query, stage.node)}'`;
    case 'MetricsAggregatorFunctions':
      return `Metrics function '${snippet(query, stage.node)}'`;
    default:
      return `'${snippet(query, stage.node)}'`;
  }
}

function nodeRange(node: SpansetNode): { from: number; to: number } {
  if (node.kind === 'atom') return node.node;
  return { from: nodeRange(node.lhs).from, to: nodeRange(node.rhs).to };
}

function toSpansets(query: string, node: SpansetNode): SpansetExpr {
  if (node.kind === 'atom') {
    if (node.node.name === 'SpansetFilter') return toFilter(query, node.node);
    throw new InputError(
      `Invalid TraceQL: '${snippet(
        query,
        node.node,
      )}' must follow a spanset filter and |`,
    );
  }
  if (node.op === '|') {
    // A pipeline in parentheses, such as `({ a } | { b }) && { c }`.
    const inner = toQuery(query, node);
    if (inner.metrics || inner.select.length > 0) {
      throw unsupported(
        query,
        nodeRange(node),
        'A metrics function or select() inside parentheses',
      );
    }
    return inner.spansets;
  }
  const lhs = toSpansets(query, node.lhs);
  const rhs = toSpansets(query, node.rhs);
  if (node.op === '&&') return { kind: 'and', lhs, rhs };
  if (node.op === '||') return { kind: 'or', lhs, rhs };
  return { kind: 'structural', op: node.op as StructuralOp, lhs, rhs };
}

// ---------------------------------------------------------------------------------------------
// Field expressions. Tempo: (&&, ||) < comparisons < (+, -) < ! < (*, /, %) < ^; unary minus
// takes the precedence of binary minus.

const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=', '=~', '!~']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '^']);

function fieldPrecedence(op: string): number {
  if (op === '&&' || op === '||') return 1;
  if (COMPARISONS.has(op)) return 2;
  if (op === '+' || op === '-') return 3;
  if (op === '*' || op === '/' || op === '%') return 5;
  if (op === '^') return 6;
  return -1;
}

type RawField =
  | { kind: 'value'; value: Literal | Field; from: number; to: number }
  | { kind: 'node'; expr: FieldExpr; from: number; to: number };

class FieldParser extends TokenParser {
  parseAll(): FieldExpr {
    const result = this.parseExpression(0);
    if (this.index < this.tokens.length)
      throw this.unexpected(this.tokens[this.index]);
    return this.asCondition(result);
  }

  private parseExpression(minPrecedence: number): RawField {
    let lhs = this.parseUnary();
    for (;;) {
      const token = this.tokens[this.index];
      if (token?.type !== 'op') return lhs;
      const precedence = fieldPrecedence(token.text);
      if (precedence < 0) throw this.unexpected(token);
      if (precedence < minPrecedence) return lhs;
      this.index++;
      const rhs = this.parseExpression(
        token.text === '^' ? precedence : precedence + 1,
      );
      lhs = this.combine(token, lhs, rhs);
    }
  }

  private parseUnary(): RawField {
    const token = this.tokens[this.index];
    if (token?.type === 'op' && (token.text === '-' || token.text === '!')) {
      this.index++;
      const operand = this.parseExpression(token.text === '-' ? 4 : 5);
      const range = { from: token.from, to: operand.to };
      if (token.text === '!') {
        return {
          kind: 'node',
          expr: { kind: 'not', expr: this.asCondition(operand) },
          ...range,
        };
      }
      const value = operand.kind === 'value' ? operand.value : undefined;
      if (
        value?.kind === 'literal' &&
        (value.type === 'int' ||
          value.type === 'float' ||
          value.type === 'duration')
      ) {
        return {
          kind: 'value',
          value: { ...value, value: -value.value },
          ...range,
        };
      }
      throw unsupported(
        this.query,
        range,
        `Negation of '${snippet(this.query, operand)}'`,
      );
    }
    return this.parsePrimary();
  }

  private parsePrimary(): RawField {
    const token = this.tokens[this.index++];
    if (token?.type === '(') {
      const inner = this.parseExpression(0);
      const close = this.tokens[this.index++];
      if (close?.type !== ')') throw this.unexpected(close);
      return inner;
    }
    if (token?.type === 'atom') {
      return {
        kind: 'value',
        value: toOperand(this.query, token.node),
        from: token.node.from,
        to: token.node.to,
      };
    }
    throw this.unexpected(token);
  }

  private combine(
    token: Extract<Token, { type: 'op' }>,
    lhs: RawField,
    rhs: RawField,
  ): RawField {
    const range = { from: lhs.from, to: rhs.to };
    if (token.text === '&&' || token.text === '||') {
      return {
        kind: 'node',
        expr: {
          kind: token.text === '&&' ? 'and' : 'or',
          lhs: this.asCondition(lhs),
          rhs: this.asCondition(rhs),
        },
        ...range,
      };
    }
    if (ARITHMETIC.has(token.text)) {
      throw unsupported(this.query, range, `Arithmetic ('${token.text}')`);
    }
    if (lhs.kind !== 'value' || rhs.kind !== 'value') {
      throw unsupported(
        this.query,
        range,
        `Comparing the result of a condition ('${snippet(this.query, range)}')`,
      );
    }
    const op = token.text as ComparisonOp;
    if ((op === '=~' || op === '!~') && rhs.value.kind !== 'literal') {
      throw unsupported(
        this.query,
        range,
        'A regular expression that is not a string literal',
      );
    }
    return {
      kind: 'node',
      expr: { kind: 'compare', op, lhs: lhs.value, rhs: rhs.value },
      ...range,
    };
  }

  private asCondition(raw: RawField): FieldExpr {
    return raw.kind === 'node' ? raw.expr : raw.value;
  }
}

function toFilter(
  query: string,
  node: TraceQLSyntaxNode,
): Extract<SpansetExpr, { kind: 'filter' }> {
  const inner = node.getChild('FieldExpression');
  if (!inner) return { kind: 'filter' };
  const tokens = linearize(query, node, FIELD_ATOMS, FIELD_OPERATORS, '()-!');
  const filter = new FieldParser(query, tokens, 'a spanset filter').parseAll();
  if (filter.kind === 'literal' && filter.type !== 'bool') {
    throw new InputError(
      `Invalid TraceQL: the spanset filter '${snippet(
        query,
        node,
      )}' is not a condition`,
    );
  }
  return { kind: 'filter', filter };
}

// ---------------------------------------------------------------------------------------------
// Atoms

const INTRINSICS: Record<string, IntrinsicName> = {
  name: 'name',
  'span:name': 'name',
  status: 'status',
  'span:status': 'status',
  statusMessage: 'statusMessage',
  'span:statusMessage': 'statusMessage',
  kind: 'kind',
  'span:kind': 'kind',
  duration: 'duration',
  'span:duration': 'duration',
  rootName: 'rootName',
  'trace:rootName': 'rootName',
  rootServiceName: 'rootServiceName',
  'trace:rootService': 'rootServiceName',
  traceDuration: 'traceDuration',
  'trace:duration': 'traceDuration',
  'event:name': 'eventName',
};

const KEYWORDS: Record<string, Literal> = {
  true: { kind: 'literal', type: 'bool', value: true },
  false: { kind: 'literal', type: 'bool', value: false },
  nil: { kind: 'literal', type: 'nil', value: null },
  // OTLP status codes.
  unset: { kind: 'literal', type: 'status', value: 0 },
  ok: { kind: 'literal', type: 'status', value: 1 },
  error: { kind: 'literal', type: 'status', value: 2 },
  // OTLP span kinds.
  unspecified: { kind: 'literal', type: 'kind', value: 0 },
  internal: { kind: 'literal', type: 'kind', value: 1 },
  server: { kind: 'literal', type: 'kind', value: 2 },
  client: { kind: 'literal', type: 'kind', value: 3 },
  producer: { kind: 'literal', type: 'kind', value: 4 },
  consumer: { kind: 'literal', type: 'kind', value: 5 },
};

const SCOPES: Record<string, 'span' | 'resource' | 'event' | 'link'> = {
  Span: 'span',
  Resource: 'resource',
  Event: 'event',
  Link: 'link',
};

function toOperand(query: string, node: TraceQLSyntaxNode): Literal | Field {
  if (node.name === 'Static') return toLiteral(query, node);
  return toField(query, node);
}

export function toField(query: string, node: TraceQLSyntaxNode): Field {
  if (node.name === 'IntrinsicField') {
    const name = INTRINSICS[text(query, node)];
    if (!name)
      throw unsupported(query, node, `Intrinsic '${text(query, node)}'`);
    return { kind: 'intrinsic', name };
  }
  if (node.name === 'AttributeField') {
    const identifier = node.getChild('Identifier');
    const scopeNode = node.firstChild;
    if (!identifier) throw unsupported(query, node);
    let scope: AttributeScope;
    if (!scopeNode || scopeNode.name === 'Identifier') {
      scope = 'unscoped';
    } else if (SCOPES[scopeNode.name]) {
      scope = SCOPES[scopeNode.name];
    } else {
      throw unsupported(
        query,
        node,
        `Attribute scope '${text(query, scopeNode)}.'`,
      );
    }
    return {
      kind: 'attribute',
      scope,
      name: attributeName(text(query, identifier)),
    };
  }
  throw unsupported(query, node);
}

/** Tempo's parseAttribute: unquoted runs and `"…"` segments (escapes `\"`, `\\`) concatenated. */
function attributeName(raw: string): string {
  let name = '';
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i];
    if (char !== '"') {
      name += char;
      continue;
    }
    for (i++; i < raw.length && raw[i] !== '"'; i++) {
      if (raw[i] === '\\') i++;
      name += raw[i];
    }
  }
  return name;
}

function toLiteral(query: string, node: TraceQLSyntaxNode): Literal {
  const child = node.firstChild;
  const raw = text(query, child ?? node);
  if (!child) {
    const keyword = KEYWORDS[raw];
    if (!keyword) throw unsupported(query, node, `Value '${raw}'`);
    return keyword;
  }
  switch (child.name) {
    case 'String':
      return { kind: 'literal', type: 'string', value: decodeString(raw) };
    case 'Integer':
      return { kind: 'literal', type: 'int', value: Number(raw) };
    case 'Float':
      return { kind: 'literal', type: 'float', value: Number(raw) };
    case 'Duration': {
      const nanos = parseGoDuration(raw);
      if (nanos === undefined)
        throw new InputError(`Invalid TraceQL: invalid duration ${raw}`);
      return { kind: 'literal', type: 'duration', value: nanos };
    }
    default:
      throw unsupported(query, node);
  }
}

/** A `"…"` literal (the grammar allows only `\"` and `\\` escapes) or a raw `` `…` `` one. */
function decodeString(raw: string): string {
  const body = raw.slice(1, -1);
  return raw[0] === '`' ? body : body.replace(/\\(.)/gs, '$1');
}

function selectFields(query: string, node: TraceQLSyntaxNode): Field[] {
  // lezer nests the list: SelectArgs(SelectArgs(SelectArgs(a), b), c).
  const fields: Field[] = [];
  const visit = (args: TraceQLSyntaxNode) => {
    for (let child = args.firstChild; child; child = child.nextSibling) {
      if (child.name === 'SelectArgs') {
        visit(child);
      } else if (child.name === 'FieldExpression') {
        const field = child.firstChild;
        if (!field || field.nextSibling || field.name === 'Static') {
          throw unsupported(query, child, `select(${snippet(query, child)})`);
        }
        fields.push(toField(query, field));
      }
    }
  };
  const args = node.getChild('SelectArgs');
  if (args) visit(args);
  return fields;
}

function toMetrics(query: string, node: TraceQLSyntaxNode): MetricsOp {
  const operation = node.firstChild;
  if (!operation) throw unsupported(query, node);
  const by = groupFields(query, operation.getChild('GroupOperation'));
  if (operation.name === 'MetricsOperationBasic') {
    const fn = text(
      query,
      operation.getChild('MetricsOperationBasicType') ?? operation,
    );
    if (fn !== 'rate' && fn !== 'count_over_time') {
      throw unsupported(query, operation, `Metrics function ${fn}()`);
    }
    return { fn, by };
  }
  if (operation.name === 'MetricsOperationQuantile') {
    const args = operation.getChild('MetricsOperationQuantileArgs');
    const fieldNode = args?.getChild('MetricsExpression')?.firstChild;
    if (!args || !fieldNode) throw unsupported(query, operation);
    const field = toField(query, fieldNode);
    const quantiles = args
      .getChildren('MetricsOperationQuantileArgsType')
      .map(q => Number(text(query, q)));
    if (quantiles.length === 0) {
      throw new InputError(
        'Invalid TraceQL: quantile_over_time needs at least one quantile',
      );
    }
    return { fn: 'quantile_over_time', field, quantiles, by };
  }
  if (operation.name === 'MetricsOperationHistogram') {
    const fieldNode = operation.getChild('MetricsExpression')?.firstChild;
    if (!fieldNode) throw unsupported(query, operation);
    return { fn: 'histogram_over_time', field: toField(query, fieldNode), by };
  }
  const name =
    /^[a-z_]+/.exec(text(query, operation))?.[0] ?? snippet(query, operation);
  throw unsupported(query, operation, `Metrics function ${name}()`);
}

function groupFields(query: string, node: TraceQLSyntaxNode | null): Field[] {
  if (!node) return [];
  const fields: Field[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.name !== 'FieldExpression') continue;
    const field = child.firstChild;
    if (!field || field.nextSibling || field.name === 'Static') {
      throw unsupported(query, child, `by(${snippet(query, child)})`);
    }
    fields.push(toField(query, field));
  }
  if (fields.length > 5) {
    throw new InputError('Invalid TraceQL: by() takes at most 5 attributes');
  }
  return fields;
}

/**
 * Parses a TraceQL query into the engine's syntax tree, with Tempo 2.7's meaning.
 *
 * Validation and tokens come from the lezer grammar (`parseTraceQL` of -common, the same checks
 * the Tempo path runs), but lezer's tree is not Tempo's: lezer binds `&&` tighter than `||` where
 * Tempo's yacc grammar gives them equal precedence, left to right (`a || b && c` is
 * `(a || b) && c` in Tempo), gives structural operators no precedence over `&&`, and leaves `(`,
 * `)`, `-`, `!` and `~` unnamed. So the tree is read as a token stream and regrouped here with
 * Tempo's precedence table (pkg/traceql/expr.y).
 *
 * @throws InputError for invalid TraceQL (the message of the Tempo path's validation) and for
 *   constructs the embedded store does not support, named in the message.
 */
export function parseQuery(input: string): Query {
  let parsed: { query: string; top: TraceQLSyntaxNode };
  try {
    parsed = parseTraceQL(input);
  } catch (error) {
    throw new InputError(`Invalid TraceQL: ${(error as Error).message}`);
  }
  const { query, top } = parsed;
  const tokens = linearize(query, top, SPANSET_ATOMS, SPANSET_OPERATORS, '()~');
  const parser = new SpansetParser(query, tokens, 'query');
  const tree = parser.parseAll();
  return toQuery(query, tree);
}
