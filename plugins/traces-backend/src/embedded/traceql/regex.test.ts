import fc from 'fast-check';
import { InputError } from '@backstage/errors';
import { compileTempoRegex } from './regex';

describe('compileTempoRegex (Go RE2, fully anchored like Tempo)', () => {
  it.each([
    ['GET.*', 'GET /orders', true],
    ['GET', 'GET /orders', false],
    ['orders', 'GET /orders', false],
    ['.*orders', 'GET /orders', true],
    ['a|b', 'b', true],
    ['a|b', 'ab', false], // anchoring wraps the whole alternation
    ['.', '\n', false], // . excludes only \n in Go …
    ['.', '\r', true], // … while JavaScript would also exclude \r
    ['.', '\u2028', true],
    ['(?s).', '\n', true],
    ['(?i)get', 'GET', true],
    ['\\s', '\u00a0', false], // Go's \s is ASCII
    ['\\s', '\t', true],
    ['\\S+', 'ab', true],
    ['[\\s]', ' ', true],
    ['\\d+', '123', true],
    ['\\d', '٣', false],
    ['\\w+', 'a_1', true],
    ['[[:alpha:]]+', 'abC', true],
    ['[[:digit:][:upper:]]+', '9Z', true],
    ['\\pL+', 'über', true],
    ['\\p{Greek}+', 'αβ', true],
    ['\\PL', '1', true],
    ['\\Qa.b\\E', 'a.b', true],
    ['\\Qa.b\\E', 'axb', false],
    ['(?P<x>a)b', 'ab', true],
    ['a{2}', 'aa', true],
    ['a{,2}', 'a{,2}', true], // not a repetition in Go: literal
    ['\\-\\#\\ \\:', '-# :', true],
    ['[\\-a]', '-', true],
    ['[]a]', ']', true],
    ['x]', 'x]', true],
    ['\\x41\\x{1F600}', 'A😀', true],
    ['\\Aab\\z', 'ab', true],
    ['\\bab\\b', 'ab', true],
    ['', '', true],
  ])('%s on %j: %s', (pattern, value, expected) => {
    expect(compileTempoRegex(pattern).test(value)).toBe(expected);
  });

  it.each([
    ['(?=a)', 'lookahead'],
    ['(?<=a)b', 'lookbehind'],
    ['(a)\\1', 'backreferences'],
    ['(?U)a', 'flag'],
    ['a{1001}', 'more than 1000'],
    ['[a', 'missing closing ]'],
    ['(', 'Invalid or unsupported'],
    ['\\k', 'invalid escape'],
  ])('rejects %s', (pattern, message) => {
    expect(() => compileTempoRegex(pattern)).toThrow(InputError);
    expect(() => compileTempoRegex(pattern)).toThrow(message);
  });

  it('matches literal text exactly like string equality (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme-ascii' }),
        fc.string({ unit: 'grapheme-ascii' }),
        (a, b) => {
          const quoted = a.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
          expect(compileTempoRegex(quoted).test(b)).toBe(a === b);
          expect(
            compileTempoRegex(`\\Q${a.replace(/\\E/g, '')}\\E`).test(
              a.replace(/\\E/g, ''),
            ),
          ).toBe(true);
        },
      ),
    );
  });
});
