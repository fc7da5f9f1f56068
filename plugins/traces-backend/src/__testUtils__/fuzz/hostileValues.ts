import fc from 'fast-check';

/**
 * Strings that broke or could break something somewhere: NUL and other controls, line breaks
 * with backticks and carriage returns (no TraceQL literal holds them), path traversal, query
 * and TraceQL syntax, quotes, lone surrogates, numbers out of range, very long text.
 */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  'a\nb`c',
  'a\r\nb',
  '\r\n',
  '\t',
  '\u0085\u2028\u2029',
  '\ud800',
  '\udfff\ud800',
  '😀',
  'ünïcødé 日本語',
  '..',
  '.',
  '../../api/search',
  '..%2F..%2Fapi%2Fsearch',
  '%00',
  '%',
  '%zz',
  '?',
  '#',
  '&',
  '=',
  '/',
  '\\',
  '"',
  "'",
  '`',
  '"} || { true',
  '{',
  '}',
  '{ }',
  '{ } | rate()',
  '{ .a = "b" } >> { .c }',
  '{ span.x = "\\u0000" }',
  '{ resource.service.name =~ ".*" }',
  '|| true',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '-1',
  '0',
  '1e400',
  'NaN',
  'Infinity',
  '9'.repeat(40),
  '0x10',
  '1.5',
  '1700000000000',
  'true',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  'x'.repeat(5000),
];

/** A hostile string, or anything fast-check makes up, unicode included. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

/** Lone surrogates cannot be percent-encoded; they travel as U+FFFD, as browsers send them. */
export function encodeComponent(value: string): string {
  return encodeURIComponent(
    value.replace(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '\ufffd',
    ),
  );
}

/** A path segment: encoded hostile text, or raw bytes that are not valid percent-encoding. */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: hostileString.map(encodeComponent) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', '..', '.'),
  },
);

/**
 * A copy of `value` with the part `path` leads to replaced: at each level the key or item at
 * `index mod size`; where the path ends early or meets a leaf, that part is replaced.
 */
export function replaceAt(
  value: unknown,
  path: number[],
  replacement: unknown,
): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') {
    return replacement;
  }
  const [index, ...rest] = path;
  const entries = Object.entries(value);
  if (entries.length === 0) return replacement;
  const [key, child] = entries[index % entries.length];
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value)
    ? [...value]
    : { ...value };
  (copy as Record<string, unknown>)[key] = replaceAt(child, rest, replacement);
  return copy;
}
