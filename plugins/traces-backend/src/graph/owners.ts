import type {
  ServiceGraphEdge,
  ServiceGraphNode,
  ServiceGraphResponse,
} from '@backstage-traces/plugin-traces-common';
import type { OwnerLookup } from '../owners/ServiceOwnerResolver';
import { sortEdges } from './serviceGraph';

/**
 * Fills `owners` of every node from the catalog's claims, and folds the names of one
 * uninstrumented peer into one node: a database that some spans name by `db.namespace`, others
 * by `server.address` or `peer.service`, is one node when a catalog entity lists those names in
 * its `backstage-traces.io/peer-names` annotation (named by the first, the others kept as
 * `aliases`). Graph nodes are service names; `namespaces` gives the `service.namespace` where it
 * is known (the entity's own annotation, or what sampled traces reported), so that namespaced
 * claims match too. The entity's own services are never renamed.
 */
export function attachGraphOwners(
  graph: ServiceGraphResponse,
  owners: OwnerLookup,
  namespaces: ReadonlyMap<string, string>,
): ServiceGraphResponse {
  const own = new Set(
    graph.nodes.filter(node => node.isEntityService).map(node => node.id),
  );
  const renamed = new Map<string, string>();
  for (const node of graph.nodes) {
    const claim = own.has(node.id) ? undefined : owners.peerOf(node.id);
    if (claim && claim.node !== node.id && !own.has(claim.node))
      renamed.set(node.id, claim.node);
  }
  const nameOf = (id: string) => renamed.get(id) ?? id;

  const nodes = new Map<string, ServiceGraphNode>();
  for (const node of graph.nodes) {
    const id = nameOf(node.id);
    let merged = nodes.get(id);
    if (!merged) {
      const claim = own.has(id) ? undefined : owners.peerOf(id);
      const serviceOwners = owners.ownersOf(id, namespaces.get(id));
      merged = {
        ...node,
        id,
        owners:
          claim &&
          !serviceOwners.some(o => o.entityRef === claim.owner.entityRef)
            ? [claim.owner, ...serviceOwners]
            : serviceOwners,
      };
      nodes.set(id, merged);
    }
    if (id !== node.id) merged.aliases = [...(merged.aliases ?? []), node.id];
  }

  const edges = new Map<string, ServiceGraphEdge>();
  for (const edge of graph.edges) {
    const source = nameOf(edge.source);
    const target = nameOf(edge.target);
    if (source === target) continue;
    const key = JSON.stringify([source, target]);
    const existing = edges.get(key);
    edges.set(
      key,
      existing ? mergeEdges(existing, edge) : { ...edge, source, target },
    );
  }

  return {
    ...graph,
    nodes: [...nodes.values()],
    edges: sortEdges([...edges.values()]),
  };
}

/**
 * Two edges to names of the same peer: counts add up; percentiles cannot be combined from
 * percentiles, so the worse of each is kept (never an understatement), and the later last call.
 */
function mergeEdges(
  a: ServiceGraphEdge,
  b: ServiceGraphEdge,
): ServiceGraphEdge {
  const worst = (x?: number, y?: number) => {
    if (x === undefined) return y;
    if (y === undefined) return x;
    return Math.max(x, y);
  };
  const merged: ServiceGraphEdge = {
    ...a,
    requestCount: a.requestCount + b.requestCount,
    errorCount: a.errorCount + b.errorCount,
  };
  for (const key of [
    'latencyP50Ms',
    'latencyP95Ms',
    'latencyP99Ms',
    'lastSeen',
  ] as const) {
    const value = worst(a[key], b[key]);
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}
