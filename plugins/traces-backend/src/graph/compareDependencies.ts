import type {
  DependencyEnd,
  DependencyState,
  EntityDependency,
  ServiceGraphEdge,
  ServiceGraphNode,
  ServiceGraphResponse,
} from '@backstage-traces/plugin-traces-common';
import type { EntityClaim } from '../owners/ServiceOwnerResolver';
import { USER_NODE } from './aggregateTraces';
import type { DeclaredDependency } from './declaredDependencies';

/** An entity being compared, with the services (graph nodes) it claims. */
export interface ComparedEntity {
  entityRef: string;
  services: readonly string[];
}

export interface CompareDependenciesInput {
  /** The graph with owners attached (`attachGraphOwners`). */
  graph: ServiceGraphResponse;
  /** The requested entity, or a System's components. */
  entities: readonly ComparedEntity[];
  /** What the catalog declares of and on those entities (and of the graph's other entities). */
  declared: readonly DeclaredDependency[];
  /** The graph nodes another entity claims, for drawing a declared dependency not seen. */
  claimOf(entityRef: string): EntityClaim | undefined;
}

const STATE_ORDER: Record<DependencyState, number> = {
  'observed-not-declared': 0,
  'declared-not-seen': 1,
  'declared-and-observed': 2,
};

const pairKey = (source: string, target: string) =>
  JSON.stringify([source, target]);

/**
 * Compares declared dependencies with observed calls. Every edge of the graph is marked
 * `declared` when the catalog declares a dependency between the entities claiming its two
 * services, and `observed`. For the compared entities, one row per other entity (or unclaimed
 * service) they call or are called by, with the summed calls: "declared and observed",
 * "observed, not declared"; and one row per declared dependency without calls, "declared, not
 * seen", drawn into the graph as an edge with `observed: false` (and a `declaredOnly` node
 * where the other entity had none). Calls between services of one entity, and calls from
 * outside the traced system (`user`), are not dependencies: their edges get no `declared`.
 */
export function compareDependencies(
  input: CompareDependenciesInput,
): ServiceGraphResponse {
  const { graph, entities, claimOf } = input;
  const compared = new Set(entities.map(e => e.entityRef));
  const declared = new Map(
    input.declared.map(d => [pairKey(d.source, d.target), d]),
  );
  const comparedOf = new Map<string, string[]>();
  for (const { entityRef, services } of entities) {
    for (const service of services) {
      comparedOf.set(service, [...(comparedOf.get(service) ?? []), entityRef]);
    }
  }
  const nodes = new Map(graph.nodes.map(node => [node.id, node]));
  /** The entities a graph node stands for: the compared one for its own services. */
  const refsOf = (id: string): string[] => {
    const node = nodes.get(id);
    if (!node) return [];
    if (node.isEntityService) return comparedOf.get(id) ?? [];
    return [...new Set(node.owners.map(owner => owner.entityRef))];
  };

  const isCompared = (end: DependencyEnd) =>
    end.entityRef !== undefined && compared.has(end.entityRef);

  const rows = new Map<string, EntityDependency>();
  const edges: ServiceGraphEdge[] = graph.edges.map(edge => {
    const sources = refsOf(edge.source);
    const targets = refsOf(edge.target);
    addObserved(
      rows,
      edge,
      ends(sources, edge.source),
      ends(targets, edge.target),
    );
    // Calls from outside the traced system, and within one entity, are no dependency at all:
    // neither declared nor undeclared.
    const within =
      sources.length > 0 &&
      targets.length > 0 &&
      sources.every(a => targets.every(b => a === b));
    if (isUserNode(edge.source, sources) || within) {
      return { ...edge, observed: true };
    }
    const isDeclared = sources.some(a =>
      targets.some(b => a !== b && declared.has(pairKey(a, b))),
    );
    return { ...edge, declared: isDeclared, observed: true };
  });

  function addObserved(
    into: Map<string, EntityDependency>,
    edge: ServiceGraphEdge,
    sourceEnds: DependencyEnd[],
    targetEnds: DependencyEnd[],
  ) {
    for (const source of sourceEnds) {
      for (const target of targetEnds) {
        if (source.entityRef && source.entityRef === target.entityRef) continue;
        if (!isCompared(source) && !isCompared(target)) continue;
        if (isUser(source) || isUser(target)) continue;
        const key = pairKey(endKey(source), endKey(target));
        const via =
          source.entityRef && target.entityRef
            ? declared.get(pairKey(source.entityRef, target.entityRef))?.via
            : undefined;
        const row = into.get(key) ?? {
          state: via ? 'declared-and-observed' : 'observed-not-declared',
          source: { ...source, services: [] },
          target: { ...target, services: [] },
          ...(via && { declaredVia: [...via] }),
          requestCount: 0,
          errorCount: 0,
        };
        row.requestCount += edge.requestCount;
        row.errorCount += edge.errorCount;
        if (edge.lastSeen !== undefined)
          row.lastSeen = Math.max(row.lastSeen ?? 0, edge.lastSeen);
        addService(row.source, edge.source);
        addService(row.target, edge.target);
        into.set(key, row);
      }
    }
  }
  // Declared dependencies of the compared entities without calls: rows, and dashed edges.
  const added = new Map<string, ServiceGraphNode>();
  const nodeOf = (ref: string): string => {
    const own = entities.find(e => e.entityRef === ref);
    const id = own ? own.services[0] ?? ref : claimOf(ref)?.nodes[0] ?? ref;
    if (!nodes.has(id) && !added.has(id)) {
      const claim = claimOf(ref);
      added.set(id, {
        id,
        isEntityService: Boolean(own),
        owners: [claim?.owner ?? { entityRef: ref }],
        declaredOnly: true,
      });
    }
    return id;
  };
  const servicesOf = (ref: string): string[] => {
    const own = entities.find(e => e.entityRef === ref);
    return [...(own ? own.services : claimOf(ref)?.nodes ?? [])];
  };
  const edgeKeys = new Set(edges.map(e => pairKey(e.source, e.target)));
  for (const d of input.declared) {
    if (!compared.has(d.source) && !compared.has(d.target)) continue;
    if (rows.has(pairKey(d.source, d.target))) continue;
    rows.set(pairKey(d.source, d.target), {
      state: 'declared-not-seen',
      source: { entityRef: d.source, services: servicesOf(d.source) },
      target: { entityRef: d.target, services: servicesOf(d.target) },
      declaredVia: [...d.via],
      requestCount: 0,
      errorCount: 0,
    });
    const source = nodeOf(d.source);
    const target = nodeOf(d.target);
    if (source !== target && !edgeKeys.has(pairKey(source, target))) {
      edgeKeys.add(pairKey(source, target));
      edges.push({
        source,
        target,
        requestCount: 0,
        errorCount: 0,
        declared: true,
        observed: false,
      });
    }
  }

  const dependencies = [...rows.values()].sort(
    (a, b) =>
      STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
      b.requestCount - a.requestCount ||
      endKey(a.source).localeCompare(endKey(b.source)) ||
      endKey(a.target).localeCompare(endKey(b.target)),
  );
  return {
    ...graph,
    nodes: [...graph.nodes, ...added.values()],
    edges,
    dependencies: {
      entityRefs: entities.map(e => e.entityRef),
      dependencies,
      notSeen: dependencies.filter(d => d.state === 'declared-not-seen'),
    },
  };
}

/** The sides of an edge end: its entities, or the bare service when no entity claims it. */
function ends(refs: string[], service: string): DependencyEnd[] {
  return refs.length
    ? refs.map(entityRef => ({ entityRef, services: [] }))
    : [{ services: [service] }];
}

function endKey(end: DependencyEnd): string {
  return end.entityRef ?? `service:${end.services[0]}`;
}

function isUser(end: DependencyEnd): boolean {
  return !end.entityRef && end.services[0] === USER_NODE;
}

function isUserNode(id: string, refs: string[]): boolean {
  return id === USER_NODE && refs.length === 0;
}

function addService(end: DependencyEnd, service: string) {
  if (!end.services.includes(service)) end.services.push(service);
}
