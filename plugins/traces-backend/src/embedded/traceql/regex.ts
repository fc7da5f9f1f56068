import { InputError } from '@backstage/errors';

const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 500;

/**
 * A JavaScript RegExp that matches like Tempo's `=~`: Go RE2 syntax (Perl flags), matched
 * against the WHOLE value (Tempo uses Prometheus' FastRegexMatcher, `^(?:re)$`). JavaScript's
 * syntax differs from RE2's in places, so the pattern is translated: `.` matches anything but
 * `\n` (JavaScript also excludes `\r`, U+2028, U+2029), `\s` is ASCII whitespace, `\z`, `\A`,
 * `\Q…\E`, `(?P<name>…)`, `[[:alpha:]]` and `\pN` are rewritten, and a leading `(?i)`/`(?s)`
 * becomes a flag. What RE2 rejects (backreferences, lookarounds) is rejected here too.
 *
 * @throws InputError naming the problem.
 */
export function compileTempoRegex(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let source: string;
  let flags = 'u';
  try {
    const translated = translate(pattern);
    source = translated.source;
    if (translated.ignoreCase) flags += 'i';
  } catch (error) {
    throw new InputError(
      `Invalid regular expression ${JSON.stringify(pattern)}: ${
        (error as Error).message
      }`,
    );
  }
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${source})$`, flags);
  } catch (error) {
    throw new InputError(
      `Invalid or unsupported regular expression ${JSON.stringify(pattern)}: ${
        (error as Error).message
      }`,
    );
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, regex);
  return regex;
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};
const GO_SPACE = '\\t\\n\\f\\r ';
// Characters JavaScript's `u` mode lets us escape; any other escaped punctuation is written plainly.
const JS_SYNTAX = new Set([...'^$\\.*+?()[]{}|/']);
const JS_CLASS_SYNTAX = new Set([...'^$\\.*+?()[]{}|/-']);
// General categories JavaScript knows as \p{X}; other names (Greek, Han, …) are scripts.
const CATEGORY =
  /^(?:L|Lu|Ll|Lt|Lm|Lo|M|Mn|Mc|Me|N|Nd|Nl|No|P|Pc|Pd|Ps|Pe|Pi|Pf|Po|S|Sm|Sc|Sk|So|Z|Zs|Zl|Zp|C|Cc|Cf|Cs|Co|Cn)$/;

function translate(pattern: string): { source: string; ignoreCase: boolean } {
  let i = 0;
  let ignoreCase = false;
  let dotAll = false;
  // Leading flag groups, e.g. (?i) or (?is): JavaScript cannot switch flags mid-pattern.
  for (;;) {
    const flagGroup = /^\(\?([a-zA-Z]+)\)/.exec(pattern.slice(i));
    if (!flagGroup) break;
    for (const flag of flagGroup[1]) {
      if (flag === 'i') ignoreCase = true;
      else if (flag === 's') dotAll = true;
      else throw new Error(`the flag (?${flag}) is not supported`);
    }
    i += flagGroup[0].length;
  }
  let out = '';
  while (i < pattern.length) {
    const char = pattern[i];
    if (char === '\\') {
      const escaped = translateEscape(pattern, i, false);
      out += escaped.text;
      i = escaped.end;
    } else if (char === '[') {
      const cls = translateClass(pattern, i);
      out += cls.text;
      i = cls.end;
    } else if (char === '.') {
      out += dotAll ? '[^]' : '[^\\n]';
      i++;
    } else if (char === '(') {
      if (pattern.startsWith('(?P<', i)) {
        out += '(?<';
        i += 4;
      } else if (pattern[i + 1] === '?') {
        if (pattern.startsWith('(?:', i) || pattern.startsWith('(?<', i)) {
          if (/^\(\?<[=!]/.test(pattern.slice(i)))
            throw new Error('lookbehind is not supported');
          out += pattern.slice(i, i + 3);
          i += 3;
        } else if (/^\(\?[=!]/.test(pattern.slice(i))) {
          throw new Error('lookahead is not supported');
        } else {
          throw new Error(
            `the group ${pattern.slice(i, i + 5)}… is not supported`,
          );
        }
      } else {
        out += '(';
        i++;
      }
    } else if (char === '{') {
      const repeat = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (repeat) {
        if (Number(repeat[1]) > 1000 || Number(repeat[3] || 0) > 1000) {
          throw new Error('repeat count is more than 1000');
        }
        out += repeat[0];
        i += repeat[0].length;
      } else {
        out += '\\{';
        i++;
      }
    } else if (char === '}' || char === ']') {
      out += `\\${char}`;
      i++;
    } else {
      const code = pattern.codePointAt(i)!;
      out += String.fromCodePoint(code);
      i += code > 0xffff ? 2 : 1;
    }
  }
  return { source: out, ignoreCase };
}

function translateEscape(
  pattern: string,
  at: number,
  inClass: boolean,
): { text: string; end: number } {
  const next = pattern[at + 1];
  if (next === undefined) throw new Error('trailing backslash');
  switch (next) {
    case 'd':
    case 'D':
    case 'w':
    case 'W':
    case 'n':
    case 't':
    case 'r':
    case 'f':
    case 'v':
      return { text: `\\${next}`, end: at + 2 };
    case 'b':
    case 'B':
      if (inClass) throw new Error(`\\${next} inside a character class`);
      return { text: `\\${next}`, end: at + 2 };
    case 'a':
      return { text: '\\x07', end: at + 2 };
    case 's':
      return { text: inClass ? GO_SPACE : `[${GO_SPACE}]`, end: at + 2 };
    case 'S':
      if (inClass)
        throw new Error('\\S inside a character class is not supported');
      return { text: `[^${GO_SPACE}]`, end: at + 2 };
    case 'A':
      if (inClass) throw new Error('\\A inside a character class');
      return { text: '^', end: at + 2 };
    case 'z':
      if (inClass) throw new Error('\\z inside a character class');
      return { text: '$', end: at + 2 };
    case 'Q': {
      const close = pattern.indexOf('\\E', at + 2);
      const literal = pattern.slice(at + 2, close < 0 ? undefined : close);
      const syntax = inClass ? JS_CLASS_SYNTAX : JS_SYNTAX;
      const text = [...literal]
        .map(c => (syntax.has(c) ? `\\${c}` : c))
        .join('');
      return { text, end: close < 0 ? pattern.length : close + 2 };
    }
    case 'x': {
      const braced = /^\\x\{([0-9A-Fa-f]+)\}/.exec(pattern.slice(at));
      if (braced)
        return { text: `\\u{${braced[1]}}`, end: at + braced[0].length };
      const short = /^\\x[0-9A-Fa-f]{2}/.exec(pattern.slice(at));
      if (short) return { text: short[0], end: at + 4 };
      throw new Error('invalid \\x escape');
    }
    case 'p':
    case 'P': {
      const braced = /^\\[pP](\^?)(?:\{([A-Za-z_]+)\}|([A-Za-z]))/.exec(
        pattern.slice(at),
      );
      if (!braced) throw new Error(`invalid \\${next} escape`);
      const name = braced[2] ?? braced[3];
      const negate = (next === 'P') !== (braced[1] === '^');
      const property = CATEGORY.test(name) ? name : `Script=${name}`;
      return {
        text: `\\${negate ? 'P' : 'p'}{${property}}`,
        end: at + braced[0].length,
      };
    }
    default:
      if (/[0-9]/.test(next))
        throw new Error('backreferences are not supported');
      if (/[A-Za-z]/.test(next)) throw new Error(`invalid escape \\${next}`);
      if (JS_SYNTAX.has(next) || (inClass && next === '-')) {
        return { text: `\\${next}`, end: at + 2 };
      }
      return { text: next, end: at + 2 };
  }
}

function translateClass(
  pattern: string,
  at: number,
): { text: string; end: number } {
  let i = at + 1;
  let out = '[';
  if (pattern[i] === '^') {
    out += '^';
    i++;
  }
  let first = true;
  while (i < pattern.length) {
    const char = pattern[i];
    if (char === ']' && !first) return { text: `${out}]`, end: i + 1 };
    first = false;
    if (char === '[' && pattern[i + 1] === ':') {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(pattern.slice(i));
      if (posix && POSIX_CLASSES[posix[2]]) {
        if (posix[1]) throw new Error(`[:^${posix[2]}:] is not supported`);
        out += POSIX_CLASSES[posix[2]];
        i += posix[0].length;
        continue;
      }
    }
    if (char === '\\') {
      const escaped = translateEscape(pattern, i, true);
      out += escaped.text;
      i = escaped.end;
      continue;
    }
    if (char === '[' || char === ']' || char === '/') {
      out += `\\${char}`;
    } else {
      out += char;
    }
    i++;
  }
  throw new Error('missing closing ]');
}
