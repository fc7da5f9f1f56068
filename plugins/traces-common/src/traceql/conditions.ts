import {
  SPAN_KINDS,
  STATUS_CODES,
  type SpanKind,
  type StatusCode,
} from '../types';
import { analyzeCondition } from './analyze';
import { TraceQLInputError } from './errors';
import { traceqlAttribute, traceqlDuration, traceqlString } from './literals';
import { toWellFormed } from './tempoLexer';

/** The spans that belong to a catalog entity. */
export interface ScopeFilter {
  /** Values of `resource.service.name`; a span matches when it has any of them. */
  serviceNames: string[];
  /** Value of `resource.service.namespace`, when the entity sets one. */
  serviceNamespace?: string;
  /** Further equalities every span must satisfy, such as the environment or cluster defaults. */
  attributes?: Array<{
    scope: 'resource' | 'span';
    name: string;
    value: string;
  }>;
}

/** Search form filters, combined with `&&`. Empty strings count as not set. */
export interface SearchFilters {
  errorsOnly?: boolean;
  /** Inclusive lower bound of the span duration, such as `100ms`. */
  minDuration?: string;
  /** Inclusive upper bound of the span duration, such as `2s`. */
  maxDuration?: string;
  /** Exact span name. */
  spanName?: string;
  /** Exact value of the `http.route` span attribute. */
  httpRoute?: string;
  status?: StatusCode;
  kind?: SpanKind;
}

/**
 * The condition (without braces) that restricts spans to an entity, for example
 * `(resource.service.name = "a" || resource.service.name = "b") && resource.service.namespace = "ns" && resource.deployment.environment = "prod"`.
 * Duplicate service names are dropped; an empty namespace counts as not set.
 *
 * @throws TraceQLInputError when `serviceNames` is empty or contains an empty name, or when a
 *   value cannot be written as a TraceQL literal (see traceqlString and traceqlAttribute).
 */
export function buildScopeCondition(scope: ScopeFilter): string {
  const names = [...new Set(scope.serviceNames.map(toWellFormed))];
  if (names.length === 0) {
    throw new TraceQLInputError(
      'At least one service name is needed to scope a TraceQL query',
    );
  }
  if (names.includes('')) {
    throw new TraceQLInputError(
      'Service names used to scope a TraceQL query cannot be empty',
    );
  }
  const serviceName = traceqlAttribute('resource', 'service.name');
  const services = joinOperands(
    names.map(name => `${serviceName} = ${traceqlString(name)}`),
    '||',
  );
  const parts = [names.length > 1 ? `(${services})` : services];
  if (scope.serviceNamespace) {
    parts.push(
      `${traceqlAttribute('resource', 'service.namespace')} = ${traceqlString(
        scope.serviceNamespace,
      )}`,
    );
  }
  for (const { scope: attributeScope, name, value } of scope.attributes ?? []) {
    if (attributeScope !== 'resource' && attributeScope !== 'span') {
      throw new TraceQLInputError(
        `Scope attributes must be resource or span attributes, not ${JSON.stringify(
          attributeScope,
        )}`,
      );
    }
    parts.push(
      `${traceqlAttribute(attributeScope, name)} = ${traceqlString(value)}`,
    );
  }
  return joinOperands(parts, '&&');
}

// lezer's parser gives up on left-associative chains of a few hundred operators (it force-reduces
// them to bound the tree depth and reports a syntax error), so long chains are grouped.
const MAX_CHAIN_LENGTH = 100;

function joinOperands(operands: string[], operator: '&&' | '||'): string {
  if (operands.length <= MAX_CHAIN_LENGTH) {
    return operands.join(` ${operator} `);
  }
  const groups: string[] = [];
  for (let i = 0; i < operands.length; i += MAX_CHAIN_LENGTH) {
    groups.push(
      `(${operands.slice(i, i + MAX_CHAIN_LENGTH).join(` ${operator} `)})`,
    );
  }
  return joinOperands(groups, operator);
}

/**
 * The condition (without braces) for the search form, such as
 * `status = error && span:name = "GET /" && span.http.route = "/" && duration >= 100ms`, or
 * undefined when no filter is set.
 *
 * @throws TraceQLInputError for a status or kind outside the TraceQL keywords, or a bad duration.
 */
export function buildFilterCondition(
  filters: SearchFilters,
): string | undefined {
  const parts: string[] = [];
  if (filters.errorsOnly) {
    parts.push('status = error');
  }
  if (filters.status !== undefined) {
    // Keywords are emitted unquoted, so they must come from the allow-list.
    if (!STATUS_CODES.includes(filters.status)) {
      throw new TraceQLInputError(
        `Invalid span status ${JSON.stringify(
          filters.status,
        )}: expected one of ${STATUS_CODES.join(', ')}`,
      );
    }
    if (!(filters.errorsOnly && filters.status === 'error')) {
      parts.push(`status = ${filters.status}`);
    }
  }
  if (filters.spanName) {
    parts.push(`span:name = ${traceqlString(filters.spanName)}`);
  }
  if (filters.httpRoute) {
    parts.push(
      `${traceqlAttribute('span', 'http.route')} = ${traceqlString(
        filters.httpRoute,
      )}`,
    );
  }
  if (filters.kind !== undefined) {
    if (!SPAN_KINDS.includes(filters.kind)) {
      throw new TraceQLInputError(
        `Invalid span kind ${JSON.stringify(
          filters.kind,
        )}: expected one of ${SPAN_KINDS.join(', ')}`,
      );
    }
    parts.push(`kind = ${filters.kind}`);
  }
  if (filters.minDuration) {
    parts.push(`duration >= ${traceqlDuration(filters.minDuration)}`);
  }
  if (filters.maxDuration) {
    parts.push(`duration <= ${traceqlDuration(filters.maxDuration)}`);
  }
  return parts.length > 0 ? parts.join(' && ') : undefined;
}

/**
 * Joins the non-empty conditions with ` && `, or returns undefined when there are none. When there
 * are several, each one with a `||` outside parentheses is parenthesised, since `&&` binds tighter.
 */
export function combineConditions(
  ...conditions: Array<string | undefined>
): string | undefined {
  const present = conditions
    .map(condition => condition?.trim())
    .filter((condition): condition is string => !!condition);
  if (present.length <= 1) {
    return present[0];
  }
  return present
    .map(condition =>
      needsParentheses(condition) ? `(${condition})` : condition,
    )
    .join(' && ');
}

function needsParentheses(condition: string): boolean {
  const { problem, topLevelOr } = analyzeCondition(condition);
  // Text that does not parse cannot be analysed; parenthesising it is the cautious choice.
  return problem ? condition.includes('||') : topLevelOr;
}
