import { MASKED_VALUE } from '@backstage-traces/plugin-traces-common';

/**
 * Secrets inside free text: span names, status and exception messages, stack traces, SQL,
 * URLs in any value, log messages. Each rule finds a secret by its context (a sensitive
 * parameter name, an auth scheme, `IDENTIFIED BY`, …) and masks only the secret, so the
 * text keeps its meaning: `GET /login?password=[masked]&user=bob`.
 */
export interface TextRuleContext {
  /** Whether a name (query parameter, `key=value` key, header name) names a secret. */
  isSensitiveKey(name: string): boolean;
  isSensitiveParameter(name: string): boolean;
}

export type TextRule = (text: string, context: TextRuleContext) => string;

// Where an unquoted secret ends: whitespace, quotes, separators and brackets.
const VALUE = String.raw`[^\s"'<>&;,)\]}]+`;
const QUOTED = String.raw`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.|'')*'`;

function isMasked(value: string) {
  return value.startsWith(MASKED_VALUE);
}

/** Keeps surrounding quotes: `'pw'` becomes `'[masked]'`. */
function maskValue(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.length >= 2) {
    return isMasked(value.slice(1)) ? value : `${quote}${MASKED_VALUE}${quote}`;
  }
  return isMasked(value) ? value : MASKED_VALUE;
}

const userinfo = new RegExp(
  String.raw`\b([a-z][a-z0-9+.\-]*:\/\/[^\s/?#@:"'<>]*:)([^\s/?#@"'<>]+)@`,
  'gi',
);
const queryParameter = new RegExp(
  String.raw`(^|[?&;])([^=&;#?\s"'<>]+)=([^\s"'<>&;#]+)`,
  'g',
);
// A key and its assignment; the value is read separately, so that a key that is not
// sensitive (`error: password=…`) does not swallow the text after it.
const keyAssignment = /(?<![\w.\-])([A-Za-z_][\w.\-]*)(["']?\s*([:=])\s*)/g;
const quotedValue = new RegExp(QUOTED, 'y');
const plainValue = new RegExp(VALUE, 'y');
// `Authorization: Bearer x`, `Cookie: a=1; b=2`: a header-style value runs to the line end.
const headerValue = /[^\r\n"'}]*[^\s"'}]/y;

function maskKeyValues(text: string, context: TextRuleContext): string {
  let out = '';
  let copied = 0;
  keyAssignment.lastIndex = 0;
  for (let m = keyAssignment.exec(text); m; m = keyAssignment.exec(text)) {
    const at = keyAssignment.lastIndex;
    if (!context.isSensitiveKey(m[1]) || text.startsWith(MASKED_VALUE, at))
      continue;
    let value: RegExpExecArray | null = null;
    for (const pattern of [
      quotedValue,
      m[3] === ':' ? headerValue : plainValue,
    ]) {
      pattern.lastIndex = at;
      value = pattern.exec(text);
      if (value) break;
    }
    // Counts such as `input_tokens=120` are not secrets.
    if (!value || /^\d+$/.test(value[0])) continue;
    out += text.slice(copied, at) + maskValue(value[0]);
    copied = at + value[0].length;
    keyAssignment.lastIndex = copied;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

const authScheme = new RegExp(
  String.raw`\b(Bearer|Basic|Digest|Token|Negotiate|ApiKey)(\s+)([A-Za-z0-9._~+/\-]+=*)`,
  'gi',
);
const authSchemeWord = /bearer|basic|digest|token|negotiate|apikey/i;
const sqlPassword = new RegExp(
  String.raw`\b(PASSWORD\s*(?:=\s*)?(?:PASSWORD\s*\(\s*)?)(${QUOTED})|\b(IDENTIFIED\s+(?:WITH\s+\S+\s+)?BY\s+(?:PASSWORD\s+)?)(${QUOTED}|${VALUE})`,
  'gi',
);
const jwt = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const awsAccessKey = /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g;
const privateKey =
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;

/** The built-in rules by name (`traces.redaction.textRules` picks among them). */
export const TEXT_RULES: Record<string, TextRule> = {
  /** PEM private keys, whole. */
  'private-keys': text =>
    text.includes('-----BEGIN') ? text.replace(privateKey, MASKED_VALUE) : text,
  /** JSON Web Tokens (`eyJ….….…`), anywhere. */
  jwt: text => (text.includes('eyJ') ? text.replace(jwt, MASKED_VALUE) : text),
  /** AWS access key IDs (`AKIA…`, `ASIA…`). */
  'aws-access-keys': text => text.replace(awsAccessKey, MASKED_VALUE),
  /** `Bearer …`, `Basic …` and other auth-scheme credentials, e.g. in exception messages. */
  'auth-schemes': text =>
    !authSchemeWord.test(text)
      ? text
      : text.replace(
          authScheme,
          (match, scheme: string, gap: string, token: string) =>
            // `Basic authentication`: a word of lowercase letters is prose, not a credential.
            /^[a-z]+$/.test(token) || isMasked(token)
              ? match
              : `${scheme}${gap}${MASKED_VALUE}`,
        ),
  /** Passwords of URL userinfo (`scheme://user:password@host`) wherever a URL appears. */
  'url-userinfo': text =>
    text.includes('://')
      ? text.replace(userinfo, (match, head: string, password: string) =>
          isMasked(password) ? match : `${head}${MASKED_VALUE}@`,
        )
      : text,
  /** Sensitive query parameters (`?access_token=…`, `&sig=…`) in URLs and query strings. */
  'url-query': (text, context) =>
    text.includes('=')
      ? text.replace(
          queryParameter,
          (match, separator: string, name: string, value: string) =>
            isMasked(value) || !context.isSensitiveParameter(name)
              ? match
              : `${separator}${name}=${MASKED_VALUE}`,
        )
      : text,
  /** SQL `PASSWORD '…'` and `IDENTIFIED BY …`. */
  'sql-passwords': text =>
    /password|identified/i.test(text)
      ? text.replace(
          sqlPassword,
          (
            _match,
            head1?: string,
            value1?: string,
            head2?: string,
            value2?: string,
          ) =>
            head1 !== undefined
              ? `${head1}${maskValue(value1!)}`
              : `${head2}${maskValue(value2!)}`,
        )
      : text,
  /** `password=…`, `"token": "…"`, `Authorization: Bearer …` with a sensitive key name. */
  // A key is part of the text: no sensitive key in the whole text, no sensitive key at all.
  'key-values': (text, context) =>
    /[:=]/.test(text) && context.isSensitiveKey(text)
      ? maskKeyValues(text, context)
      : text,
};

export const DEFAULT_TEXT_RULES = Object.keys(TEXT_RULES);

/**
 * A configured pattern: its first capture group is masked, or the whole match when it has
 * none. Flags `g` and `i` are always set.
 */
export function patternRule(source: string): TextRule {
  const pattern = new RegExp(source, 'gi');
  return text =>
    text.replace(pattern, (match: string, ...rest: unknown[]) => {
      const group = rest[0];
      if (typeof group !== 'string' || rest.length < 3) return MASKED_VALUE;
      const offset = match.indexOf(group);
      return offset < 0 || group === ''
        ? match
        : `${match.slice(0, offset)}${MASKED_VALUE}${match.slice(
            offset + group.length,
          )}`;
    });
}
