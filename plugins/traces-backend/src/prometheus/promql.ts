/**
 * Safe PromQL construction. Values that come from outside (service names from catalog
 * annotations) only ever enter a query through these functions.
 */

/** A double-quoted PromQL string literal (Go escape rules; raw newlines are not allowed). */
export function promqlString(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (char === '\\') out += '\\\\';
    else if (char === '"') out += '\\"';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) {
      out += `\\x${code.toString(16).padStart(2, '0')}`;
    } else out += char;
  }
  return `${out}"`;
}

/** RE2 metacharacters, as escaped by Go's regexp.QuoteMeta. */
const RE2_META = /[\\.+*?()|[\]{}^$]/g;

/** A literal string as an RE2 pattern that matches exactly that string. */
export function escapeRegex(value: string): string {
  return value.replace(RE2_META, '\\$&');
}

/**
 * `label=~"a|b"` matching exactly one of `values`. Prometheus anchors label regexes at both
 * ends, so the alternation matches whole values only.
 */
export function labelMatchesAny(
  label: string,
  values: readonly string[],
): string {
  if (values.length === 0) {
    throw new Error(`labelMatchesAny(${label}): no values to match`);
  }
  return `${label}=~${promqlString(values.map(escapeRegex).join('|'))}`;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export function isLabelName(value: string): boolean {
  return LABEL_NAME.test(value);
}

export function isMetricName(value: string): boolean {
  return METRIC_NAME.test(value);
}

/** `[3600s]`: a range selector duration in whole seconds (at least 1). */
export function promqlRange(seconds: number): string {
  return `[${Math.max(1, Math.round(seconds))}s]`;
}
