import type { ServiceGraphEdge } from '@backstage-traces/plugin-traces-common';
import type { Access } from '../service/AccessResolver';

/** An access decision for one entity: the graph is always centred on an entity's services. */
export type EntityAccess = Extract<Access, { kind: 'entity' }>;

export interface ServiceGraphQuery {
  access: EntityAccess;
  /** Epoch seconds. */
  start: number;
  end: number;
  /** Hops to follow upstream and downstream, 1 to MAX_GRAPH_DEPTH. */
  depth: number;
}

/** The edges around the entity's services, and where they came from. */
export interface ServiceGraphEdges {
  source: 'prometheus' | 'traces';
  /** With source `traces`: how many traces were aggregated. */
  sampledTraces?: number;
  /** With source `traces`: sampled traces still loading when the first answer was given. */
  pendingTraces?: number;
  edges: ServiceGraphEdge[];
  /** `service.namespace` of services, where the source knows it (sampled traces do). */
  namespaces?: ReadonlyMap<string, string>;
}

/**
 * Where edges come from: metrics-generator series in Prometheus, or a sample of recent
 * traces from Tempo. Implementations return only edges on a path of at most `depth` hops
 * upstream or downstream from the entity's services (see `expandHops`), and no self-edges.
 */
export interface ServiceGraphSource {
  readonly kind: ServiceGraphEdges['source'];
  getEdges(query: ServiceGraphQuery): Promise<ServiceGraphEdges>;
}
