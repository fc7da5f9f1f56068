import type { Router } from 'express';
import { ServiceUnavailableError } from '@backstage/errors';
import { z } from 'zod';
import type { ServiceGraphResponse } from '@backstage-traces/plugin-traces-common';
import { MAX_GRAPH_DEPTH } from '../../graph/expandHops';
import { attachGraphOwners } from '../../graph/owners';
import { buildServiceGraph } from '../../graph/serviceGraph';
import { redactGraphEdges } from '../../redaction/redactResponses';
import type { ServiceGraphSource } from '../../graph/types';
import { epochSeconds, parseParams, resolveRange } from '../params';
import type { RouteContext } from './context';

/**
 * `GET /service-graph?entityRef=&start=&end=&depth=`: the services around an entity's
 * services, `depth` hops (default 1, at most 3) upstream and downstream, with request/error
 * counts and latency per edge.
 */
export function registerServiceGraphRoute(
  router: Router,
  context: RouteContext,
) {
  const { options } = context;
  const schema = z.object({
    entityRef: z
      .string({
        error: issue =>
          issue.input === undefined ? 'is required' : 'must be a single string',
      })
      .min(1, 'is required')
      .max(500),
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
    const access = await context.access.resolve(req, params.entityRef);
    if (access.kind !== 'entity') {
      throw new Error('An entityRef must resolve to entity access');
    }
    const range = resolveRange(params, options.limits.maxRangeSeconds);
    const edges = redactGraphEdges(
      await source.getEdges({ access, ...range, depth: params.depth }),
      context.redactor,
    );
    const { serviceNames, serviceNamespace } = access.scope;
    const namespaces = new Map(edges.namespaces);
    if (serviceNamespace) {
      for (const name of serviceNames) namespaces.set(name, serviceNamespace);
    }
    const response: ServiceGraphResponse = attachGraphOwners(
      buildServiceGraph(edges, serviceNames, range),
      await context.owners.lookup(),
      namespaces,
    );
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
