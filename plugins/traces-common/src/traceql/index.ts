export { TraceQLInputError, TraceQLSyntaxError } from './errors';
export {
  parseTraceQLAttribute,
  traceqlAttribute,
  traceqlDuration,
  traceqlString,
} from './literals';
export type { TraceQLAttributeScope } from './literals';
export {
  buildFilterCondition,
  buildScopeCondition,
  combineConditions,
} from './conditions';
export type { ScopeFilter, SearchFilters } from './conditions';
export { scopeQuery } from './scopeQuery';
export { isMetricsQuery, parseTraceQL, validateTraceQL } from './validate';
export type { SyntaxNode as TraceQLSyntaxNode } from './analyze';
export type { TraceQLValidation } from './validate';
export { fieldUses } from './fieldUses';
export type { TraceQLFieldRole, TraceQLFieldUse } from './fieldUses';
export { parseConditionList } from './conditionList';
