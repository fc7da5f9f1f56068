export { compileSearch } from './search';
export type { SearchPlan } from './search';
export type {
  ComparisonOperator,
  ConditionField,
  SpanCondition,
  SpanIntrinsic,
  TraceIntrinsic,
  TraceQLAttributes,
  TraceQLScope,
  TraceQLSpan,
  TraceQLTrace,
  TraceQLValue,
} from './types';
export { compileMetrics } from './metrics';
export type { MetricsAccumulator, MetricsPlan, MetricsRange } from './metrics';
