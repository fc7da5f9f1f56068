import type { TraceScope } from '@backstage-traces/plugin-traces-node';
import { tagValueRequests, tempoExtractMatchers } from './tagFilters';

const PROD = { attribute: 'deployment.environment', value: 'prod' };

const entity = (
  serviceNames: string[],
  serviceNamespace?: string,
): TraceScope => ({
  serviceNames,
  ...(serviceNamespace && { serviceNamespace }),
  environment: PROD,
});

describe('tempoExtractMatchers (Tempo 2.7 pkg/traceql/extractmatcher.go)', () => {
  it.each([
    ['{ .bar = "foo" }', '{.bar = "foo"}'],
    ['{ .bar = "foo" && .foo = "bar" }', '{.bar = "foo" && .foo = "bar"}'],
    ['{ .bar =~ "foo|bar" }', '{.bar =~ "foo|bar"}'],
    ['{ .bar = "foo" || .foo = "bar" }', '{}'],
    ['{ .bar = "foo" } && { .foo = "bar" }', '{}'],
    ['{ resource.service.name = "my service" }', '{}'],
    [
      '{ status = error && duration > 1s }',
      '{status = error && duration > 1s}',
    ],
    ['', '{}'],
  ])('%s → %s', (q, extracted) => {
    expect(tempoExtractMatchers(q)).toBe(extracted);
  });
});

describe('tagValueRequests', () => {
  it('asks once per service, with scoped names, and pins what the scope fixes', () => {
    expect(
      tagValueRequests('.service.name', entity(['a', 'b'], 'shop'), undefined),
    ).toEqual([
      { kind: 'known', value: { type: 'string', value: 'a' } },
      {
        kind: 'tempo',
        tag: 'span.service.name',
        q: '{ resource.service.name = "a" && resource.service.namespace = "shop" && resource.deployment.environment = "prod" }',
      },
      { kind: 'known', value: { type: 'string', value: 'b' } },
      {
        kind: 'tempo',
        tag: 'span.service.name',
        q: '{ resource.service.name = "b" && resource.service.namespace = "shop" && resource.deployment.environment = "prod" }',
      },
    ]);
  });

  it('lists other environments of the entity: the default is not a boundary', () => {
    expect(
      tagValueRequests(
        'resource.deployment.environment',
        entity(['a']),
        undefined,
      ),
    ).toEqual([
      {
        kind: 'tempo',
        tag: 'resource.deployment.environment',
        q: '{ resource.service.name = "a" }',
      },
    ]);
  });

  it('adds the user’s conditions after the scope', () => {
    expect(
      tagValueRequests('span.http.route', entity(['a']), '{ status = error }'),
    ).toEqual([
      {
        kind: 'tempo',
        tag: 'span.http.route',
        q: '{ resource.service.name = "a" && resource.deployment.environment = "prod" && status = error }',
      },
    ]);
  });

  it('refuses a service name Tempo could not filter on rather than answering unfiltered', () => {
    expect(() =>
      tagValueRequests('span.http.route', entity(['my service']), undefined),
    ).toThrow(/cannot apply the tag filter/);
  });
});
