import type { Trace, TraceSummary } from '@internal/plugin-traces-common';
import type { OwnerLookup } from './ServiceOwnerResolver';

/** Attaches owners to trace resources; spans reach them through `resourceIndex`. */
export function attachTraceOwners(trace: Trace, owners: OwnerLookup): Trace {
  for (const resource of trace.resources) {
    resource.owners = owners.ownersOf(resource.serviceName, resource.serviceNamespace);
  }
  return trace;
}

/** Attaches owners to the per-service stats of search results. */
export function attachSearchOwners(traces: TraceSummary[], owners: OwnerLookup) {
  for (const trace of traces) {
    for (const service of trace.services) {
      service.owners = owners.ownersOf(service.name);
    }
  }
  return traces;
}
