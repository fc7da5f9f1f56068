import { buildScopeCondition } from './conditions';
import { TraceQLInputError, TraceQLSyntaxError } from './errors';
import { scopeQuery } from './scopeQuery';

const SCOPE = 'resource.service.name = "checkout"';
const scoped = (inner: string) => `{ (${inner}) && ${SCOPE} }`;

describe('scopeQuery', () => {
  it.each([undefined, '', '   ', '\n\t'])(
    'turns the empty query %j into the scope filter',
    query => {
      expect(scopeQuery(query, SCOPE)).toBe(`{ ${SCOPE} }`);
    },
  );

  it('scopes an empty filter', () => {
    expect(scopeQuery('{}', SCOPE)).toBe(`{ ${SCOPE} }`);
    expect(scopeQuery('{   }', SCOPE)).toBe(`{ ${SCOPE} }`);
  });

  it('wraps the user expression so its || cannot escape the scope', () => {
    expect(scopeQuery('{ .a = 1 || .b = 2 }', SCOPE)).toBe(
      scoped('.a = 1 || .b = 2'),
    );
  });

  it.each([
    [
      'structural operators and select',
      '{ span.http.route = "/a" } >> { status = error } | select(span.http.status_code)',
      `${scoped('span.http.route = "/a"')} >> ${scoped(
        'status = error',
      )} | select(span.http.status_code)`,
    ],
    [
      'spanset && and ||',
      '{ .a = 1 } && { .b = 2 } || {}',
      `${scoped('.a = 1')} && ${scoped('.b = 2')} || { ${SCOPE} }`,
    ],
    [
      'union and negated structural operators',
      '{ .a = 1 } &>> { .b = 2 } !< { .c = 3 } ~ { }',
      `${scoped('.a = 1')} &>> ${scoped('.b = 2')} !< ${scoped(
        '.c = 3',
      )} ~ { ${SCOPE} }`,
    ],
    [
      'parenthesised pipelines',
      '({ .a = 1 } | count() > 2) && (({ .b = 2 }))',
      `(${scoped('.a = 1')} | count() > 2) && ((${scoped('.b = 2')}))`,
    ],
    [
      'rate by',
      '{ status = error } | rate() by (span.http.route)',
      `${scoped('status = error')} | rate() by (span.http.route)`,
    ],
    [
      'quantile_over_time',
      '{ } | quantile_over_time(duration, 0.99, 0.5) by (resource.service.name)',
      `{ ${SCOPE} } | quantile_over_time(duration, 0.99, 0.5) by (resource.service.name)`,
    ],
    [
      'second-stage metrics functions',
      '{ kind = server } | count_over_time() by (span.http.route) | topk(5)',
      `${scoped(
        'kind = server',
      )} | count_over_time() by (span.http.route) | topk(5)`,
    ],
    [
      'compare, whose filter is scoped too',
      '{ } | compare({ status = error })',
      `{ ${SCOPE} } | compare(${scoped('status = error')})`,
    ],
    [
      'hints',
      '{ .a = "x" } with (most_recent=true)',
      `${scoped('.a = "x"')} with (most_recent=true)`,
    ],
    [
      'pipelines of aggregates',
      '{ .a = "x" } | by(resource.service.name) | avg(duration) > 1s | coalesce()',
      `${scoped(
        '.a = "x"',
      )} | by(resource.service.name) | avg(duration) > 1s | coalesce()`,
    ],
  ])('keeps %s and scopes every filter', (_, query, expected) => {
    expect(scopeQuery(query, SCOPE)).toBe(expected);
  });

  it('is not fooled by braces, pipes and quotes inside literals and attribute names', () => {
    const query =
      '{ .a = "} || { true" && .b = `}{` && span."x } | {" = "\\"}" }';
    expect(scopeQuery(query, SCOPE)).toBe(
      scoped('.a = "} || { true" && .b = `}{` && span."x } | {" = "\\"}"'),
    );
  });

  it('keeps line breaks and layout outside filters', () => {
    expect(scopeQuery('{ .a = 1 }\n  | select(.b)', SCOPE)).toBe(
      `${scoped('.a = 1')}\n  | select(.b)`,
    );
  });

  it('parenthesises a condition with a top-level ||', () => {
    const condition = buildScopeCondition({ serviceNames: ['a', 'b'] }).slice(
      1,
      -1,
    );
    expect(condition).toBe(
      'resource.service.name = "a" || resource.service.name = "b"',
    );
    expect(scopeQuery('{ .x = 1 }', condition)).toBe(
      `{ (.x = 1) && (${condition}) }`,
    );
    expect(scopeQuery(undefined, condition)).toBe(`{ ${condition} }`);
  });

  it('scopes with conditions from buildScopeCondition', () => {
    const condition = buildScopeCondition({
      serviceNames: ['a"}', 'b'],
      serviceNamespace: 'ns',
    });
    expect(scopeQuery('{ status = error } | rate()', condition)).toBe(
      `{ (status = error) && ${condition} } | rate()`,
    );
  });

  describe('rejects malformed queries', () => {
    it.each([
      [
        'a missing value',
        '{ resource.service.name = }',
        26,
        27,
        "Unexpected '}' at column 27",
      ],
      [
        'an unclosed filter',
        '{ span.http.route = "/x" ',
        0,
        1,
        'Unclosed { at column 1',
      ],
      [
        'an unterminated string',
        '{ .a = "x }',
        7,
        8,
        'Unterminated string at column 8',
      ],
      [
        'an extra brace',
        '{ .a = 1 }}',
        10,
        11,
        'Unexpected } without a matching { at column 11',
      ],
      ['a bare word', 'foo', 0, 3, "Unexpected 'foo' at column 1"],
    ])('with %s', (_, query, from, to, message) => {
      const error = catchError(() => scopeQuery(query, SCOPE));
      expect(error).toBeInstanceOf(TraceQLSyntaxError);
      expect(error).toBeInstanceOf(TraceQLInputError);
      expect(error).toMatchObject({ from, to, message });
    });
  });

  describe('rejects pipelines that would read spans of every service', () => {
    it.each([
      'count() > 1',
      'select(span.http.route)',
      'by(resource.service.name)',
      'coalesce()',
      'rate()',
      'rate() | { .a = 1 }',
      '{ .a = 1 } && count() > 1',
      '(count() > 1) && { .a = 1 }',
      '{ .a = 1 } | (count() > 1)',
      '{ .a = 1 } | rate() && { .b = 1 }',
      '{ .a = 1 } >> select(.b)',
    ])('%s', query => {
      expect(() => scopeQuery(query, SCOPE)).toThrow(
        /A pipeline must start with a spanset filter such as \{ \}/,
      );
    });
  });

  describe('rejects queries that Tempo could read differently from lezer', () => {
    it.each([
      // lezer reads `a\n//x` as one attribute name; Tempo ends the name at the line break and then
      // skips `//x…` as a comment, which would swallow the scope condition added after it.
      ['a line break inside an attribute name', '{ .a\n//x = 1 } | { .b = 2 }'],
      ['a comment between scope and name', '{ span./**/x = 1 }'],
      ['a space between scope and name', '{ span . x = 1 }'],
      ['a comment hiding a brace', '{ ./* } */x = 1 }'],
      ['a line comment', '{ .a = 1 } // note'],
      ['a block comment', '{ .a = 1 /* } */ }'],
      // lezer accepts a raw line break in "…"; Go's scanner stops the string there.
      ['a line break in a double-quoted string', '{ .a = "x\n) || true" }'],
      ['a template variable', '{ .a = $service }'],
      ['a braced template variable in a name', '{ .${name} = 1 }'],
      ['non-breaking space, whitespace only to lezer', '{ .a = 1 }\u00a0'],
      ['a form feed', '{ .a = 1 }\f'],
      [
        'a duration suffix Tempo would read',
        '{ .a = 1 } | count() > 1with (most_recent=true)',
      ],
      ['NUL', '{ .a = "\0" }'],
    ])('%s', (_, query) => {
      expect(() => scopeQuery(query, SCOPE)).toThrow(TraceQLSyntaxError);
    });
  });

  describe('refuses conditions that would not scope the query', () => {
    it.each([
      ['an empty condition', ''],
      ['a blank condition', '  '],
      ['a condition closing the filter', 'a = 1 } | { b = 2'],
      ['a condition that does not parse', 'resource.service.name ='],
      ['a pipeline', '.a = 1 } | rate() | {'],
    ])('%s', (_, condition) => {
      const error = catchError(() => scopeQuery('{ .a = 1 }', condition));
      expect(error).toBeInstanceOf(Error);
      // A bad condition is a bug in the caller, not bad user input.
      expect(error).not.toBeInstanceOf(TraceQLInputError);
    });
  });

  it('handles long queries', () => {
    const filters = Array.from({ length: 250 }, (_, i) => `{ .a = "${i}" }`);
    const result = scopeQuery(filters.join(' && '), SCOPE);
    expect(result.split(`&& ${SCOPE} }`)).toHaveLength(251);
  });

  it.each([
    ['spanset filters', (i: number) => `{ .a = "${'x'.repeat(50)}${i}" }`],
    ['conditions', (i: number) => `.a = "${'x'.repeat(50)}${i}"`],
  ])(
    'refuses chains of more operators than lezer parses reliably, of %s',
    (kind, part) => {
      const parts = Array.from({ length: 600 }, (_, i) => part(i));
      const query =
        kind === 'conditions'
          ? `{ ${parts.join(' && ')} }`
          : parts.join(' && ');
      expect(() => scopeQuery(query, SCOPE)).toThrow(
        /More than 250 operators in a row/,
      );
    },
  );

  it('handles entities with thousands of services', () => {
    const names = Array.from({ length: 3000 }, (_, i) => `service-${i}`);
    const result = scopeQuery(
      '{ .a = 1 } | rate()',
      buildScopeCondition({ serviceNames: names }),
    );
    expect(
      result.match(/resource\.service\.name = "service-\d+"/g),
    ).toHaveLength(3000);
  });
});

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
