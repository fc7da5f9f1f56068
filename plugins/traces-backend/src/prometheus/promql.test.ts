import {
  escapeRegex,
  labelMatchesAny,
  promqlRange,
  promqlString,
} from './promql';

describe('promqlString', () => {
  it.each([
    ['frontend', '"frontend"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['line\nbreak\ttab\r', '"line\\nbreak\\ttab\\r"'],
    ['bell\u0007del\u007f', '"bell\\x07del\\x7f"'],
    ['ünïcødé ✓', '"ünïcødé ✓"'],
  ])('quotes %j', (value, quoted) => {
    expect(promqlString(value)).toBe(quoted);
  });

  it('round-trips through a Go-style string parser', () => {
    const hostile =
      'a"}) or vector(1) or label_replace(up, "x", "\\\\", "", "") #\n';
    // JSON string escapes are a subset of Go's: what JSON.parse reads back is what Prometheus reads.
    expect(JSON.parse(promqlString(hostile))).toBe(hostile);
  });
});

describe('escapeRegex', () => {
  it('escapes every RE2 metacharacter', () => {
    expect(escapeRegex('a.b+c*d?e(f)g|h[i]j{k}l^m$n\\o')).toBe(
      'a\\.b\\+c\\*d\\?e\\(f\\)g\\|h\\[i\\]j\\{k\\}l\\^m\\$n\\\\o',
    );
  });

  it('escapes so that the pattern matches only the literal name', () => {
    // JavaScript's regex syntax agrees with RE2 for these escapes.
    for (const name of ['orders.api', 'a|b', '(x)+', 'svc[1]', '.*']) {
      const pattern = new RegExp(`^(?:${escapeRegex(name)})$`);
      expect(pattern.test(name)).toBe(true);
      expect(pattern.test(`${name}x`)).toBe(false);
      expect(pattern.test('orders-api')).toBe(false);
    }
  });
});

describe('labelMatchesAny', () => {
  it('builds an anchored alternation of escaped names inside a PromQL string', () => {
    expect(labelMatchesAny('server', ['orders-api', 'orders.worker'])).toBe(
      'server=~"orders-api|orders\\\\.worker"',
    );
  });

  it('keeps a hostile name inside the string literal', () => {
    const matcher = labelMatchesAny('client', ['x"} or vector(1) or {a=~".*']);
    expect(matcher).toBe(
      'client=~"x\\"\\\\} or vector\\\\(1\\\\) or \\\\{a=~\\"\\\\.\\\\*"',
    );
    // The string literal ends exactly at the last character: nothing leaks out of it.
    const literal = matcher.slice('client=~'.length);
    expect(JSON.parse(literal)).toBe('x"\\} or vector\\(1\\) or \\{a=~"\\.\\*');
  });

  it('refuses an empty list instead of matching everything', () => {
    expect(() => labelMatchesAny('server', [])).toThrow(/no values/);
  });
});

describe('promqlRange', () => {
  it('writes whole seconds', () => {
    expect(promqlRange(3600)).toBe('[3600s]');
    expect(promqlRange(0.2)).toBe('[1s]');
  });
});
