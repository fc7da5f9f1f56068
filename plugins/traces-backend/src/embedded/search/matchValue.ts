import type { AttributeValue } from '@backstage-traces/plugin-traces-common';
import type { SpanCondition } from '../traceql';

/**
 * One condition on one stored value, in JavaScript: for resource attributes, which are few
 * (one set per service process) and are matched here rather than in SQL. Undefined when this
 * cannot tell (regexes, arrays): the caller then keeps the candidate for the evaluator.
 */
export function matchValue(
  value: AttributeValue | undefined,
  condition: SpanCondition,
): boolean | undefined {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value) || typeof value === 'object') return undefined;
  const { op } = condition;
  if (op === 'in') {
    return typeof value === 'string' && condition.value.includes(value);
  }
  if (op === '=~' || op === '!~') return undefined;
  const expected = condition.value;
  if (typeof expected !== typeof value) return false;
  switch (op) {
    case '=':
      return value === expected;
    case '!=':
      return value !== expected;
    case '<':
      return value < expected;
    case '<=':
      return value <= expected;
    case '>':
      return value > expected;
    case '>=':
      return value >= expected;
    default:
      return undefined;
  }
}
