import type { Knex } from 'knex';
import type { TraceScope } from '@backstage-traces/plugin-traces-node';
import type { StoredSource } from '../read/SourceCache';

/**
 * The scope as SQL over `spans s`: service names on the indexed column, the namespace,
 * environment and cluster decided against the stored resources. Undefined when no stored
 * resource is in scope (nothing can match).
 */
export function scopeToSql(
  scope: TraceScope,
  sources: readonly StoredSource[],
): { sql: string; bindings: Knex.RawBinding[] } | undefined {
  const clauses: string[] = [];
  const bindings: Knex.RawBinding[] = [];
  if (scope.serviceNames) {
    clauses.push(
      `s.service_name in (${scope.serviceNames.map(() => '?').join(',')})`,
    );
    bindings.push(...scope.serviceNames);
  }
  const resource: Array<[string, string]> = [];
  if (scope.serviceNamespace)
    resource.push(['service.namespace', scope.serviceNamespace]);
  for (const match of [scope.environment, scope.cluster]) {
    if (match) resource.push([match.attribute, match.value]);
  }
  if (resource.length > 0) {
    const ids = sources
      .filter(source =>
        resource.every(
          ([key, value]) => source.resourceAttributes[key] === value,
        ),
      )
      .map(source => source.id);
    if (ids.length === 0) return undefined;
    clauses.push(`s.source_id in (${ids.map(() => '?').join(',')})`);
    bindings.push(...ids);
  }
  return { sql: clauses.length ? clauses.join(' and ') : '1 = 1', bindings };
}

/** Whether a stored resource is in scope. */
export function sourceInScope(
  scope: TraceScope,
  source: StoredSource,
): boolean {
  const attributes = source.resourceAttributes;
  if (scope.serviceNames && !scope.serviceNames.includes(source.serviceName))
    return false;
  if (
    scope.serviceNamespace &&
    attributes['service.namespace'] !== scope.serviceNamespace
  )
    return false;
  for (const match of [scope.environment, scope.cluster]) {
    if (match && attributes[match.attribute] !== match.value) return false;
  }
  return true;
}
