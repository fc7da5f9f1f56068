import { InputError } from '@backstage/errors';
import type { Field, FieldExpr, Literal } from './ast';
import {
  compareValues,
  DURATION,
  KIND,
  NIL,
  STATUS,
  STRING,
  typeOfLiteral,
  typeOfValue,
  type ValueType,
} from './compare';
import { compileTempoRegex } from './regex';
import type { TraceQLAttributes, TraceQLSpan } from './types';

/** Facts about the trace a span belongs to, computed once per trace. */
export interface TraceFacts {
  rootName: string | null;
  rootServiceName: string | null;
  durationNs: number | null;
}

export type SpanPredicate = (span: TraceQLSpan, facts: TraceFacts) => boolean;

type Getter = (span: TraceQLSpan, facts: TraceFacts) => unknown;

// Attribute maps come from JSON.parse and so inherit Object.prototype: `attributes.constructor`
// would be a function. Names that exist on the prototype are read as own properties only.
function attributeOf(
  attributes: TraceQLAttributes,
  name: string,
  inherited: boolean,
): unknown {
  if (inherited && !Object.prototype.hasOwnProperty.call(attributes, name))
    return undefined;
  return attributes[name];
}

/** A single-valued field: its static type (undefined when it depends on the value) and getter. */
function getterOf(field: Field): { type?: ValueType; get: Getter } | undefined {
  if (field.kind === 'intrinsic') {
    switch (field.name) {
      case 'name':
        return { type: STRING, get: span => span.name };
      case 'statusMessage':
        return { type: STRING, get: span => span.statusMessage ?? '' };
      case 'status':
        return { type: STATUS, get: span => span.statusCode };
      case 'kind':
        return { type: KIND, get: span => span.kind };
      case 'duration':
        return { type: DURATION, get: span => span.durationNs };
      case 'rootName':
        return { get: (_, facts) => facts.rootName };
      case 'rootServiceName':
        return { get: (_, facts) => facts.rootServiceName };
      case 'traceDuration':
        return { get: (_, facts) => facts.durationNs };
      default:
        return undefined; // event:name is multi-valued
    }
  }
  const name = field.name;
  const inherited = name in Object.prototype;
  switch (field.scope) {
    case 'span':
      return { get: span => attributeOf(span.attributes, name, inherited) };
    case 'resource':
      return {
        get: span => attributeOf(span.resourceAttributes, name, inherited),
      };
    case 'unscoped':
      // Tempo looks the name up on the span first, then on the resource.
      return {
        get: span => {
          const value = attributeOf(span.attributes, name, inherited);
          return value === undefined
            ? attributeOf(span.resourceAttributes, name, inherited)
            : value;
        },
      };
    default:
      return undefined; // event. and link. are multi-valued
  }
}

/** Values of a multi-valued field (events and links): the span matches when any of them does. */
function multiGetterOf(field: Field): (span: TraceQLSpan) => unknown[] {
  if (field.kind === 'intrinsic') {
    return span => (span.events ?? []).map(event => event.name);
  }
  const name = field.name;
  const inherited = name in Object.prototype;
  const list = field.scope === 'event' ? 'events' : 'links';
  return span => {
    const values: unknown[] = [];
    for (const item of span[list] ?? []) {
      const value = attributeOf(item.attributes, name, inherited);
      if (value !== undefined) values.push(value);
    }
    return values;
  };
}

/** Whether a field needs events or links decoded. */
export function fieldNeeds(field: Field): 'events' | 'links' | undefined {
  if (field.kind === 'intrinsic')
    return field.name === 'eventName' ? 'events' : undefined;
  if (field.scope === 'event') return 'events';
  if (field.scope === 'link') return 'links';
  return undefined;
}

const TRUE: Literal = { kind: 'literal', type: 'bool', value: true };
const alwaysTrue: SpanPredicate = () => true;
const alwaysFalse: SpanPredicate = () => false;

/**
 * Compiles a spanset filter's condition into a predicate, once per query: getters, literal
 * types and regular expressions are resolved here, so a span is tested without allocating.
 */
export function compilePredicate(expr: FieldExpr): SpanPredicate {
  switch (expr.kind) {
    case 'literal':
      if (expr.type !== 'bool') {
        throw new InputError(
          `Invalid TraceQL: ${String(expr.value)} is not a condition`,
        );
      }
      return expr.value ? alwaysTrue : alwaysFalse;
    case 'intrinsic':
    case 'attribute':
      // A bare field is a condition when it holds `true`, as in Tempo.
      return compileComparison({
        kind: 'compare',
        op: '=',
        lhs: expr,
        rhs: TRUE,
      });
    case 'not': {
      const inner = compilePredicate(expr.expr);
      return (span, facts) => !inner(span, facts);
    }
    case 'and': {
      const lhs = compilePredicate(expr.lhs);
      const rhs = compilePredicate(expr.rhs);
      return (span, facts) => lhs(span, facts) && rhs(span, facts);
    }
    case 'or': {
      const lhs = compilePredicate(expr.lhs);
      const rhs = compilePredicate(expr.rhs);
      return (span, facts) => lhs(span, facts) || rhs(span, facts);
    }
    case 'compare':
      return compileComparison(expr);
    default:
      throw new Error('unknown expression');
  }
}

function compileComparison(
  expr: Extract<FieldExpr, { kind: 'compare' }>,
): SpanPredicate {
  const { op, lhs, rhs } = expr;
  const regex =
    (op === '=~' || op === '!~') &&
    rhs.kind === 'literal' &&
    rhs.type === 'string'
      ? compileTempoRegex(rhs.value)
      : undefined;
  if (lhs.kind === 'literal' && rhs.kind === 'literal') {
    return compareValues(
      op,
      typeOfLiteral(lhs),
      lhs.value,
      typeOfLiteral(rhs),
      rhs.value,
      regex,
    )
      ? alwaysTrue
      : alwaysFalse;
  }
  const left = operand(lhs);
  const right = operand(rhs);
  if (left.multi || right.multi) {
    // Events and links: any of their values.
    const { values: leftValues, type: leftStatic } = left;
    const { values: rightValues, type: rightStatic } = right;
    return (span, facts) => {
      for (const l of leftValues(span, facts)) {
        for (const r of rightValues(span, facts)) {
          const lt = leftStatic ?? typeOfNullable(l);
          const rt = rightStatic ?? typeOfNullable(r);
          if (compareValues(op, lt, l, rt, r, regex)) return true;
        }
      }
      return false;
    };
  }
  const getLeft = left.get;
  const getRight = right.get;
  const leftType = left.type;
  const rightType = right.type;
  if (rhs.kind === 'literal') {
    const value = rhs.value;
    const type = typeOfLiteral(rhs);
    if (leftType !== undefined) {
      return (span, facts) =>
        compareValues(op, leftType, getLeft(span, facts), type, value, regex);
    }
    return (span, facts) => {
      const v = getLeft(span, facts);
      return compareValues(op, typeOfNullable(v), v, type, value, regex);
    };
  }
  return (span, facts) => {
    const l = getLeft(span, facts);
    const r = getRight(span, facts);
    return compareValues(
      op,
      leftType ?? typeOfNullable(l),
      l,
      rightType ?? typeOfNullable(r),
      r,
      regex,
    );
  };
}

function typeOfNullable(value: unknown): ValueType {
  return value === null || value === undefined ? NIL : typeOfValue(value);
}

interface Operand {
  multi: boolean;
  type?: ValueType;
  get: Getter;
  values: (span: TraceQLSpan, facts: TraceFacts) => unknown[];
}

function operand(side: Literal | Field): Operand {
  if (side.kind === 'literal') {
    const value = side.value;
    const type = typeOfLiteral(side);
    const values = [value];
    return { multi: false, type, get: () => value, values: () => values };
  }
  const single = getterOf(side);
  if (single) {
    const { get, type } = single;
    return {
      multi: false,
      type,
      get,
      values: (span, facts) => {
        const v = get(span, facts);
        return v === undefined || v === null ? [] : [v];
      },
    };
  }
  const values = multiGetterOf(side);
  return { multi: true, get: () => undefined, values };
}
