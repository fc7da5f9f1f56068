import fc from 'fast-check';
import {
  Condition,
  goUnquote,
  hasSyntaxErrors,
  nodesNamed,
  parseTraceQL,
  readCondition,
  SyntaxNode,
  tempoTokens,
} from './__testUtils__/tempoSyntax';
import { buildScopeCondition, ScopeFilter } from './conditions';
import { TraceQLInputError, TraceQLSyntaxError } from './errors';
import { traceqlAttribute, traceqlString } from './literals';
import { scopeQuery } from './scopeQuery';
import { validateTraceQL } from './validate';

// Characters and fragments with a meaning in TraceQL, Go string syntax, lezer or JavaScript.
const METACHARACTERS = [
  ...'"\\\n\r\t\0`\'{}()|&=!~<>$ .,^\u00a0\u2028\ufeffé',
  ...[
    '\ud800',
    '\udc00',
    '😀',
    '||',
    '&&',
    '>>',
    '${',
    '//',
    '/*',
    '*/',
    '\\"',
    '\\n',
    '\\u0041',
  ],
  ...['resource.', 'span.', 'with', 'µs', '"} || {', '} | rate() | {'],
];
const unit = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...METACHARACTERS) },
  {
    weight: 2,
    arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  },
  {
    weight: 2,
    arbitrary: fc.string({
      unit: 'grapheme-ascii',
      minLength: 1,
      maxLength: 1,
    }),
  },
);
const hostile = fc.oneof(
  { weight: 9, arbitrary: fc.string({ unit, maxLength: 12 }) },
  {
    weight: 1,
    arbitrary: fc.string({ unit, minLength: 100, maxLength: 1000 }),
  },
);

/** What Tempo stores for a JavaScript string: lone surrogates cannot survive UTF-8. */
const stored = (value: string) => value.toWellFormed();
const representable = (value: string) => {
  const text = stored(value);
  return !text.includes('\0') && !(text.includes('\n') && /[`\r]/.test(text));
};

const scopeFilter: fc.Arbitrary<ScopeFilter> = fc.record(
  {
    serviceNames: fc.array(hostile, { minLength: 1, maxLength: 4 }),
    serviceNamespace: hostile,
    attributes: fc.array(
      fc.record({
        scope: fc.constantFrom('resource' as const, 'span' as const),
        name: hostile,
        value: hostile,
      }),
      { maxLength: 3 },
    ),
  },
  { requiredKeys: ['serviceNames'] },
);

function isBuildable(scope: ScopeFilter): boolean {
  const names = scope.serviceNames.map(stored);
  return (
    !names.includes('') &&
    scope.serviceNames.every(representable) &&
    (!scope.serviceNamespace || representable(scope.serviceNamespace)) &&
    (scope.attributes ?? []).every(
      ({ name, value }) =>
        name !== '' && !name.includes('\0') && representable(value),
    )
  );
}

function expectedCondition(scope: ScopeFilter): Condition {
  const services: Condition[] = [
    ...new Set(scope.serviceNames.map(stored)),
  ].map(value => ({
    attribute: 'resource.service.name',
    operator: '=',
    value,
  }));
  const parts: Condition[] = [
    services.length > 1 ? { op: '||', args: services } : services[0],
  ];
  if (scope.serviceNamespace) {
    parts.push({
      attribute: 'resource.service.namespace',
      operator: '=',
      value: stored(scope.serviceNamespace),
    });
  }
  for (const { scope: attributeScope, name, value } of scope.attributes ?? []) {
    parts.push({
      attribute: `${attributeScope}.${stored(name)}`,
      operator: '=',
      value: stored(value),
    });
  }
  return parts.length > 1 ? { op: '&&', args: parts } : parts[0];
}

const textOf = (query: string, node: SyntaxNode) =>
  query.slice(node.from, node.to);
const literals = (query: string) =>
  nodesNamed(parseTraceQL(query), 'String').map(node =>
    goUnquote(textOf(query, node)),
  );

describe('buildScopeCondition with scopeQuery, for any names and values', () => {
  it('yields exactly one filter holding exactly the intended comparisons', () => {
    fc.assert(
      fc.property(scopeFilter.filter(isBuildable), scope => {
        const query = scopeQuery(undefined, buildScopeCondition(scope));
        const tree = parseTraceQL(query);
        expect(hasSyntaxErrors(tree)).toBe(false);
        expect(validateTraceQL(query)).toEqual({ valid: true });
        expect(tempoReading(query)).toEqual(lezerReading(query));

        const filters = nodesNamed(tree, 'SpansetFilter');
        expect(filters).toHaveLength(1);
        expect([filters[0].from, filters[0].to]).toEqual([0, query.length]);
        const expected = expectedCondition(scope);
        expect(
          readCondition(query, filters[0].getChild('FieldExpression')!),
        ).toEqual(expected);

        const services = new Set(scope.serviceNames.map(stored));
        const namespaces = scope.serviceNamespace
          ? [stored(scope.serviceNamespace)]
          : [];
        const attributeValues = (scope.attributes ?? []).map(({ value }) =>
          stored(value),
        );
        const comparisons =
          services.size + namespaces.length + attributeValues.length;
        expect(nodesNamed(tree, 'FieldOp')).toHaveLength(comparisons);
        expect(nodesNamed(tree, 'Or')).toHaveLength(services.size - 1);
        expect(nodesNamed(tree, 'And')).toHaveLength(
          comparisons - services.size,
        );
        expect(literals(query)).toEqual([
          ...services,
          ...namespaces,
          ...attributeValues,
        ]);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses values no TraceQL literal can carry', () => {
    const unrepresentable = fc
      .tuple(hostile, fc.constantFrom('\0', '\n`', '`\n', '\r\n'), hostile)
      .map(parts => parts.join(''));
    const broken = fc.oneof(
      scopeFilter.map(scope => ({
        ...scope,
        serviceNames: [...scope.serviceNames, ''],
      })),
      fc
        .tuple(scopeFilter, unrepresentable)
        .map(([scope, bad]) => ({ ...scope, serviceNames: [bad] })),
      fc
        .tuple(scopeFilter, unrepresentable)
        .map(([scope, bad]) => ({ ...scope, serviceNamespace: bad })),
      fc.tuple(scopeFilter, unrepresentable).map(([scope, bad]) => ({
        ...scope,
        attributes: [{ scope: 'span' as const, name: 'x', value: bad }],
      })),
      scopeFilter.map(scope => ({
        ...scope,
        attributes: [{ scope: 'resource' as const, name: '', value: 'x' }],
      })),
    );
    fc.assert(
      fc.property(broken, scope => {
        expect(() => buildScopeCondition(scope)).toThrow(TraceQLInputError);
      }),
    );
  });
});

// Valid user queries assembled from TraceQL pieces, with hostile string values and names.
const userLiteral = fc.oneof(
  hostile.filter(representable).map(traceqlString),
  hostile.map(value => `\`${value.replace(/[`\0]/g, '')}\``),
);
const userAttribute = fc.oneof(
  fc.constantFrom(
    'span.http.route',
    'resource.service.name',
    '.foo',
    'span:name',
    'name',
    'parent.resource.x',
  ),
  fc
    .tuple(
      fc.constantFrom(
        'resource' as const,
        'span' as const,
        'event' as const,
        '' as const,
      ),
      hostile,
    )
    .filter(([, name]) => stored(name) !== '' && !name.includes('\0'))
    .map(([scope, name]) => traceqlAttribute(scope, name)),
);
const comparison = fc.oneof(
  fc
    .tuple(userAttribute, fc.constantFrom('=', '!=', '=~', '!~'), userLiteral)
    .map(
      ([attribute, operator, literal]) => `${attribute} ${operator} ${literal}`,
    ),
  fc.constantFrom(
    'status = error',
    'kind = server',
    'duration > 100ms',
    'span:duration <= 1.5s',
    '.n >= 3',
    '.x = nil',
  ),
);
const { fieldExpression } = fc.letrec<{ fieldExpression: string }>(tie => ({
  fieldExpression: fc.oneof(
    { depthSize: 'small' },
    comparison,
    fc
      .tuple(
        tie('fieldExpression'),
        fc.constantFrom('&&', '||'),
        tie('fieldExpression'),
      )
      .map(parts => parts.join(' ')),
    tie('fieldExpression').map(inner => `(${inner})`),
    tie('fieldExpression').map(inner => `!(${inner})`),
  ),
}));
const spansetFilter = fc
  .option(fieldExpression, { nil: undefined })
  .map(inner => (inner ? `{ ${inner} }` : '{ }'));
const SPANSET_OPERATORS = [
  '&&',
  '||',
  '>>',
  '<<',
  '>',
  '<',
  '~',
  '&>>',
  '&<<',
  '&>',
  '&<',
  '&~',
  '!>>',
  '!<<',
  '!>',
  '!<',
];
const { spanset } = fc.letrec<{ spanset: string }>(tie => ({
  spanset: fc.oneof(
    { depthSize: 'small' },
    spansetFilter,
    fc
      .tuple(
        tie('spanset'),
        fc.constantFrom(...SPANSET_OPERATORS),
        tie('spanset'),
      )
      .map(parts => parts.join(' ')),
    tie('spanset').map(inner => `(${inner})`),
  ),
}));
const stage = fc.oneof(
  fc.constantFrom(
    'select(span.http.status_code, resource.service.name)',
    'count() > 2',
    'by(resource.service.name)',
    'avg(duration) > 1s',
    'coalesce()',
  ),
  spansetFilter,
);
const metrics = fc.oneof(
  fc.constantFrom(
    'rate()',
    'count_over_time() by (span.http.route)',
    'quantile_over_time(duration, 0.99, 0.5)',
    'histogram_over_time(span:duration) by (resource.service.name)',
    'rate() by (resource.service.name) | topk(5)',
    'min_over_time(duration)',
  ),
  spansetFilter.map(filter => `compare(${filter})`),
);
const userQuery = fc
  .tuple(
    spanset,
    fc.array(stage, { maxLength: 3 }),
    fc.option(metrics, { nil: undefined }),
    fc.boolean(),
  )
  .map(
    ([source, stages, metric, hint]) =>
      [source, ...stages, ...(metric ? [metric] : [])].join(' | ') +
      (hint ? ' with (most_recent=true)' : ''),
  );

// A scope condition and the exact text scopeQuery appends after `&&`.
const condition = fc.oneof(
  scopeFilter.filter(isBuildable).map(scope => {
    const text = buildScopeCondition(scope);
    return { text, operand: text };
  }),
  fc
    .array(hostile.filter(representable), { minLength: 2, maxLength: 3 })
    .map(names => {
      const text = names
        .map(name => `resource.service.name = ${traceqlString(name)}`)
        .join(' || ');
      return { text, operand: `(${text})` };
    }),
);

/** The query with each filter replaced by a placeholder: what scoping must leave untouched. */
function skeleton(query: string, filters: SyntaxNode[]): string {
  let result = '';
  let copied = 0;
  for (const filter of filters) {
    result += `${query.slice(copied, filter.from)}{…}`;
    copied = filter.to;
  }
  return result + query.slice(copied);
}

interface Reading {
  strings: number[][];
  attributes: number[][];
  openBraces: number[];
  closeBraces: number[];
}

/** Where lezer puts string literals, attribute names and the braces of spanset filters. */
function lezerReading(query: string): Reading {
  const tree = parseTraceQL(query);
  const filters = nodesNamed(tree, 'SpansetFilter');
  return {
    strings: nodesNamed(tree, 'String').map(({ from, to }) => [from, to]),
    attributes: nodesNamed(tree, 'Identifier').map(({ from, to }) => [
      from,
      to,
    ]),
    openBraces: filters.map(filter => filter.from),
    closeBraces: filters.map(filter => filter.to - 1),
  };
}

/** The same as Tempo's lexer sees it, or undefined when Tempo refuses the query. */
function tempoReading(query: string): Reading | undefined {
  let tokens;
  try {
    tokens = tempoTokens(query);
  } catch {
    return undefined;
  }
  const of = (kind: string) =>
    tokens
      .filter(token => token.kind === kind)
      .map(({ from, to }) => [from, to]);
  const braces = (char: string) =>
    tokens
      .filter(token => query.slice(token.from, token.to) === char)
      .map(token => token.from);
  return {
    strings: of('string'),
    attributes: of('attribute'),
    openBraces: braces('{'),
    closeBraces: braces('}'),
  };
}

function expectScopedEverywhere(
  query: string,
  scoped: string,
  scope: { text: string; operand: string },
) {
  expect(validateTraceQL(scoped)).toEqual({ valid: true });
  // Scoping follows lezer's tree: Tempo must find the same filters, or refuse the query.
  expect([undefined, lezerReading(scoped)]).toContainEqual(
    tempoReading(scoped),
  );
  const before = nodesNamed(parseTraceQL(query), 'SpansetFilter');
  const after = nodesNamed(parseTraceQL(scoped), 'SpansetFilter');
  expect(after).toHaveLength(before.length);
  after.forEach((filter, i) => {
    const inner = before[i].getChild('FieldExpression');
    const expected = inner
      ? `(${textOf(query, inner)}) && ${scope.operand}`
      : scope.text;
    expect(textOf(scoped, filter.getChild('FieldExpression')!)).toBe(expected);
  });
  expect(skeleton(scoped, after)).toBe(skeleton(query, before));
}

describe('scopeQuery, for generated user queries', () => {
  it('scopes every filter and keeps the rest of the query and its literals', () => {
    fc.assert(
      fc.property(userQuery, condition, (query, scope) => {
        expect(validateTraceQL(query)).toEqual({ valid: true });
        expect(tempoReading(stored(query))).toEqual(
          lezerReading(stored(query)),
        );
        const scoped = scopeQuery(query, scope.text);
        expect(tempoReading(scoped)).toEqual(lezerReading(scoped));
        expectScopedEverywhere(stored(query), scoped, scope);

        // The user's literals, each filter's followed by the condition's, in order. Lone surrogates
        // cannot reach Tempo, so the values it sees are those of the well-formed query.
        const sent = stored(query);
        const tree = parseTraceQL(sent);
        const scopeLiterals = literals(`{ ${scope.text} }`);
        const expected = [
          ...nodesNamed(tree, 'String').map(node => ({
            at: node.from,
            values: [goUnquote(textOf(sent, node))],
          })),
          ...nodesNamed(tree, 'SpansetFilter').map(node => ({
            at: node.to - 0.5,
            values: scopeLiterals,
          })),
        ]
          .sort((a, b) => a.at - b.at)
          .flatMap(({ values }) => values);
        expect(literals(scoped)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

// Damaged queries must either be refused as bad input or come out scoped; never anything else.
const damaged = fc
  .tuple(
    userQuery,
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.nat({ max: 3 }),
        fc.oneof(fc.constantFrom(...METACHARACTERS), hostile),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([query, edits]) =>
    edits.reduce((edited, [at, remove, insert]) => {
      const i = at % (edited.length + 1);
      return edited.slice(0, i) + insert + edited.slice(i + remove);
    }, query),
  );

describe('scopeQuery, for damaged and arbitrary input', () => {
  const scope = {
    text: 'resource.service.name = "a" || resource.service.name = "b"',
    operand: '(resource.service.name = "a" || resource.service.name = "b")',
  };

  it.each([
    ['edited valid queries', damaged],
    ['arbitrary text', fc.string({ unit, maxLength: 60 })],
  ])(
    'refuses %s exactly when validateTraceQL does, with TraceQLSyntaxError',
    (_, input) => {
      fc.assert(
        fc.property(input, query => {
          let error: unknown;
          try {
            scopeQuery(query, scope.text);
          } catch (caught) {
            error = caught;
          }
          const { valid } = validateTraceQL(query);
          let outcome: unknown = 'scoped';
          if (error !== undefined) {
            outcome = error instanceof TraceQLSyntaxError ? 'refused' : error;
          }
          expect(outcome).toBe(valid ? 'scoped' : 'refused');
        }),
        { numRuns: 1000 },
      );
    },
  );

  it('scopes every filter of the edited queries it accepts', () => {
    const accepted = damaged.filter(
      query => query.trim() !== '' && validateTraceQL(query).valid,
    );
    fc.assert(
      fc.property(accepted, query => {
        const scoped = scopeQuery(query, scope.text);
        // A pipeline must start with a filter, so there is at least one.
        expect(scoped).toContain(scope.text);
        expectScopedEverywhere(stored(query), scoped, scope);
      }),
      { numRuns: 200 },
    );
  });
});
