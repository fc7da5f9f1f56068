import { decodeAttributeName, goUnquote } from './tempoSyntax';

// The oracles must match Go and Tempo, or the property tests that rely on them prove nothing.
describe('goUnquote', () => {
  it.each([
    ['"plain"', 'plain'],
    ['"a\\"b\\\\c"', 'a"b\\c'],
    ['"\\n\\t\\r\\a\\b\\f\\v"', '\n\t\r\x07\b\f\v'],
    ['"\\x41\\101\\u00e9\\U0001F600"', 'AAé😀'],
    ['"\\xc3\\xa9"', 'é'],
    ['"raw\ttab\rcr"', 'raw\ttab\rcr'],
    ['`raw \\n "x"`', 'raw \\n "x"'],
    ['`a\r\nb`', 'a\nb'],
    ['"\ufeffbom"', '\ufeffbom'],
  ])('decodes %j', (literal, value) => {
    expect(goUnquote(literal)).toBe(value);
  });

  it.each([
    ['an unknown escape', '"\\/"'],
    ['an escaped single quote', `"\\'"`],
    ['a surrogate escape', '"\\ud800"'],
    ['a raw line feed', '"a\nb"'],
    ['an unescaped quote', '"a"b"'],
    ['NUL', '"a\0"'],
    ['a short hex escape', '"\\x4"'],
    ['invalid UTF-8', '"\\xff"'],
    ['a backtick in a raw string', '`a`b`'],
    ['a lone surrogate', '"\ud800"'],
  ])('rejects %s', (_, literal) => {
    expect(() => goUnquote(literal)).toThrow();
  });
});

describe('decodeAttributeName', () => {
  it('joins quoted and unquoted segments like Tempo', () => {
    expect(decodeAttributeName('foo."bar \\" baz"."bar"')).toBe(
      'foo.bar " baz.bar',
    );
    expect(decodeAttributeName('"a\\\\b"')).toBe('a\\b');
  });

  it('rejects what Tempo rejects', () => {
    expect(() => decodeAttributeName('"a\\nb"')).toThrow(
      'invalid escape sequence',
    );
    expect(() => decodeAttributeName('"open')).toThrow();
    expect(() => decodeAttributeName('a b')).toThrow();
  });
});
