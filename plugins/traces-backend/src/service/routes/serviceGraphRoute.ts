import type { Router } from 'express';
import { ServiceUnavailableError } from '@backstage/errors';
import { z } from 'zod';
import type { ServiceGraphResponse } from '@backstage-traces/plugin-traces-common';
import { MAX_GRAPH_DEPTH } from '../../graph/expandHops';
import { attachGraphOwners } from '../../graph/owners';
import { buildServiceGraph } from '../../graph/serviceGraph';
import { compareDependencies } from '../../graph/compareDependencies';
import { redactGraphEdges } from '../../redaction/redactResponses';
import type { ServiceGraphSource } from '../../graph/types';
import {
  epochSeconds,
  parseParams,
  requiredEntityRefParam,
  resolveRange,
  searchRangeLimit,
} from '../params';
import type { RouteContext } from './context';

/**
 * `GET /service-graph?entityRef=&start=&end=&depth=`: the services around an entity's
 * services, `depth` hops (default 1, at most 3) upstream and downstream, with request/error
 * counts and latency per edge, compared with the dependencies the catalog declares. A System
 * stands for its components: their services together, each compared.
 */
export function registerServiceGraphRoute(
  router: Router,
  context: RouteContext,
) {
  const { options } = context;
  const schema = z.object({
    entityRef: requiredEntityRefParam,
    start: epochSeconds.optional(),
    end: epochSeconds.optional(),
    depth: z
      .string()
      .regex(
        new RegExp(`^[1-${MAX_GRAPH_DEPTH}]$`),
        `must be a whole number from 1 to ${MAX_GRAPH_DEPTH}`,
      )
      .transform(Number)
      .default(1),
  });

  router.get('/service-graph', async (req, res) => {
    const params = parseParams(schema, req.query);
    const source = requireServiceGraph(context);
    const access = await context.access.resolve(req, params.entityRef, {
      system: true,
    });
    if (access.kind !== 'entity') {
      throw new Error('An entityRef must resolve to entity access');
    }
    const range = resolveRange(params, searchRangeLimit(options));
    const edges = redactGraphEdges(
      await source.getEdges({ access, ...range, depth: params.depth }),
      context.redactor,
    );
    // The compared entities: the requested one, or a System's components.
    const entities = access.parts ?? [
      { entityRef: access.entityRef, scope: access.scope },
    ];
    const namespaces = new Map(edges.namespaces);
    for (const { scope } of entities) {
      if (!scope.serviceNamespace) continue;
      for (const name of scope.serviceNames)
        namespaces.set(name, scope.serviceNamespace);
    }
    const owners = await context.owners.lookup();
    const graph = attachGraphOwners(
      buildServiceGraph(edges, access.scope.serviceNames, range),
      owners,
      namespaces,
    );
    const declared = await context.declared.read(access.credentials, [
      ...entities.map(e => e.entityRef),
      ...graph.nodes.flatMap(node => node.owners.map(o => o.entityRef)),
    ]);
    const response: ServiceGraphResponse = compareDependencies({
      graph,
      entities: entities.map(({ entityRef, scope }) => ({
        entityRef,
        services: scope.serviceNames,
      })),
      declared,
      claimOf: owners.claimOf,
    });
    res.json(response);
  });
}

function requireServiceGraph(context: RouteContext): ServiceGraphSource {
  if (!context.serviceGraph) {
    throw new ServiceUnavailableError(
      'The service graph needs traces.prometheus.baseUrl (service graph metrics) or traces.tempo.baseUrl (sampled traces)',
    );
  }
  return context.serviceGraph;
}
