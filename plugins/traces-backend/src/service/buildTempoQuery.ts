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
import type { TracesOptions } from '../config';
import type { Access } from './AccessResolver';

export interface QueryInput {
  /** The user's TraceQL, if any. */
  query?: string;
  /** Overrides the default environment; '' removes the environment filter. */
  environment?: string;
  minDuration?: string;
  maxDuration?: string;
}

/**
 * The TraceQL actually sent to Tempo: the user's query with the entity scope, the default
 * environment/cluster filters and duration bounds put into every spanset filter.
 */
export function buildTempoQuery(
  access: Access,
  options: TracesOptions,
  input: QueryInput,
): string {
  try {
    const condition = combineConditions(
      ...accessConditions(access, options, input.environment),
      input.minDuration &&
        `trace:duration >= ${traceqlDuration(input.minDuration)}`,
      input.maxDuration &&
        `trace:duration <= ${traceqlDuration(input.maxDuration)}`,
    );
    const query = input.query?.trim() || undefined;
    if (!condition) return query ?? '{}';
    return scopeQuery(query, condition);
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

/** The scope condition alone, e.g. to narrow tag values to an entity's services. */
export function accessConditions(
  access: Access,
  options: TracesOptions,
  environmentOverride?: string,
): Array<string | undefined> {
  const attributes: Array<{ scope: 'resource'; name: string; value: string }> =
    [];
  const environment = options.defaults.environment;
  const environmentValue = environmentOverride ?? environment?.value;
  if (environmentValue) {
    attributes.push({
      scope: 'resource',
      name: environment?.attribute ?? 'deployment.environment',
      value: environmentValue,
    });
  }
  if (options.defaults.cluster) {
    attributes.push({
      scope: 'resource',
      name: options.defaults.cluster.attribute,
      value: options.defaults.cluster.value,
    });
  }

  if (access.kind === 'entity') {
    return [
      buildScopeCondition({
        serviceNames: access.scope.serviceNames,
        serviceNamespace: access.scope.serviceNamespace,
        attributes,
      }),
    ];
  }
  return attributes.map(
    ({ scope, name, value }) =>
      `${traceqlAttribute(scope, name)} = ${traceqlString(value)}`,
  );
}
