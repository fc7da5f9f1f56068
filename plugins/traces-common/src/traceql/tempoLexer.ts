// Rules of Tempo's Go lexer (grafana/tempo pkg/traceql/lexer.go) that the lezer grammar does not
// reproduce exactly. They are used to emit text both parsers read the same way, and to reject user
// queries where the two could disagree.

// Go's unicode.IsSpace: the Latin-1 spaces plus the Unicode White_Space property.
const GO_SPACE =
  /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const NON_ATTRIBUTE_ASCII = new Set([...'{}()=~!<>&|^,']);

const LONE_SURROGATE =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Tempo's isAttributeRune: the characters an unquoted attribute name may contain. */
export function isTempoAttributeChar(char: string): boolean {
  return !NON_ATTRIBUTE_ASCII.has(char) && !GO_SPACE.test(char);
}

/**
 * Replaces lone UTF-16 surrogates with U+FFFD. Go strings are UTF-8 and cannot hold them; the
 * HTTP layer would make the same replacement, so doing it first keeps literals predictable.
 */
export function toWellFormed(value: string): string {
  return value.replace(LONE_SURROGATE, '\ufffd');
}

/**
 * Where Tempo's attribute lexer (parseAttribute) stops when it starts reading a name at `start`:
 * unquoted runs of attribute characters and `"…"` segments in which only `\"` and `\\` are escapes.
 * Returns -1 when Tempo would report an error (bad escape, missing closing quote, NUL, which Go's
 * text/scanner rejects anywhere).
 */
export function tempoAttributeEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    const char = String.fromCodePoint(text.codePointAt(i)!);
    if (char === '\0') return -1;
    if (char === '"') {
      i++;
      for (;;) {
        if (i >= text.length) return -1;
        const c = text[i];
        if (c === '\0') return -1;
        if (c === '"') {
          i++;
          break;
        }
        if (c === '\\') {
          if (text[i + 1] !== '"' && text[i + 1] !== '\\') return -1;
          i += 2;
        } else {
          i++;
        }
      }
    } else if (isTempoAttributeChar(char)) {
      i += char.length;
    } else {
      break;
    }
  }
  return i;
}
