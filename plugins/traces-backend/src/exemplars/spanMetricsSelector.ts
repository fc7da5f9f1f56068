import {
  SPAN_KINDS,
  STATUS_CODES,
} from '@backstage-traces/plugin-traces-common';
import type { TraceScope } from '@backstage-traces/plugin-traces-node';
import type {
  Field,
  FieldExpr,
  MetricsFunction,
} from '../embedded/traceql/ast';
import { parseQuery } from '../embedded/traceql/parse';
import { labelMatchesAny, promqlString } from '../prometheus/promql';

/** Labels of the metrics-generator's span metrics (Tempo's `span-metrics` processor). */
const SERVICE = 'service';

/** What the span metrics can say about a TraceQL metrics query. */
export interface SpanMetricsSelector {
  /** `metric_bucket{…}`: the spans of the query within the scope. */
  selector: string;
  fn: MetricsFunction;
  /** `by (resource.service.name)`: series are told apart by the `service` label. */
  byService: boolean;
}

/**
 * The span metrics series holding exactly the spans a TraceQL metrics query counts, or
 * undefined when span metrics cannot say (then the store's own exemplars are used). Only one
 * spanset filter of `=` conditions on what span metrics label (service, span name, kind,
 * status), grouped by nothing or by the service name, maps.
 *
 * The scope is fail-closed: each of its filters becomes a matcher, the resource attributes
 * under the label the metrics-generator gives a configured dimension (`deployment.environment`
 * → `deployment_environment`). Series without that label match nothing, so a scope Prometheus
 * cannot check yields no exemplars instead of another service's. Tenants have no Prometheus
 * counterpart here, so a tenant scope never maps.
 */
export function spanMetricsSelector(
  query: string,
  scope: TraceScope,
  options: { latencyMetric: string; extraSelector?: string },
): SpanMetricsSelector | undefined {
  if (scope.tenant) return undefined;
  let parsed;
  try {
    parsed = parseQuery(query);
  } catch {
    return undefined;
  }
  const { spansets, metrics } = parsed;
  if (!metrics || spansets.kind !== 'filter') return undefined;

  const byService = metrics.by.length === 1;
  if (
    metrics.by.length > 1 ||
    (byService && !isResourceServiceName(metrics.by[0]))
  ) {
    return undefined;
  }

  const matchers = conditionMatchers(spansets.filter);
  if (!matchers) return undefined;
  if (scope.serviceNames) {
    matchers.push(labelMatchesAny(SERVICE, scope.serviceNames));
  }
  if (scope.serviceNamespace) {
    matchers.push(`service_namespace=${promqlString(scope.serviceNamespace)}`);
  }
  for (const match of [scope.environment, scope.cluster]) {
    if (match) {
      matchers.push(
        `${dimensionLabel(match.attribute)}=${promqlString(match.value)}`,
      );
    }
  }
  if (options.extraSelector) matchers.push(options.extraSelector);
  return {
    selector: `${options.latencyMetric}_bucket{${matchers.join(', ')}}`,
    fn: metrics.fn,
    byService,
  };
}

/** `a && b && …` of `field = literal` over labelled fields, as matchers; else undefined. */
function conditionMatchers(
  filter: FieldExpr | undefined,
): string[] | undefined {
  if (!filter) return [];
  if (filter.kind === 'and') {
    const lhs = conditionMatchers(filter.lhs);
    const rhs = conditionMatchers(filter.rhs);
    return lhs && rhs ? [...lhs, ...rhs] : undefined;
  }
  if (filter.kind !== 'compare' || filter.op !== '=') return undefined;
  const [field, literal] =
    filter.lhs.kind === 'literal'
      ? [filter.rhs, filter.lhs]
      : [filter.lhs, filter.rhs];
  if (literal.kind !== 'literal' || field.kind === 'literal') return undefined;
  if (field.kind === 'intrinsic') {
    if (field.name === 'status' && literal.type === 'status') {
      const code = STATUS_CODES[literal.value];
      return code
        ? [`status_code="STATUS_CODE_${code.toUpperCase()}"`]
        : undefined;
    }
    if (field.name === 'kind' && literal.type === 'kind') {
      const kind = SPAN_KINDS[literal.value];
      return kind ? [`span_kind="SPAN_KIND_${kind.toUpperCase()}"`] : undefined;
    }
    if (field.name === 'name' && literal.type === 'string') {
      return [`span_name=${promqlString(literal.value)}`];
    }
    return undefined;
  }
  if (isResourceServiceName(field) && literal.type === 'string') {
    return [`${SERVICE}=${promqlString(literal.value)}`];
  }
  return undefined;
}

/** The metrics-generator's `service` label is the resource's service name, nothing else. */
function isResourceServiceName(field: Field): boolean {
  return (
    field.kind === 'attribute' &&
    field.scope === 'resource' &&
    field.name === 'service.name'
  );
}

/** The Prometheus label of a resource attribute dimension, as the metrics-generator names it. */
function dimensionLabel(attribute: string): string {
  const label = attribute.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(label) ? `_${label}` : label;
}
