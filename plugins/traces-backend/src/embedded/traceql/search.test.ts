import { InputError } from '@backstage/errors';
import { makeSpan } from './__testUtils__/spans';
import { compileSearch } from './search';
import type { TraceQLScope, TraceQLSpan, TraceQLTrace } from './types';

const ALL: TraceQLScope = {};

/** The IDs of the spans `query` matches in `spans`, in order. */
function matched(
  query: string,
  spans: TraceQLSpan[],
  scope = ALL,
  trace: Partial<TraceQLTrace> = {},
) {
  const sets = compileSearch(query, scope).evaluate({ spans, ...trace });
  expect(sets.length).toBeLessThanOrEqual(1);
  return (sets[0] ?? []).map(span => span.spanId).sort();
}

const spans = [
  makeSpan('a', {
    name: 'GET /orders',
    kind: 2,
    statusCode: 2,
    statusMessage: 'boom',
    durationNs: 120_000_000,
    attributes: {
      'http.route': '/orders',
      'http.status_code': 500,
      retry: true,
      tags: ['x', 'y'],
    },
    resourceAttributes: {
      'service.name': 'frontend',
      region: 'eu',
      'deployment.environment': 'prod',
    },
  }),
  makeSpan('b', {
    parentSpanId: 'a',
    name: 'SELECT orders',
    kind: 3,
    statusCode: 1,
    durationNs: 90_000_000,
    serviceName: 'orders-api',
    attributes: {
      'db.system': 'postgresql',
      'http.status_code': 200,
      region: 'us',
      ratio: 0.5,
    },
    resourceAttributes: {
      'service.name': 'orders-api',
      region: 'eu',
      'service.namespace': 'shop',
    },
  }),
  makeSpan('c', {
    parentSpanId: 'b',
    name: 'connect',
    kind: 1,
    durationNs: 1_500_000,
    serviceName: 'orders-api',
    attributes: { 'http.status_code': '200', constructor: 'x' },
    resourceAttributes: {
      'service.name': 'orders-api',
      'service.namespace': 'shop',
    },
  }),
];

describe('compileSearch: intrinsics', () => {
  it.each([
    ['{ name = "GET /orders" }', ['a']],
    ['{ span:name != "connect" }', ['a', 'b']],
    ['{ name =~ "GET.*" }', ['a']],
    ['{ name =~ "GET" }', []], // regexes match the whole value, as in Tempo
    ['{ name !~ ".*orders" }', ['c']],
    ['{ name > "H" }', ['b', 'c']],
    ['{ status = error }', ['a']],
    ['{ status = ok }', ['b']],
    ['{ status = unset }', ['c']],
    ['{ status != error }', ['b', 'c']],
    ['{ span:status = error }', ['a']],
    ['{ status = 2 }', []], // a status is not a number in TraceQL
    ['{ statusMessage = "boom" }', ['a']],
    ['{ statusMessage = "" }', ['b', 'c']],
    ['{ kind = server }', ['a']],
    ['{ kind = client }', ['b']],
    ['{ kind = internal }', ['c']],
    ['{ kind != server }', ['b', 'c']],
    ['{ kind = producer || kind = consumer || kind = unspecified }', []],
    ['{ duration > 100ms }', ['a']],
    ['{ duration >= 90ms }', ['a', 'b']],
    ['{ duration < 90ms }', ['c']],
    ['{ duration <= 1.5ms }', ['c']],
    ['{ span:duration = 90ms }', ['b']],
    ['{ duration != 90ms }', ['a', 'c']],
    ['{ duration > 1500000 }', ['a', 'b']], // numbers compare with durations as nanoseconds
    ['{ duration > 1m }', []],
  ])('%s', (query, expected) => {
    expect(matched(query, spans)).toEqual(expected);
  });

  it('reads trace-level intrinsics from the trace or its root span', () => {
    expect(
      matched('{ rootName = "GET /orders" && kind = client }', spans),
    ).toEqual(['b']);
    expect(matched('{ rootServiceName = "frontend" }', spans)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(matched('{ trace:rootService = "orders-api" }', spans)).toEqual([]);
    expect(
      matched('{ trace:rootName =~ "GET.*" && name = "connect" }', spans),
    ).toEqual(['c']);
    // a starts at 0 and lasts 120 ms; the others start at 0 too.
    expect(matched('{ traceDuration = 120ms && status = ok }', spans)).toEqual([
      'b',
    ]);
    expect(matched('{ trace:duration > 2s }', spans)).toEqual([]);
    // The store's trace row wins over the spans it passed.
    expect(
      matched(
        '{ traceDuration > 2s && rootServiceName = "x" }',
        spans.slice(1),
        ALL,
        {
          durationNs: 3e9,
          rootServiceName: 'x',
        },
      ),
    ).toEqual(['b', 'c']);
  });

  it('has no root facts for a trace without a root', () => {
    expect(matched('{ rootName != "x" }', spans.slice(1))).toEqual([]);
  });
});

describe('compileSearch: attributes', () => {
  it.each([
    ['{ span.http.route = "/orders" }', ['a']],
    ['{ span.http.status_code = 500 }', ['a']],
    ['{ span.http.status_code >= 200 }', ['a', 'b']], // "200" on c is a string
    ['{ span.http.status_code = "200" }', ['c']],
    ['{ span.http.status_code != 500 }', ['b']], // missing and mistyped values never match
    ['{ span.http.status_code < 300 }', ['b']],
    ['{ span.http.status_code <= 200 }', ['b']],
    ['{ span.http.status_code > 200.5 }', ['a']],
    ['{ span.ratio = 0.5 }', ['b']],
    ['{ span.ratio < 1 }', ['b']],
    ['{ span.retry = true }', ['a']],
    ['{ span.retry }', ['a']],
    ['{ span.retry != false }', ['a']],
    ['{ span.retry > true }', []],
    ['{ span.tags = "y" }', ['a']], // arrays match when an element does
    ['{ span.tags != "x" }', ['a']],
    ['{ span.tags =~ "[xz]" }', ['a']],
    ['{ resource.region = "eu" }', ['a', 'b']],
    ['{ resource.service.namespace = "shop" }', ['b', 'c']],
    ['{ resource."service.namespace" = "shop" }', ['b', 'c']],
    ['{ span.region = "eu" }', []],
    // Unscoped: the span's attribute first, else the resource's.
    ['{ .region = "eu" }', ['a']],
    ['{ .region = "us" }', ['b']],
    ['{ .db.system = "postgresql" }', ['b']],
    ['{ .http.route != nil }', ['a']],
    ['{ .http.route = nil }', ['b', 'c']],
    ['{ span.constructor = "x" }', ['c']],
    ['{ span.toString != nil }', []], // no Object.prototype leaks
    ['{ span.missing != "x" }', []],
    ['{ span.missing =~ ".*" }', []],
    ['{ span.missing !~ "x" }', []],
    ['{ "/orders" = span.http.route }', ['a']],
    ['{ 300 > span.http.status_code }', ['b']],
    ['{ span.http.status_code = span.http.status_code }', ['a', 'b', 'c']],
  ])('%s', (query, expected) => {
    expect(matched(query, spans)).toEqual(expected);
  });

  it('compares event and link attributes when any event or link matches', () => {
    const withEvents = [
      makeSpan('e', {
        events: [
          { name: 'exception', attributes: { 'exception.type': 'IOError' } },
          { name: 'retry', attributes: { attempt: 2 } },
        ],
        links: [{ attributes: { relation: 'follows' } }],
      }),
      makeSpan('f', { events: [] }),
    ];
    expect(matched('{ event.exception.type = "IOError" }', withEvents)).toEqual(
      ['e'],
    );
    expect(matched('{ event.attempt > 1 }', withEvents)).toEqual(['e']);
    expect(matched('{ event:name = "retry" }', withEvents)).toEqual(['e']);
    expect(matched('{ link.relation = "follows" }', withEvents)).toEqual(['e']);
    expect(matched('{ event.attempt = "2" }', withEvents)).toEqual([]);
    const plan = compileSearch('{ event.a = 1 || link.b = 2 }', ALL);
    expect(plan.needs).toMatchObject({ events: true, links: true });
  });
});

describe('compileSearch: boolean logic', () => {
  it.each([
    ['{}', ['a', 'b', 'c']],
    ['{ }', ['a', 'b', 'c']],
    ['{ true }', ['a', 'b', 'c']],
    ['{ false }', []],
    ['{ !(kind = server) }', ['b', 'c']],
    ['{ kind = server || kind = client }', ['a', 'b']],
    ['{ kind = server && status = error }', ['a']],
    ['{ (kind = server || kind = client) && status = ok }', ['b']],
    // Tempo gives && and || the same precedence, left to right: (server || client) && ok.
    ['{ kind = server || kind = client && status = ok }', ['b']],
    ['{ status = ok && kind = client || kind = server }', ['a', 'b']],
    ['{ kind = server || (kind = client && status = ok) }', ['a', 'b']],
    [
      '{ span.http.status_code = -1 || duration > -1ms && kind = internal }',
      ['c'],
    ],
  ])('%s', (query, expected) => {
    expect(matched(query, spans)).toEqual(expected);
  });

  it.each([
    ['{ kind = server } && { kind = client }', ['a', 'b']],
    ['{ kind = server } && { kind = producer }', []],
    ['{ kind = server } || { kind = producer }', ['a']],
    ['{ kind = producer } || { kind = client }', ['b']],
    [
      '{ kind = server } || { kind = client } && { kind = internal }',
      ['a', 'b', 'c'],
    ],
    ['{ kind = producer } || { kind = client } && { kind = consumer }', []],
    [
      '({ kind = server } | { status = error }) && { kind = client }',
      ['a', 'b'],
    ],
    ['{ kind = server || kind = client } | { status = ok }', ['b']],
    ['{ .region = "eu" } | select(span.http.route, status)', ['a']],
  ])('%s', (query, expected) => {
    expect(matched(query, spans)).toEqual(expected);
  });

  it('lists the named fields so the store can return them on matched spans', () => {
    expect(
      compileSearch(
        '{ .a = 1 && rootName = "x" } | select(span.b, status)',
        ALL,
      ).fields,
    ).toEqual([
      { scope: 'unscoped', key: 'a' },
      { trace: 'rootName' },
      { scope: 'span', key: 'b' },
      { intrinsic: 'status' },
    ]);
  });
});

describe('compileSearch: entity scope', () => {
  const scope: TraceQLScope = {
    serviceNames: ['orders-api'],
    serviceNamespace: 'shop',
  };

  it('ANDs the scope into every spanset filter, as scopeQuery does', () => {
    expect(matched('', spans, scope)).toEqual(['b', 'c']);
    expect(matched('{}', spans, scope)).toEqual(['b', 'c']);
    expect(matched('{ kind = server }', spans, scope)).toEqual([]);
    expect(
      matched('{ kind = server || kind = internal }', spans, scope),
    ).toEqual(['c']);
    expect(
      matched('{ kind = server } || { kind = client }', spans, scope),
    ).toEqual(['b']);
    expect(
      matched('{ kind = server } >> { kind = internal }', spans, scope),
    ).toEqual([]);
    expect(
      matched('{ kind = client } > { kind = internal }', spans, scope),
    ).toEqual(['c']);
  });

  it('checks the environment and cluster resource attributes', () => {
    const prod: TraceQLScope = {
      environment: { attribute: 'deployment.environment', value: 'prod' },
    };
    expect(matched('{}', spans, prod)).toEqual(['a']);
    expect(
      matched('{}', spans, {
        ...prod,
        cluster: { attribute: 'k8s.cluster.name', value: 'x' },
      }),
    ).toEqual([]);
    expect(
      matched('{}', spans, {
        serviceNames: ['frontend', 'orders-api', 'frontend'],
      }),
    ).toEqual(['a', 'b', 'c']);
  });

  it('puts the scope into every prefilter alternative', () => {
    const plan = compileSearch(
      '{ kind = server } || { name = "x" && duration > 1s }',
      scope,
    );
    const scopeConditions = [
      { field: { intrinsic: 'serviceName' }, op: 'in', value: ['orders-api'] },
      {
        field: { scope: 'resource', key: 'service.namespace' },
        op: '=',
        value: 'shop',
      },
    ];
    expect(plan.prefilter).toEqual([
      [{ field: { intrinsic: 'kind' }, op: '=', value: 2 }, ...scopeConditions],
      [
        { field: { intrinsic: 'name' }, op: '=', value: 'x' },
        { field: { intrinsic: 'duration' }, op: '>', value: 1e9 },
        ...scopeConditions,
      ],
    ]);
    expect(plan.exact).toBe(false);
    expect(plan.needs.wholeTrace).toBe(false);
  });
});

describe('compileSearch: prefilter', () => {
  it.each([
    [
      '{ span.http.route = "/x" }',
      [[{ field: { scope: 'span', key: 'http.route' }, op: '=', value: '/x' }]],
      true,
    ],
    [
      '{ .a =~ "x.*" }',
      [[{ field: { scope: 'unscoped', key: 'a' }, op: '=~', value: 'x.*' }]],
      true,
    ],
    [
      '{ status = error && rootServiceName = "f" }',
      [
        [
          { field: { intrinsic: 'status' }, op: '=', value: 2 },
          { field: { trace: 'rootServiceName' }, op: '=', value: 'f' },
        ],
      ],
      true,
    ],
    [
      '{ 300 > span.code }',
      [[{ field: { scope: 'span', key: 'code' }, op: '<', value: 300 }]],
      true,
    ],
    ['{}', [[]], true],
    ['{ false }', [], true],
    ['{ !(kind = server) }', [[]], false],
    ['{ span.a != nil }', [[]], false],
    ['{ "a" != span.x }', [[]], false],
    [
      '{ kind = server && event.x = 1 }',
      [[{ field: { intrinsic: 'kind' }, op: '=', value: 2 }]],
      false,
    ],
    ['{ status = "error" }', [[]], false],
  ])('%s', (query, prefilter, exact) => {
    const plan = compileSearch(query, ALL);
    expect(plan.prefilter).toEqual(prefilter);
    expect(plan.exact).toBe(exact);
  });

  it('widens a disjunction that would expand too far', () => {
    const clause = (i: number) => `(.a = ${i} || .b = ${i})`;
    const plan = compileSearch(
      `{ ${[1, 2, 3, 4, 5].map(clause).join(' && ')} }`,
      ALL,
    );
    expect(plan.prefilter.length).toBeLessThanOrEqual(16);
    expect(plan.exact).toBe(false);
  });
});

describe('compileSearch: errors', () => {
  it.each([
    [
      '{ .a = 1 + 2 }',
      "Arithmetic ('+') is not supported by the embedded store",
    ],
    [
      '{ parent.a = 1 }',
      "Attribute scope 'parent.' is not supported by the embedded store",
    ],
    ['{ instrumentation.a = 1 }', 'is not supported by the embedded store'],
    [
      '{ trace:id = "a" }',
      "Intrinsic 'trace:id' is not supported by the embedded store",
    ],
    [
      '{ span:id = "a" }',
      "Intrinsic 'span:id' is not supported by the embedded store",
    ],
    [
      '{} | count() > 2',
      "Aggregate filter 'count() > 2' is not supported by the embedded store",
    ],
    [
      '{} | by(name)',
      'by() outside a metrics function is not supported by the embedded store',
    ],
    ['{} | coalesce()', 'coalesce() is not supported by the embedded store'],
    [
      '{ .a =~ .b }',
      'A regular expression that is not a string literal is not supported',
    ],
    ['{ .a =~ "(?=x)" }', 'lookahead is not supported'],
    ['{ .a =~ "(" }', 'Invalid or unsupported regular expression'],
    ['{ .a = }', 'Invalid TraceQL: '],
    ['{ "x" }', 'is not a condition'],
    ['{} | rate()', 'This is a metrics query'],
  ])('%s', (query, message) => {
    expect(() => compileSearch(query, ALL)).toThrow(InputError);
    expect(() => compileSearch(query, ALL)).toThrow(message);
  });
});
