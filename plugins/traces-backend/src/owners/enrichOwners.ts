import type { TraceSummary } from '@backstage-traces/plugin-traces-common';
import type { OwnerLookup } from './ServiceOwnerResolver';

/** Attaches owners to the per-service stats of search results. */
export function attachSearchOwners(
  traces: TraceSummary[],
  owners: OwnerLookup,
) {
  for (const trace of traces) {
    for (const service of trace.services) {
      service.owners = owners.ownersOf(service.name);
    }
  }
  return traces;
}
