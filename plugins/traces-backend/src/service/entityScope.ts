import { InputError } from '@backstage/errors';
import type { Entity } from '@backstage/catalog-model';
import {
  getEntityServiceScope,
  TRACES_SERVICE_NAME_ANNOTATION,
  TRACES_SERVICE_NAMESPACE_ANNOTATION,
  TRACES_TEMPO_TENANT_ANNOTATION,
  TraceQLInputError,
  traceqlString,
  type EntityServiceScope,
} from '@backstage-traces/plugin-traces-common';
import { tenantIdProblem } from '../tempo/tenantId';

/**
 * The entity's services, namespace and tenant, checked once where access is resolved, so
 * that every route answers the same 400 for an annotation no query can carry: it is the
 * entity's problem, named with the entity and the annotation, not a 500 deep in a store or a
 * 503 blaming Tempo. A service name or namespace must fit in a TraceQL string; a tenant
 * must be a tenant ID Tempo accepts.
 */
export function readEntityScope(
  entityRef: string,
  entity: Entity,
): EntityServiceScope {
  const scope = getEntityServiceScope(entity);
  const invalid = (annotation: string, value: string, problem: string) =>
    new InputError(
      `Entity ${entityRef} has an invalid '${annotation}' annotation: ${quote(
        value,
      )} ${problem}; fix it in the entity's catalog-info.yaml`,
    );

  for (const name of scope.serviceNames) {
    const problem = traceqlStringProblem(name);
    if (problem) throw invalid(TRACES_SERVICE_NAME_ANNOTATION, name, problem);
  }
  if (scope.serviceNamespace) {
    const problem = traceqlStringProblem(scope.serviceNamespace);
    if (problem) {
      throw invalid(
        TRACES_SERVICE_NAMESPACE_ANNOTATION,
        scope.serviceNamespace,
        problem,
      );
    }
  }
  if (scope.tenant) {
    const problem = tenantIdProblem(scope.tenant);
    if (problem) {
      throw invalid(
        TRACES_TEMPO_TENANT_ANNOTATION,
        scope.tenant,
        `is not a Tempo tenant: ${problem}`,
      );
    }
  }
  return scope;
}

function traceqlStringProblem(value: string): string | undefined {
  try {
    traceqlString(value);
    return undefined;
  } catch (error) {
    if (!(error instanceof TraceQLInputError)) throw error;
    return `cannot be queried (${error.message})`;
  }
}

/** The value as escaped JSON (line breaks and NUL visible), shortened. */
function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}
