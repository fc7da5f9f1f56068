import { TraceQLInputError } from './errors';
import { tempoAttributeEnd, toWellFormed } from './tempoLexer';

/** Attribute scopes of TraceQL; `''` is the unscoped `.name` form (span or resource). */
export type TraceQLAttributeScope =
  | 'resource'
  | 'span'
  | 'event'
  | 'link'
  | 'instrumentation'
  | 'parent'
  | '';

const ATTRIBUTE_SCOPES: ReadonlySet<string> = new Set<TraceQLAttributeScope>([
  'resource',
  'span',
  'event',
  'link',
  'instrumentation',
  'parent',
  '',
]);

// Names left unquoted. Narrower than Tempo's printer rule because the lezer grammar also has to read
// them: it rejects a leading digit, `-` or non-ASCII letter, and tokenizes a leading scope keyword or
// `with` as that keyword (`span.spanner` fails to parse). Quoting is always equivalent in Tempo.
const PLAIN_ATTRIBUTE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const KEYWORD_PREFIX =
  /^(?:parent|resource|span|event|link|instrumentation|with)/;

const DURATION = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)$/;
const NANOS_PER_UNIT: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};
// Go's time.Duration is an int64 of nanoseconds; Tempo rejects anything longer.
const MAX_DURATION_NANOS = 2 ** 63 - 1;

/** Echoes caller input in an error message, escaped and shortened. */
function quoteForMessage(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/**
 * A TraceQL string literal that Tempo decodes (Go strconv.Unquote) to exactly `value`, after lone
 * UTF-16 surrogates are replaced with U+FFFD.
 *
 * The literal is double-quoted with only `\"` and `\\` escaped, because those are the only escapes
 * the lezer grammar used for validation accepts (Go's `\n`, `\t`, `\u…` escapes fail to parse
 * there). Other characters, tab and carriage return included, stay raw, which Go accepts. A value
 * containing a line feed, which Go forbids raw in `"…"`, becomes a backtick raw string instead.
 *
 * @throws TraceQLInputError for values no literal can carry: a NUL character (Go's scanner rejects
 *   it raw, lezer rejects its escape), or a line feed together with a backtick or a carriage return
 *   (Go drops `\r` from raw strings).
 */
export function traceqlString(value: string): string {
  const text = toWellFormed(value);
  if (text.includes('\0')) {
    throw new TraceQLInputError(
      'TraceQL string values cannot contain the NUL character',
    );
  }
  if (!text.includes('\n')) {
    return `"${text.replace(/["\\]/g, '\\$&')}"`;
  }
  if (!/[`\r]/.test(text)) {
    return `\`${text}\``;
  }
  throw new TraceQLInputError(
    'TraceQL string values containing a line break cannot also contain a backtick (`) or a carriage return',
  );
}

/**
 * A TraceQL attribute reference such as `resource.service.name`, `span."http route"` or `.foo`
 * (unscoped when `scope` is `''`). The name is quoted, with only `\` and `"` escaped, unless it is
 * a plain dotted name; `resource."service.name"` and `resource.service.name` mean the same to Tempo.
 *
 * @throws TraceQLInputError for an empty name, a name containing NUL, or an unknown scope.
 */
export function traceqlAttribute(
  scope: TraceQLAttributeScope,
  name: string,
): string {
  if (!ATTRIBUTE_SCOPES.has(scope)) {
    throw new TraceQLInputError(
      `Unknown TraceQL attribute scope ${quoteForMessage(
        scope,
      )}; expected resource, span, event, link, instrumentation, parent or none`,
    );
  }
  const text = toWellFormed(name);
  if (text === '') {
    throw new TraceQLInputError('TraceQL attribute names cannot be empty');
  }
  if (text.includes('\0')) {
    throw new TraceQLInputError(
      'TraceQL attribute names cannot contain the NUL character',
    );
  }
  const plain = PLAIN_ATTRIBUTE_NAME.test(text) && !KEYWORD_PREFIX.test(text);
  return `${scope}.${plain ? text : `"${text.replace(/["\\]/g, '\\$&')}"`}`;
}

/**
 * The scope and name of one TraceQL attribute reference, `span.http.route`, `.foo` or
 * `resource."a b"`, read by Tempo's lexer rules (quoted parts unescaped); the inverse of
 * {@link traceqlAttribute}. Undefined unless the whole text is one reference: no name, a
 * character that ends a name (space, `=`, `}`, …) or a bad escape in quotes.
 */
export function parseTraceQLAttribute(
  reference: string,
): { scope: TraceQLAttributeScope; name: string } | undefined {
  const text = toWellFormed(reference);
  const scope = /^(resource|span|event|link|instrumentation|parent)?\./.exec(
    text,
  );
  if (!scope) return undefined;
  const start = scope[0].length;
  if (start === text.length || tempoAttributeEnd(text, start) !== text.length) {
    return undefined;
  }
  const name = text
    .slice(start)
    .replace(/"((?:[^"\\]|\\.)*)"/g, (_quoted, inner: string) =>
      inner.replace(/\\(.)/g, '$1'),
    );
  return { scope: (scope[1] ?? '') as TraceQLAttributeScope, name };
}

/**
 * Returns `value` when it is a TraceQL duration literal: a decimal number followed by one of
 * `ns`, `us`, `µs`, `ms`, `s`, `m`, `h`, e.g. `100ms` or `1.5s`.
 *
 * @throws TraceQLInputError otherwise, or when it exceeds Go's maximum duration (about 292 years).
 */
export function traceqlDuration(value: string): string {
  const match = DURATION.exec(value);
  if (!match) {
    throw new TraceQLInputError(
      `Invalid duration ${quoteForMessage(
        value,
      )}: expected a number followed by ns, us, µs, ms, s, m or h, such as 100ms or 1.5s`,
    );
  }
  if (Number(match[1]) * NANOS_PER_UNIT[match[2]] > MAX_DURATION_NANOS) {
    throw new TraceQLInputError(
      `Invalid duration ${quoteForMessage(value)}: it is too long`,
    );
  }
  return value;
}
