import type { ComparisonOp, Literal } from './ast';

/**
 * Value types of Tempo's `Static`, as small integers so that comparing a span costs no
 * allocation. Tempo's int and float are one JavaScript number: Tempo compares them by value
 * anyway (`isNumeric` operands match each other).
 */
export const NIL = 0;
export const STRING = 1;
export const NUMBER = 2;
export const DURATION = 3;
export const BOOL = 4;
export const STATUS = 5;
export const KIND = 6;
export const ARRAY = 7;
export type ValueType = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

export function typeOfValue(value: unknown): ValueType {
  switch (typeof value) {
    case 'string':
      return STRING;
    case 'number':
      return NUMBER;
    case 'boolean':
      return BOOL;
    case 'object':
      return Array.isArray(value) ? ARRAY : NIL;
    default:
      return NIL;
  }
}

export function typeOfLiteral(literal: Literal): ValueType {
  switch (literal.type) {
    case 'string':
      return STRING;
    case 'int':
    case 'float':
      return NUMBER;
    case 'duration':
      return DURATION;
    case 'bool':
      return BOOL;
    case 'status':
      return STATUS;
    case 'kind':
      return KIND;
    default:
      return NIL;
  }
}

function isNumeric(type: ValueType): boolean {
  return type === NUMBER || type === DURATION;
}

// Tempo's binaryTypeValid: which operators a type takes part in.
function operatorValid(op: ComparisonOp, type: ValueType): boolean {
  switch (type) {
    case BOOL:
    case NIL:
    case STATUS:
    case KIND:
      return op === '=' || op === '!=';
    case NUMBER:
    case DURATION:
      return op !== '=~' && op !== '!~';
    default:
      return true;
  }
}

/**
 * Tempo 2.7's BinaryOperation.execute for comparisons (pkg/traceql/ast_execute.go): operands of
 * mismatched types are false (a missing attribute is nil, so `span.x != "a"` is false when x is
 * missing), numbers compare by value across int/float/duration, strings compare as text, arrays
 * match when any element does. `regex` is the compiled right-hand side of `=~`/`!~`.
 */
export function compareValues(
  op: ComparisonOp,
  lhsType: ValueType,
  lhs: unknown,
  rhsType: ValueType,
  rhs: unknown,
  regex: RegExp | undefined,
): boolean {
  if (lhsType === ARRAY && rhsType !== ARRAY) {
    for (const element of lhs as unknown[]) {
      if (compareValues(op, typeOfValue(element), element, rhsType, rhs, regex))
        return true;
    }
    return false;
  }
  if (rhsType === ARRAY && lhsType !== ARRAY) {
    const flipped = flip(op);
    for (const element of rhs as unknown[]) {
      if (
        compareValues(
          flipped,
          typeOfValue(element),
          element,
          lhsType,
          lhs,
          regex,
        )
      )
        return true;
    }
    return false;
  }
  // isMatchingOperand: same type, both numeric, or a nil right-hand side.
  if (
    lhsType !== rhsType &&
    !(isNumeric(lhsType) && isNumeric(rhsType)) &&
    rhsType !== NIL
  ) {
    return false;
  }
  if (!operatorValid(op, lhsType) || !operatorValid(op, rhsType)) return false;
  if (lhsType === STRING && rhsType === STRING) {
    if (op === '=~') return regex!.test(lhs as string);
    if (op === '!~') return !regex!.test(lhs as string);
  }
  const ordered =
    (lhsType === STRING && rhsType === STRING) ||
    (isNumeric(lhsType) && isNumeric(rhsType));
  if (ordered && op !== '=' && op !== '!=') {
    const a = lhs as string | number;
    const b = rhs as string | number;
    switch (op) {
      case '<':
        return a < b;
      case '<=':
        return a <= b;
      case '>':
        return a > b;
      default:
        return a >= b;
    }
  }
  if (op === '=') return equals(lhsType, lhs, rhsType, rhs);
  if (op === '!=') return !equals(lhsType, lhs, rhsType, rhs);
  // Ordering a nil (`span.x > nil`) and the like.
  return false;
}

function equals(
  lhsType: ValueType,
  lhs: unknown,
  rhsType: ValueType,
  rhs: unknown,
): boolean {
  if (lhsType === NIL) return rhsType === NIL;
  if (isNumeric(lhsType)) return isNumeric(rhsType) && lhs === rhs;
  if (lhsType === ARRAY) {
    const a = lhs as unknown[];
    const b = rhs as unknown[];
    return (
      rhsType === ARRAY &&
      a.length === b.length &&
      a.every((v, i) => v === b[i])
    );
  }
  return lhsType === rhsType && lhs === rhs;
}

/** The operator with its operands swapped (`a < b` is `b > a`). */
export function flip(op: ComparisonOp): ComparisonOp {
  switch (op) {
    case '<':
      return '>';
    case '<=':
      return '>=';
    case '>':
      return '<';
    case '>=':
      return '<=';
    default:
      return op;
  }
}
