import type {
  ServiceGraphEdge,
  ServiceGraphNode,
  ServiceGraphResponse,
} from '@backstage-traces/plugin-traces-common';
import type { ServiceGraphEdges } from './types';

/**
 * The API answer: every service that appears in an edge, plus the entity's own services
 * (even without edges), entity services first. Owners are filled in by `attachOwners`.
 */
export function buildServiceGraph(
  result: ServiceGraphEdges,
  entityServices: readonly string[],
  range: { start: number; end: number },
): ServiceGraphResponse {
  const own = new Set(entityServices);
  const others = new Set<string>();
  for (const { source, target } of result.edges) {
    if (!own.has(source)) others.add(source);
    if (!own.has(target)) others.add(target);
  }
  const node = (id: string, isEntityService: boolean): ServiceGraphNode => ({
    id,
    isEntityService,
    owners: [],
  });
  return {
    source: result.source,
    ...(result.sampledTraces !== undefined && {
      sampledTraces: result.sampledTraces,
    }),
    ...(result.pendingTraces && { pendingTraces: result.pendingTraces }),
    start: range.start,
    end: range.end,
    nodes: [
      ...[...own].map(id => node(id, true)),
      ...[...others]
        .sort((a, b) => a.localeCompare(b))
        .map(id => node(id, false)),
    ],
    edges: result.edges,
  };
}

/** Milliseconds to the microsecond: enough for display, no float noise in the JSON. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Busiest edges first, then by name, so that answers are stable. */
export function sortEdges(edges: ServiceGraphEdge[]): ServiceGraphEdge[] {
  return edges.sort(
    (a, b) =>
      b.requestCount - a.requestCount ||
      a.source.localeCompare(b.source) ||
      a.target.localeCompare(b.target),
  );
}
