import fc from 'fast-check';
import {
  decodeAttributeName,
  goUnquote,
  hasSyntaxErrors,
  nodesNamed,
  parseTraceQL,
} from './__testUtils__/tempoSyntax';
import { TraceQLInputError } from './errors';
import {
  parseTraceQLAttribute,
  traceqlAttribute,
  traceqlDuration,
  traceqlString,
} from './literals';

const HOSTILE_VALUES = [
  '',
  'plain',
  'say "hi"',
  'C:\\temp\\',
  '\\"',
  'a\\nb',
  'line\nbreak',
  'tab\there',
  'carriage\rreturn',
  '} || { true',
  '{ resource.service.name = "x" }',
  '"} || {',
  'a && b || c',
  '`backtick`',
  '${env}',
  '$service',
  '// not a comment',
  '/* nor this */',
  'ünïcødé ✓ 日本語 😀',
  '\u00a0\u2028\u2029\ufeff',
  '\u0001\u001f\u007f',
  'x'.repeat(100_000),
];

const ATTRIBUTE_SCOPE = fc.constantFrom(
  'resource',
  'span',
  'event',
  'link',
  'instrumentation',
  'parent',
  '' as const,
);

function stringNode(query: string) {
  const strings = nodesNamed(parseTraceQL(query), 'String');
  expect(strings).toHaveLength(1);
  return query.slice(strings[0].from, strings[0].to);
}

describe('traceqlString', () => {
  it.each(HOSTILE_VALUES.map(value => [value.slice(0, 40), value]))(
    'round-trips %j through Go and lezer',
    (_, value) => {
      const literal = traceqlString(value);
      expect(goUnquote(literal)).toBe(value);
      const query = `{ .a = ${literal} }`;
      expect(hasSyntaxErrors(parseTraceQL(query))).toBe(false);
      expect(stringNode(query)).toBe(literal);
    },
  );

  it('escapes only quotes and backslashes in double-quoted literals', () => {
    expect(traceqlString('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"');
    expect(traceqlString('tab\there')).toBe('"tab\there"');
  });

  it('uses a raw string for values with line breaks', () => {
    expect(traceqlString('two\nlines "quoted" \\')).toBe(
      '`two\nlines "quoted" \\`',
    );
  });

  it('replaces lone surrogates with U+FFFD', () => {
    expect(traceqlString('a\ud800b\udc00c')).toBe('"a\ufffdb\ufffdc"');
    expect(traceqlString('\ud83d\ude00')).toBe('"\ud83d\ude00"');
  });

  it.each([
    ['NUL', 'a\0b'],
    ['line feed and backtick', 'a\n`'],
    ['line feed and carriage return', 'a\r\nb'],
  ])('rejects values with %s, which no literal can carry', (_, value) => {
    expect(() => traceqlString(value)).toThrow(TraceQLInputError);
  });

  const unit = fc.oneof(
    fc.constantFrom(
      '"',
      '\\',
      '\n',
      '\r',
      '`',
      '{',
      '}',
      '\ud800',
      '\udfff',
      '$',
    ),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  );
  const representable = (value: string) =>
    !value.includes('\0') && !(value.includes('\n') && /[`\r]/.test(value));

  it('round-trips any value it accepts', () => {
    fc.assert(
      fc.property(
        fc.string({ unit, maxLength: 30 }).filter(representable),
        value => {
          const literal = traceqlString(value);
          expect(goUnquote(literal)).toBe(value.toWellFormed());
          expect(stringNode(`{ .a = ${literal} }`)).toBe(literal);
        },
      ),
    );
  });

  it('rejects any value with NUL, or with a line feed and a backtick or carriage return', () => {
    const bad = fc
      .tuple(
        fc.string({ unit }),
        fc.constantFrom('\0', '\n`', '`\n', '\r\n', '\n\r'),
        fc.string({ unit }),
      )
      .map(parts => parts.join(''));
    fc.assert(
      fc.property(bad, value => {
        expect(() => traceqlString(value)).toThrow(TraceQLInputError);
      }),
    );
  });
});

describe('traceqlAttribute', () => {
  it('leaves plain dotted names unquoted', () => {
    expect(traceqlAttribute('resource', 'service.name')).toBe(
      'resource.service.name',
    );
    expect(traceqlAttribute('span', 'http.status_code')).toBe(
      'span.http.status_code',
    );
    expect(traceqlAttribute('span', 'my-attr')).toBe('span.my-attr');
    expect(traceqlAttribute('', 'foo')).toBe('.foo');
    expect(traceqlAttribute('parent', 'x')).toBe('parent.x');
  });

  it('quotes names Tempo or lezer would read differently', () => {
    expect(traceqlAttribute('span', 'with space')).toBe('span."with space"');
    expect(traceqlAttribute('span', 'a"b\\c')).toBe('span."a\\"b\\\\c"');
    expect(traceqlAttribute('span', '1st')).toBe('span."1st"');
    expect(traceqlAttribute('span', 'ünï')).toBe('span."ünï"');
    expect(traceqlAttribute('span', 'a}b')).toBe('span."a}b"');
    // Would be read as a nested scope or as a keyword.
    expect(traceqlAttribute('parent', 'span.x')).toBe('parent."span.x"');
    expect(traceqlAttribute('', 'resource.x')).toBe('."resource.x"');
    expect(traceqlAttribute('span', 'spanner')).toBe('span."spanner"');
    expect(traceqlAttribute('span', 'without')).toBe('span."without"');
  });

  it.each([
    ['resource', 'service.name'],
    ['span', 'a b'],
    ['span', '"'],
    ['event', '\\'],
    ['link', 'x}||{'],
    ['instrumentation', 'new\nline'],
    ['', 'dots.and.more'],
    ['parent', 'resource'],
    ['span', '${x}'],
    ['span', '// c'],
    ['span', 'ünïcødé 😀'],
  ] as const)(
    '%s scope, name %j parses back to the same name',
    (scope, name) => {
      const query = `{ ${traceqlAttribute(scope, name)} = 1 }`;
      const tree = parseTraceQL(query);
      expect(hasSyntaxErrors(tree)).toBe(false);
      const [identifier] = nodesNamed(tree, 'Identifier');
      expect(
        decodeAttributeName(query.slice(identifier.from, identifier.to)),
      ).toBe(name);
      expect(query.slice(identifier.parent!.from, identifier.from)).toBe(
        `${scope}.`,
      );
    },
  );

  it('round-trips any name it accepts', () => {
    const unit = fc.oneof(
      fc.constantFrom(
        '"',
        '\\',
        ' ',
        '.',
        '{',
        '}',
        '=',
        'span',
        'with',
        '\ud800',
        '\n',
      ),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    );
    fc.assert(
      fc.property(
        ATTRIBUTE_SCOPE,
        fc
          .string({ unit, minLength: 1, maxLength: 20 })
          .filter(name => !name.includes('\0')),
        (scope, name) => {
          const query = `{ ${traceqlAttribute(scope, name)} = 1 }`;
          const tree = parseTraceQL(query);
          expect(hasSyntaxErrors(tree)).toBe(false);
          const [identifier] = nodesNamed(tree, 'Identifier');
          expect(
            decodeAttributeName(query.slice(identifier.from, identifier.to)),
          ).toBe(name.toWellFormed());
        },
      ),
    );
  });

  it('rejects empty names, NUL and unknown scopes', () => {
    expect(() => traceqlAttribute('span', '')).toThrow(TraceQLInputError);
    expect(() => traceqlAttribute('span', 'a\0')).toThrow(TraceQLInputError);
    expect(() => traceqlAttribute('trace' as any, 'id')).toThrow(
      /Unknown TraceQL attribute scope/,
    );
  });
});

describe('parseTraceQLAttribute', () => {
  it('reads scoped, unscoped and quoted references', () => {
    expect(parseTraceQLAttribute('span.http.route')).toEqual({
      scope: 'span',
      name: 'http.route',
    });
    expect(parseTraceQLAttribute('.foo')).toEqual({ scope: '', name: 'foo' });
    expect(parseTraceQLAttribute('resource."a \\"b\\\\"')).toEqual({
      scope: 'resource',
      name: 'a "b\\',
    });
    expect(parseTraceQLAttribute('span.spanner')).toEqual({
      scope: 'span',
      name: 'spanner',
    });
    expect(parseTraceQLAttribute('.été')).toEqual({ scope: '', name: 'été' });
  });

  it.each([
    '',
    '.',
    'span.',
    'http.route',
    'duration',
    '.a b',
    '.a=1',
    'span.a || .b',
    '.a}',
    '."open',
    '."bad \\n escape"',
    '.a\u0000',
  ])('is undefined for %j, which is not one attribute reference', text => {
    expect(parseTraceQLAttribute(text)).toBeUndefined();
  });

  it('reads back what traceqlAttribute writes', () => {
    fc.assert(
      fc.property(
        ATTRIBUTE_SCOPE,
        fc
          .string({ minLength: 1, unit: 'grapheme' })
          .filter(name => !name.includes('\0')),
        (scope, name) => {
          expect(parseTraceQLAttribute(traceqlAttribute(scope, name))).toEqual({
            scope,
            name,
          });
        },
      ),
    );
  });
});

describe('traceqlDuration', () => {
  it.each([
    '0ms',
    '100ms',
    '1.5s',
    '250us',
    '250µs',
    '10ns',
    '5m',
    '2h',
    '0.25h',
  ])('accepts %s', value => {
    expect(traceqlDuration(value)).toBe(value);
    expect(
      nodesNamed(parseTraceQL(`{ duration > ${value} }`), 'Duration'),
    ).toHaveLength(1);
  });

  it.each([
    '',
    '100',
    'ms',
    '1.s',
    '.5s',
    '-1s',
    '1 s',
    '1d',
    '1w',
    '1μs', // Greek mu, not the micro sign
    '100ms }',
    '1s || true',
    '1e3ms',
    '99999999999h',
  ])('rejects %j', value => {
    expect(() => traceqlDuration(value)).toThrow(TraceQLInputError);
  });

  it('says what it accepts', () => {
    expect(() => traceqlDuration('soon')).toThrow(
      'Invalid duration "soon": expected a number followed by ns, us, µs, ms, s, m or h, such as 100ms or 1.5s',
    );
  });
});
