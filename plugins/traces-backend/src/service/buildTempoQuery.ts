import { InputError } from '@backstage/errors';
import {
  buildScopeCondition,
  combineConditions,
  scopeQuery,
  traceqlAttribute,
  traceqlDuration,
  traceqlString,
  TraceQLInputError,
  TraceQLSyntaxError,
} from '@backstage-traces/plugin-traces-common';
import type { TraceScope } from '@backstage-traces/plugin-traces-node';

export interface QueryInput {
  /** The user's TraceQL, if any. */
  query?: string;
  minDuration?: string;
  maxDuration?: string;
}

/**
 * The TraceQL actually sent to Tempo: the user's query with the scope (entity services,
 * environment and cluster filters) and trace duration bounds put into every spanset filter.
 */
export function buildTempoQuery(scope: TraceScope, input: QueryInput): string {
  return asInputErrors(() => {
    const condition = combineConditions(
      ...scopeConditions(scope),
      input.minDuration &&
        `trace:duration >= ${traceqlDuration(input.minDuration)}`,
      input.maxDuration &&
        `trace:duration <= ${traceqlDuration(input.maxDuration)}`,
    );
    const query = input.query?.trim() || undefined;
    if (!condition) return query ?? '{}';
    return scopeQuery(query, condition);
  });
}

/** The scope as TraceQL conditions (without braces), e.g. to narrow tag values. */
export function scopeConditions(scope: TraceScope): string[] {
  return asInputErrors(() => {
    const attributes = [scope.environment, scope.cluster].flatMap(match =>
      match
        ? [
            {
              scope: 'resource' as const,
              name: match.attribute,
              value: match.value,
            },
          ]
        : [],
    );
    if (scope.serviceNames) {
      return [
        buildScopeCondition({
          serviceNames: [...scope.serviceNames],
          serviceNamespace: scope.serviceNamespace,
          attributes,
        }),
      ];
    }
    if (scope.serviceNamespace) {
      attributes.unshift({
        scope: 'resource',
        name: 'service.namespace',
        value: scope.serviceNamespace,
      });
    }
    return attributes.map(
      ({ scope: attributeScope, name, value }) =>
        `${traceqlAttribute(attributeScope, name)} = ${traceqlString(value)}`,
    );
  });
}

function asInputErrors<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof TraceQLSyntaxError) {
      throw new InputError(
        `Invalid TraceQL at column ${error.from + 1}: ${error.message}`,
      );
    }
    if (error instanceof TraceQLInputError) {
      throw new InputError(error.message);
    }
    throw error;
  }
}
