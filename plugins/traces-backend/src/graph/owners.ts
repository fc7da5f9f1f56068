import type { ServiceGraphResponse } from '@backstage-traces/plugin-traces-common';
import type { OwnerLookup } from '../owners/ServiceOwnerResolver';

/**
 * Fills `owners` of every node from the catalog's service claims. Graph nodes are service
 * names; `namespaces` gives the `service.namespace` where it is known (the entity's own
 * annotation, or what sampled traces reported), so that namespaced claims match too.
 */
export function attachGraphOwners(
  graph: ServiceGraphResponse,
  owners: OwnerLookup,
  namespaces: ReadonlyMap<string, string>,
): ServiceGraphResponse {
  return {
    ...graph,
    nodes: graph.nodes.map(node => ({
      ...node,
      owners: owners.ownersOf(node.id, namespaces.get(node.id)),
    })),
  };
}
