import type { Field, FieldExpr, Literal } from './ast';
import { flip } from './compare';
import type {
  ComparisonOperator,
  ConditionField,
  SpanCondition,
} from './types';

/** OR of ANDs: `[[]]` is true, `[]` is false. */
export type Alternatives = SpanCondition[][];

export interface Prefilter {
  alternatives: Alternatives;
  /** Whether the alternatives mean exactly the expression (nothing was widened). */
  exact: boolean;
}

// Beyond this many alternatives, a disjunction is widened to `true` instead of expanded.
const MAX_ALTERNATIVES = 16;

export const TRUE: Prefilter = { alternatives: [[]], exact: true };

/**
 * A necessary condition for a span to satisfy `expr`, in disjunctive normal form of conditions a
 * store can put into SQL. What cannot be written so (negations, events and links, comparisons
 * between fields, nil) is widened to `true`, and `exact` becomes false.
 */
export function prefilterOf(expr: FieldExpr | undefined): Prefilter {
  if (!expr) return TRUE;
  switch (expr.kind) {
    case 'literal':
      return {
        alternatives: expr.type === 'bool' && expr.value ? [[]] : [],
        exact: true,
      };
    case 'intrinsic':
    case 'attribute':
      return comparison(expr, '=', {
        kind: 'literal',
        type: 'bool',
        value: true,
      });
    case 'compare':
      if (expr.lhs.kind !== 'literal' && expr.rhs.kind === 'literal') {
        return comparison(expr.lhs, expr.op, expr.rhs);
      }
      // `"a" != span.x` is true when x is missing (Tempo's nil right-hand operand), unlike
      // `span.x != "a"`: only the other operators can be turned around.
      if (
        expr.lhs.kind === 'literal' &&
        expr.rhs.kind !== 'literal' &&
        expr.op !== '!=' &&
        expr.op !== '=~' &&
        expr.op !== '!~'
      ) {
        return comparison(expr.rhs, flip(expr.op), expr.lhs);
      }
      return { alternatives: [[]], exact: false };
    case 'and':
      return and(prefilterOf(expr.lhs), prefilterOf(expr.rhs));
    case 'or':
      return or(prefilterOf(expr.lhs), prefilterOf(expr.rhs));
    default:
      return { alternatives: [[]], exact: false };
  }
}

export function and(a: Prefilter, b: Prefilter): Prefilter {
  const exact = a.exact && b.exact;
  if (a.alternatives.length * b.alternatives.length > MAX_ALTERNATIVES) {
    // Keep the side with fewer alternatives: still necessary, no longer exact.
    const narrower = a.alternatives.length <= b.alternatives.length ? a : b;
    return { alternatives: narrower.alternatives, exact: false };
  }
  const alternatives: Alternatives = [];
  for (const x of a.alternatives) {
    for (const y of b.alternatives) alternatives.push([...x, ...y]);
  }
  return { alternatives, exact };
}

export function or(a: Prefilter, b: Prefilter): Prefilter {
  const exact = a.exact && b.exact;
  if (
    a.alternatives.some(x => x.length === 0) ||
    b.alternatives.some(x => x.length === 0)
  ) {
    return { alternatives: [[]], exact };
  }
  const alternatives = dedupe([...a.alternatives, ...b.alternatives]);
  if (alternatives.length > MAX_ALTERNATIVES)
    return { alternatives: [[]], exact: false };
  return { alternatives, exact };
}

function dedupe(alternatives: Alternatives): Alternatives {
  const seen = new Set<string>();
  return alternatives.filter(alternative => {
    const key = JSON.stringify(alternative);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const STRING_FIELDS = new Set([
  'name',
  'statusMessage',
  'rootName',
  'rootServiceName',
]);

/** A comparison of a field with a literal, when a store can evaluate it as Tempo would. */
function comparison(
  field: Field,
  op: ComparisonOperator,
  literal: Literal,
): Prefilter {
  const widened: Prefilter = { alternatives: [[]], exact: false };
  if (literal.type === 'nil') return widened;
  if ((op === '=~' || op === '!~') && literal.type !== 'string') return widened;
  let target: ConditionField;
  if (field.kind === 'intrinsic') {
    const name = field.name;
    if (name === 'eventName') return widened;
    const ordered = op !== '=' && op !== '!=';
    if (STRING_FIELDS.has(name)) {
      if (literal.type !== 'string') return widened;
    } else if (name === 'status' || name === 'kind') {
      if (literal.type !== name || ordered) return widened;
    } else if (
      literal.type !== 'duration' &&
      literal.type !== 'int' &&
      literal.type !== 'float'
    ) {
      return widened;
    }
    if (
      name === 'rootName' ||
      name === 'rootServiceName' ||
      name === 'traceDuration'
    ) {
      target = { trace: name };
    } else {
      target = { intrinsic: name };
    }
  } else {
    if (field.scope === 'event' || field.scope === 'link') return widened;
    if (literal.type === 'status' || literal.type === 'kind') return widened;
    if (literal.type === 'bool' && op !== '=' && op !== '!=') return widened;
    target = { scope: field.scope, key: field.name };
  }
  return {
    alternatives: [
      [
        {
          field: target,
          op,
          value: literal.value as string | number | boolean,
        },
      ],
    ],
    exact: true,
  };
}
