import {
  readCondition,
  hasSyntaxErrors,
  nodesNamed,
  parseTraceQL,
} from './__testUtils__/tempoSyntax';
import {
  buildFilterCondition,
  buildScopeCondition,
  combineConditions,
} from './conditions';
import { TraceQLInputError } from './errors';

function read(condition: string) {
  const query = `{ ${condition} }`;
  const tree = parseTraceQL(query);
  expect(hasSyntaxErrors(tree)).toBe(false);
  const [filter] = nodesNamed(tree, 'SpansetFilter');
  return readCondition(query, filter.getChild('FieldExpression')!);
}

const service = (value: string) => ({
  attribute: 'resource.service.name',
  operator: '=',
  value,
});

describe('buildScopeCondition', () => {
  it('matches one service', () => {
    expect(buildScopeCondition({ serviceNames: ['checkout'] })).toBe(
      'resource.service.name = "checkout"',
    );
  });

  it('matches any of several services, then namespace and attributes', () => {
    const condition = buildScopeCondition({
      serviceNames: ['a', 'b'],
      serviceNamespace: 'ns',
      attributes: [
        { scope: 'resource', name: 'deployment.environment', value: 'prod' },
        { scope: 'span', name: 'k8s cluster', value: 'eu-1' },
      ],
    });
    expect(condition).toBe(
      '(resource.service.name = "a" || resource.service.name = "b") && resource.service.namespace = "ns" && resource.deployment.environment = "prod" && span."k8s cluster" = "eu-1"',
    );
    expect(read(condition)).toEqual({
      op: '&&',
      args: [
        { op: '||', args: [service('a'), service('b')] },
        { attribute: 'resource.service.namespace', operator: '=', value: 'ns' },
        {
          attribute: 'resource.deployment.environment',
          operator: '=',
          value: 'prod',
        },
        { attribute: 'span.k8s cluster', operator: '=', value: 'eu-1' },
      ],
    });
  });

  it('keeps hostile values inside their literals', () => {
    const names = [
      'a" || resource.service.name != "',
      '} || {',
      'x\\',
      '`${x}`',
      'new\nline',
    ];
    const condition = buildScopeCondition({
      serviceNames: names,
      serviceNamespace: '") || true || ("',
      attributes: [{ scope: 'resource', name: 'a"b = c', value: '&& ||' }],
    });
    expect(read(condition)).toEqual({
      op: '&&',
      args: [
        { op: '||', args: names.map(service) },
        {
          attribute: 'resource.service.namespace',
          operator: '=',
          value: '") || true || ("',
        },
        { attribute: 'resource.a"b = c', operator: '=', value: '&& ||' },
      ],
    });
  });

  it('groups long chains so the lezer parser accepts them', () => {
    const names = Array.from({ length: 250 }, (_, i) => `s${i}`);
    const condition = buildScopeCondition({
      serviceNames: names,
      serviceNamespace: 'ns',
    });
    const chunk = (from: number, to: number) =>
      names
        .slice(from, to)
        .map(name => `resource.service.name = "${name}"`)
        .join(' || ');
    expect(condition).toBe(
      `((${chunk(0, 100)}) || (${chunk(100, 200)}) || (${chunk(
        200,
        250,
      )})) && resource.service.namespace = "ns"`,
    );
    const parsed = read(condition);
    expect(parsed).toMatchObject({
      op: '&&',
      args: [{ op: '||' }, { value: 'ns' }],
    });
  });

  it('drops duplicate services and an empty namespace', () => {
    expect(
      buildScopeCondition({
        serviceNames: ['a', 'a', 'b', 'a'],
        serviceNamespace: '',
      }),
    ).toBe('(resource.service.name = "a" || resource.service.name = "b")');
  });

  it.each([
    ['no service', { serviceNames: [] }],
    ['an empty service name', { serviceNames: ['a', ''] }],
    ['an unrepresentable value', { serviceNames: ['a\0'] }],
    [
      'an empty attribute name',
      {
        serviceNames: ['a'],
        attributes: [{ scope: 'span', name: '', value: 'x' }],
      },
    ],
    [
      'an attribute scope other than resource or span',
      {
        serviceNames: ['a'],
        attributes: [{ scope: 'event', name: 'x', value: 'y' }],
      },
    ],
  ])('rejects %s', (_, scope) => {
    expect(() => buildScopeCondition(scope as any)).toThrow(TraceQLInputError);
  });
});

describe('buildFilterCondition', () => {
  it('is undefined without filters', () => {
    expect(buildFilterCondition({})).toBeUndefined();
    expect(
      buildFilterCondition({
        errorsOnly: false,
        spanName: '',
        httpRoute: '',
        minDuration: '',
      }),
    ).toBeUndefined();
  });

  it('combines every filter with keywords unquoted and strings quoted', () => {
    expect(
      buildFilterCondition({
        errorsOnly: true,
        spanName: 'GET /orders/{id}',
        httpRoute: '/orders/"x" || true',
        kind: 'server',
        minDuration: '100ms',
        maxDuration: '1.5s',
      }),
    ).toBe(
      'status = error && span:name = "GET /orders/{id}" && span.http.route = "/orders/\\"x\\" || true" && kind = server && duration >= 100ms && duration <= 1.5s',
    );
  });

  it('writes the status once when errorsOnly and status agree', () => {
    expect(buildFilterCondition({ errorsOnly: true, status: 'error' })).toBe(
      'status = error',
    );
    expect(buildFilterCondition({ status: 'unset' })).toBe('status = unset');
  });

  it('parses as the intended comparisons', () => {
    const condition = buildFilterCondition({
      spanName: '"}',
      httpRoute: '\\',
    })!;
    expect(read(condition)).toEqual({
      op: '&&',
      args: [
        { attribute: 'span:name', operator: '=', value: '"}' },
        { attribute: 'span.http.route', operator: '=', value: '\\' },
      ],
    });
  });

  it.each([
    ['a status outside the keywords', { status: 'error || true' }],
    ['a kind outside the keywords', { kind: 'server } | { true' }],
    ['a malformed duration', { minDuration: '100ms || true' }],
    ['a duration without unit', { maxDuration: '100' }],
  ])('rejects %s', (_, filters) => {
    expect(() => buildFilterCondition(filters as any)).toThrow(
      TraceQLInputError,
    );
  });
});

describe('combineConditions', () => {
  it('is undefined when nothing is given', () => {
    expect(combineConditions()).toBeUndefined();
    expect(combineConditions(undefined, '', '  ')).toBeUndefined();
  });

  it('returns a single condition unchanged', () => {
    expect(combineConditions(undefined, 'a = 1 || b = 2')).toBe(
      'a = 1 || b = 2',
    );
  });

  it('parenthesises conditions with a top-level ||', () => {
    expect(
      combineConditions('.a = 1 || .b = 2', undefined, 'status = error'),
    ).toBe('(.a = 1 || .b = 2) && status = error');
  });

  it('leaves || inside parentheses or literals alone', () => {
    const scope = buildScopeCondition({
      serviceNames: ['a', 'b'],
      serviceNamespace: 'ns',
    });
    expect(combineConditions(scope, '.x = "a || b"')).toBe(
      `${scope} && .x = "a || b"`,
    );
  });

  it('parenthesises text it cannot parse when it contains ||', () => {
    expect(combineConditions('a ||', 'b')).toBe('(a ||) && b');
  });

  it('combines into one parseable conjunction', () => {
    const combined = combineConditions(
      buildScopeCondition({ serviceNames: ['a', 'b'] }),
      buildFilterCondition({ errorsOnly: true }),
    )!;
    expect(read(combined)).toEqual({
      op: '&&',
      args: [
        { op: '||', args: [service('a'), service('b')] },
        { attribute: 'status', operator: '=', keyword: 'error' },
      ],
    });
  });
});
