import fc from 'fast-check';
import { makeSpan } from './__testUtils__/spans';
import { compileTempoRegex } from './regex';
import { compileSearch } from './search';
import type { SpanCondition, TraceQLScope, TraceQLSpan } from './types';

/**
 * The meaning of a prefilter condition as TRACEQL_API.md documents it for the store's SQL:
 * missing values and mismatched types are false, arrays match by any element.
 */
function holds(condition: SpanCondition, span: TraceQLSpan): boolean {
  const { field } = condition;
  let value: unknown;
  if ('intrinsic' in field) {
    value = {
      name: span.name,
      status: span.statusCode,
      statusMessage: span.statusMessage ?? '',
      kind: span.kind,
      duration: span.durationNs,
      serviceName: span.serviceName,
    }[field.intrinsic];
  } else if ('trace' in field) {
    throw new Error('no trace facts in this test');
  } else {
    const own = (o: object) =>
      Object.prototype.hasOwnProperty.call(o, field.key)
        ? (o as any)[field.key]
        : undefined;
    value =
      field.scope === 'resource'
        ? own(span.resourceAttributes)
        : own(span.attributes) ??
          (field.scope === 'unscoped'
            ? own(span.resourceAttributes)
            : undefined);
  }
  const test = (v: unknown): boolean => {
    if (v === undefined || v === null) return false;
    if (condition.op === 'in') return condition.value.includes(v as string);
    const expected = condition.value;
    if (typeof v !== typeof expected) return false;
    switch (condition.op) {
      case '=':
        return v === expected;
      case '!=':
        return v !== expected;
      case '=~':
        return compileTempoRegex(expected as string).test(v as string);
      case '!~':
        return !compileTempoRegex(expected as string).test(v as string);
      default:
        if (typeof v === 'boolean') return false;
        return {
          '<': (v as number) < (expected as number),
          '<=': (v as number) <= (expected as number),
          '>': (v as number) > (expected as number),
          '>=': (v as number) >= (expected as number),
        }[condition.op];
    }
  };
  return Array.isArray(value) ? value.some(test) : test(value);
}

const attributeValue = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('a', 'b', 'ab', ''),
  fc.integer({ min: -2, max: 2 }),
  fc.constantFrom(0.5, true, false),
  fc.constantFrom(['a', 'b'], [1, 2]),
);

let spanCount = 0;
const spanArb = fc
  .record({
    name: fc.constantFrom('a', 'b', 'ab'),
    kind: fc.integer({ min: 0, max: 5 }),
    statusCode: fc.integer({ min: 0, max: 2 }),
    durationNs: fc.constantFrom(1, 1_000_000, 2_000_000),
    serviceName: fc.constantFrom('s1', 's2'),
    n: attributeValue,
    s: attributeValue,
    rs: attributeValue,
  })
  .map(
    ({ n, s, rs, ...rest }): TraceQLSpan =>
      makeSpan(`span-${(spanCount += 1)}`, {
        ...rest,
        attributes: Object.fromEntries(
          Object.entries({ n, s }).filter(([, v]) => v !== undefined),
        ) as any,
        resourceAttributes: {
          'service.name': rest.serviceName,
          ...(rs === undefined ? {} : { s: rs as any }),
        },
      }),
  );

const field = fc.constantFrom(
  'name',
  'status',
  'kind',
  'duration',
  'span.n',
  'span.s',
  'resource.s',
  '.s',
  '.n',
  '.rs',
);
const literal = fc.constantFrom(
  '"a"',
  '"ab"',
  '""',
  '1',
  '-1',
  '0.5',
  'true',
  'false',
  'nil',
  'error',
  'ok',
  'server',
  'client',
  '1ms',
  '"a.*"',
);
const op = fc.constantFrom('=', '!=', '<', '<=', '>', '>=', '=~', '!~');
const comparison = fc
  .tuple(field, op, literal, fc.boolean())
  .filter(([, o, l]) => !((o === '=~' || o === '!~') && !l.startsWith('"')))
  .map(([f, o, l, flipped]) =>
    flipped && o !== '=~' && o !== '!~' ? `${l} ${o} ${f}` : `${f} ${o} ${l}`,
  );
const { condition } = fc.letrec<{ condition: string }>(tie => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    fc
      .tuple(tie('condition'), fc.constantFrom('&&', '||'), tie('condition'))
      .map(([a, o, b]) => `${a} ${o} ${b}`),
    tie('condition').map(c => `(${c})`),
    tie('condition').map(c => `!(${c})`),
  ),
}));

describe('prefilter (property)', () => {
  it('every matched span satisfies an alternative; an exact prefilter matches exactly', () => {
    fc.assert(
      fc.property(
        condition,
        fc.array(spanArb, { minLength: 1, maxLength: 8 }),
        fc.constantFrom<TraceQLScope>({}, { serviceNames: ['s1'] }),
        (filter, spans, scope) => {
          const plan = compileSearch(`{ ${filter} }`, scope);
          const matched = new Set(plan.evaluate({ spans })[0] ?? []);
          const passes = (span: TraceQLSpan) =>
            plan.prefilter.some(alternative =>
              alternative.every(c => holds(c, span)),
            );
          expect(
            spans.filter(span => matched.has(span) && !passes(span)),
          ).toEqual([]);
          const inexact = spans.filter(
            span => matched.has(span) !== passes(span),
          );
          expect(plan.exact ? inexact : []).toEqual([]);
        },
      ),
      { numRuns: 400 },
    );
  });
});
