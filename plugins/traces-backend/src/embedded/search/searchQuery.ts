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

/**
 * The user's query with the duration bounds (what the engine compiles, the scope going in as
 * data), and the same query as Tempo would be sent it, scope spliced in (what the answer
 * shows as `query`).
 */
export function searchQueryText(
  scope: TraceScope,
  input: {
    query?: string;
    minTraceDuration?: string;
    maxTraceDuration?: string;
  },
): { engine: string | undefined; display: string } {
  try {
    const durations = [
      input.minTraceDuration &&
        `trace:duration >= ${traceqlDuration(input.minTraceDuration)}`,
      input.maxTraceDuration &&
        `trace:duration <= ${traceqlDuration(input.maxTraceDuration)}`,
    ];
    const query = input.query?.trim() || undefined;
    const engineCondition = combineConditions(...durations);
    const displayCondition = combineConditions(
      scopeCondition(scope),
      ...durations,
    );
    return {
      engine: engineCondition ? scopeQuery(query, engineCondition) : query,
      display: displayCondition
        ? scopeQuery(query, displayCondition)
        : query ?? '{}',
    };
  } catch (error) {
    if (error instanceof TraceQLSyntaxError) {
      throw new InputError(
        `Invalid TraceQL at column ${error.from + 1}: ${error.message}`,
      );
    }
    if (error instanceof TraceQLInputError) throw new InputError(error.message);
    throw error;
  }
}

function scopeCondition(scope: TraceScope): string | undefined {
  const attributes = [scope.environment, scope.cluster]
    .filter((match): match is NonNullable<typeof match> => Boolean(match))
    .map(match => ({
      scope: 'resource' as const,
      name: match.attribute,
      value: match.value,
    }));
  if (scope.serviceNames?.length) {
    return buildScopeCondition({
      serviceNames: [...scope.serviceNames],
      serviceNamespace: scope.serviceNamespace,
      attributes,
    });
  }
  return combineConditions(
    ...attributes.map(
      ({ name, value }) =>
        `${traceqlAttribute('resource', name)} = ${traceqlString(value)}`,
    ),
  );
}
