// Test oracles written independently of the code under test: Go's strconv.Unquote (as Tempo's lexer
// applies it to string tokens), Tempo's attribute-name decoding, and a reader that turns a lezer
// parse of a spanset filter into a small expression tree.
import { parser } from '@grafana/lezer-traceql';

type Tree = ReturnType<typeof parser.parse>;
export type SyntaxNode = Tree['topNode'];

const SIMPLE_ESCAPES: Record<string, number> = {
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
  '\\': 0x5c,
  '"': 0x22,
};

/**
 * Decodes a string token the way Tempo does: Go's text/scanner rules (no NUL, no raw line feed in
 * `"…"`) then strconv.Unquote. Throws where Tempo reports a parse error.
 */
export function goUnquote(literal: string): string {
  const quote = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== quote) {
    throw new Error(`not a quoted literal: ${literal}`);
  }
  const body = literal.slice(1, -1);
  if (body.includes('\0')) throw new Error('invalid character NUL');
  if (!body.isWellFormed()) throw new Error('lone surrogate');
  if (quote === '`') {
    if (body.includes('`')) throw new Error('backtick inside raw string');
    return body.replace(/\r/g, '');
  }
  if (quote !== '"') throw new Error(`unknown quote ${quote}`);
  if (body.includes('\n')) throw new Error('literal not terminated');

  const bytes: number[] = [];
  const encoder = new TextEncoder();
  // Also rejects raw lone surrogates: they cannot exist in Go's UTF-8 source text.
  const pushCodePoint = (codePoint: number) => {
    if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
      throw new Error('invalid Unicode code point');
    }
    bytes.push(...encoder.encode(String.fromCodePoint(codePoint)));
  };
  const hex = (from: number, length: number) => {
    const digits = body.slice(from, from + length);
    if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(digits))
      throw new Error('bad hex escape');
    return parseInt(digits, 16);
  };

  let i = 0;
  while (i < body.length) {
    const codePoint = body.codePointAt(i)!;
    const char = String.fromCodePoint(codePoint);
    if (char === '"') throw new Error('unescaped quote');
    if (char !== '\\') {
      pushCodePoint(codePoint);
      i += char.length;
      continue;
    }
    const escape = body[i + 1];
    if (escape !== undefined && escape in SIMPLE_ESCAPES) {
      bytes.push(SIMPLE_ESCAPES[escape]);
      i += 2;
    } else if (escape === 'x') {
      bytes.push(hex(i + 2, 2));
      i += 4;
    } else if (escape === 'u') {
      pushCodePoint(hex(i + 2, 4));
      i += 6;
    } else if (escape === 'U') {
      pushCodePoint(hex(i + 2, 8));
      i += 10;
    } else if (escape !== undefined && /[0-7]/.test(escape)) {
      const octal = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(octal) || parseInt(octal, 8) > 255)
        throw new Error('bad octal escape');
      bytes.push(parseInt(octal, 8));
      i += 4;
    } else {
      throw new Error(`invalid escape \\${escape}`);
    }
  }
  // Go strings may hold invalid UTF-8; no JavaScript string can equal such a value.
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(
    new Uint8Array(bytes),
  );
}

/** Tempo's parseAttribute: `"…"` segments with `\"` and `\\` escapes, joined to unquoted runs. */
export function decodeAttributeName(text: string): string {
  let name = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '"') {
      if (/[\s{}()=~!<>&|^,]/.test(text[i]))
        throw new Error(`not an attribute character: ${text[i]}`);
      name += text[i++];
      continue;
    }
    i++;
    for (;;) {
      if (i >= text.length) throw new Error('unterminated quoted attribute');
      if (text[i] === '"') {
        i++;
        break;
      }
      if (text[i] === '\\') {
        if (text[i + 1] !== '"' && text[i + 1] !== '\\')
          throw new Error('invalid escape sequence');
        name += text[i + 1];
        i += 2;
      } else {
        name += text[i++];
      }
    }
  }
  return name;
}

export function parseTraceQL(query: string): Tree {
  return parser.parse(query);
}

export function hasSyntaxErrors(tree: Tree): boolean {
  let errors = false;
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors = true;
    },
  });
  return errors;
}

export function nodesNamed(tree: Tree, name: string): SyntaxNode[] {
  const nodes: SyntaxNode[] = [];
  tree.iterate({
    enter(node) {
      if (node.name === name) nodes.push(node.node);
    },
  });
  return nodes;
}

export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const children: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling)
    children.push(child);
  return children;
}

/** A filter condition as a tree: `&&`/`||` chains flattened, parentheses dropped. */
export type Condition =
  | { op: '&&' | '||'; args: Condition[] }
  | { attribute: string; operator: string; value: string }
  | { attribute: string; operator: string; keyword: string };

/**
 * Reads a FieldExpression made only of `&&`, `||`, parentheses and `attribute <op> literal`
 * comparisons. Attributes come back as `<scope>.<decoded name>` or the intrinsic's name; string
 * literals as their decoded `value`, other literals (`error`, `100ms`) as `keyword`.
 */
export function readCondition(query: string, node: SyntaxNode): Condition {
  const children = childrenOf(node);
  const text = (n: SyntaxNode) => query.slice(n.from, n.to);
  if (children.length === 1 && children[0].name === 'FieldExpression') {
    return readCondition(query, children[0]);
  }
  if (
    children.length === 3 &&
    (children[1].name === 'And' || children[1].name === 'Or')
  ) {
    const op = children[1].name === 'And' ? '&&' : '||';
    const args = [children[0], children[2]].flatMap(child => {
      const condition = readCondition(query, child);
      // Only unparenthesised operands of the same operator belong to the same chain.
      const grandchildren = childrenOf(child);
      const parenthesised =
        grandchildren.length === 1 &&
        grandchildren[0].name === 'FieldExpression';
      return 'op' in condition && condition.op === op && !parenthesised
        ? condition.args
        : [condition];
    });
    return { op, args };
  }
  if (children.length === 3 && children[1].name === 'FieldOp') {
    const [left, , right] = children;
    const field = left.firstChild;
    const literal = right.firstChild;
    if (!field || literal?.name !== 'Static')
      throw new Error(`unexpected comparison ${text(node)}`);
    let attribute = text(field);
    if (field.name === 'AttributeField') {
      const identifier = field.getChild('Identifier')!;
      attribute =
        query.slice(field.from, identifier.from) +
        decodeAttributeName(text(identifier));
    }
    const operator = text(children[1]);
    return literal.firstChild?.name === 'String'
      ? { attribute, operator, value: goUnquote(text(literal)) }
      : { attribute, operator, keyword: text(literal) };
  }
  throw new Error(`unexpected expression ${text(node)}`);
}

export interface TempoToken {
  kind: 'string' | 'attribute' | 'number' | 'word' | 'operator';
  from: number;
  to: number;
}

const TEMPO_OPERATORS = new Set([
  '!=',
  '=~',
  '!~',
  '>=',
  '<=',
  '&&',
  '||',
  '>>',
  '<<',
  '!>',
  '!<',
  '!>>',
  '!<<',
  '&~',
  '&>',
  '&<',
  '&>>',
  '&<<',
]);
const SCOPE_TOKENS = new Set([
  'resource.',
  'span.',
  'parent.',
  'event.',
  'link.',
  'instrumentation.',
]);
const GO_DURATION =
  /^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$|^(?:\d+(?:y|w|d|h|m|s|ms))+$/;

/**
 * A model of how Tempo's lexer (pkg/traceql/lexer.go on Go's text/scanner) splits a query, written
 * from the Go sources without reusing the code under test. Throws where Tempo reports a lexer
 * error. Attribute names are read with Tempo's rules right after `.` or a `scope.` token.
 */
export function tempoTokens(query: string): TempoToken[] {
  const tokens: TempoToken[] = [];
  const isSpace = (c: string) =>
    /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/.test(
      c,
    );
  const isAttributeRune = (c: string | undefined) =>
    c !== undefined && !isSpace(c) && !'{}()=~!<>&|^,'.includes(c);
  if (query.includes('\0')) throw new Error('invalid character NUL');
  let parsingAttribute = false;
  let i = 0;
  const push = (kind: TempoToken['kind'], from: number, to: number) => {
    tokens.push({ kind, from, to });
    i = to;
  };
  for (;;) {
    if (parsingAttribute) {
      if (!isAttributeRune(query[i])) {
        parsingAttribute = false;
        continue;
      }
      const previous = tokens[tokens.length - 1];
      const scope = /^(?:resource|span|event|link|instrumentation)\./.exec(
        query.slice(i),
      );
      if (scope && query.slice(previous.from, previous.to) === 'parent.') {
        push('operator', i, i + scope[0].length);
        continue;
      }
      let j = i;
      while (isAttributeRune(query[j])) {
        if (query[j] === '"') {
          j++;
          while (query[j] !== '"') {
            if (j >= query.length)
              throw new Error('unexpected EOF, expecting "');
            if (query[j] === '\\' && !'"\\'.includes(query[j + 1] ?? ''))
              throw new Error('invalid escape sequence');
            j += query[j] === '\\' ? 2 : 1;
          }
        }
        j++;
      }
      push('attribute', i, j);
      continue;
    }
    // text/scanner's default whitespace, then comments.
    while (
      /[\t\n\r ]/.test(query[i] ?? '') ||
      query.startsWith('//', i) ||
      query.startsWith('/*', i)
    ) {
      if (query.startsWith('//', i)) {
        const end = query.indexOf('\n', i);
        i = end === -1 ? query.length : end;
      } else if (query.startsWith('/*', i)) {
        const end = query.indexOf('*/', i + 2);
        if (end === -1) throw new Error('comment not terminated');
        i = end + 2;
      } else {
        i++;
      }
    }
    if (i >= query.length) return tokens;
    const c = query[i];
    if (c === '"' || c === '`') {
      let j = i + 1;
      while (query[j] !== c) {
        if (j >= query.length || (c === '"' && query[j] === '\n'))
          throw new Error('literal not terminated');
        j += c === '"' && query[j] === '\\' ? 2 : 1;
      }
      goUnquote(query.slice(i, j + 1));
      push('string', i, j + 1);
    } else if (/\d/.test(c) || (c === '.' && /\d/.test(query[i + 1] ?? ''))) {
      let j =
        i +
        /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(query.slice(i))![0]
          .length;
      // tryScanDuration: the following duration-ish runes, if the whole makes a duration.
      const suffix = /^[\p{N}nsumhµdwy.]*/u.exec(query.slice(j))![0];
      if (suffix && GO_DURATION.test(query.slice(i, j) + suffix))
        j += suffix.length;
      push('number', i, j);
    } else if (/[\p{L}_]/u.test(c)) {
      let j = i + /^[\p{L}\p{N}_]*/u.exec(query.slice(i))![0].length;
      const scoped =
        /^(?:span|trace|event|link|instrumentation):[A-Za-z]+/.exec(
          query.slice(i),
        );
      if (scoped) j = i + scoped[0].length;
      if (query[j] === '.' && SCOPE_TOKENS.has(query.slice(i, j + 1))) j++;
      parsingAttribute = SCOPE_TOKENS.has(query.slice(i, j));
      push('word', i, j);
    } else {
      let j = i + 1;
      while (j < query.length && TEMPO_OPERATORS.has(query.slice(i, j + 1)))
        j++;
      parsingAttribute = query.slice(i, j) === '.';
      push('operator', i, j);
    }
  }
}
