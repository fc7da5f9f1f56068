import type { ServiceGraphEdge } from '@backstage-traces/plugin-traces-common';
import { sortEdges } from './serviceGraph';

/** Hops from the entity's services the graph can follow, upstream and downstream. */
export const MAX_GRAPH_DEPTH = 3;
/**
 * Services expanded per direction per hop, busiest edges first: bounds the PromQL matchers
 * (and the graph) on a hub with hundreds of callers. The others still show, unexpanded.
 */
export const MAX_FRONTIER = 50;

/** One hop: the edges into `callersOf` (their callers) and out of `calleesOf` (their callees). */
export interface ServiceGraphHop {
  callersOf: readonly string[];
  calleesOf: readonly string[];
}

/**
 * Walks `depth` hops from the entity's services: upstream along callers only, downstream along
 * callees only, so that depth 2 means callers of callers and callees of callees (not the other
 * callers of a callee). `edgesOf` answers one hop, busiest first; it may answer more edges than
 * asked (an in-memory sample), those are left out. One `edgesOf` call per hop, at most
 * MAX_GRAPH_DEPTH.
 */
export async function expandHops(
  services: readonly string[],
  depth: number,
  edgesOf: (hop: ServiceGraphHop) => Promise<ServiceGraphEdge[]>,
): Promise<ServiceGraphEdge[]> {
  const edges = new Map<string, ServiceGraphEdge>();
  const seenUp = new Set(services);
  const seenDown = new Set(services);
  let hop: ServiceGraphHop = { callersOf: services, calleesOf: services };
  for (let n = 1; n <= Math.min(depth, MAX_GRAPH_DEPTH); n++) {
    if (hop.callersOf.length === 0 && hop.calleesOf.length === 0) break;
    const up = new Set(hop.callersOf);
    const down = new Set(hop.calleesOf);
    const nextUp: string[] = [];
    const nextDown: string[] = [];
    for (const edge of sortEdges(await edgesOf(hop))) {
      if (edge.source === edge.target) continue;
      const inbound = up.has(edge.target);
      const outbound = down.has(edge.source);
      if (!inbound && !outbound) continue;
      const key = JSON.stringify([edge.source, edge.target]);
      if (!edges.has(key)) edges.set(key, edge);
      if (inbound && !seenUp.has(edge.source)) {
        seenUp.add(edge.source);
        nextUp.push(edge.source);
      }
      if (outbound && !seenDown.has(edge.target)) {
        seenDown.add(edge.target);
        nextDown.push(edge.target);
      }
    }
    hop = {
      callersOf: nextUp.slice(0, MAX_FRONTIER),
      calleesOf: nextDown.slice(0, MAX_FRONTIER),
    };
  }
  return sortEdges([...edges.values()]);
}
