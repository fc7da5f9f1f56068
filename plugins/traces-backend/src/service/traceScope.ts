import type { TraceScope } from '@backstage-traces/plugin-traces-node';
import type { TracesOptions } from '../config';
import type { Access } from './AccessResolver';

/**
 * The scope a store applies to a request, as data: the entity's services, namespace and
 * tenant, and the configured environment and cluster filters. `environment` overrides the
 * default environment; `''` removes the environment filter.
 */
export function scopeOf(
  access: Access,
  options: TracesOptions,
  environment?: string,
): TraceScope {
  return {
    ...(access.kind === 'entity' && {
      serviceNames: access.scope.serviceNames,
      ...(access.scope.serviceNamespace && {
        serviceNamespace: access.scope.serviceNamespace,
      }),
      ...(access.scope.tenant && { tenant: access.scope.tenant }),
    }),
    ...defaultFilters(options, environment),
  };
}

/** The configured environment and cluster filters, without any services. */
export function defaultFilters(
  options: TracesOptions,
  environment?: string,
): Pick<TraceScope, 'environment' | 'cluster'> {
  const { defaults } = options;
  const environmentValue = environment ?? defaults.environment?.value;
  return {
    ...(environmentValue && {
      environment: {
        attribute: defaults.environment?.attribute ?? 'deployment.environment',
        value: environmentValue,
      },
    }),
    ...(defaults.cluster && { cluster: defaults.cluster }),
  };
}
