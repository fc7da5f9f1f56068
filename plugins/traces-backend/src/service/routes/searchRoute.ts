import type { Router } from 'express';
import { z } from 'zod';
import type { SearchResponse } from '@backstage-traces/plugin-traces-common';
import { attachSearchOwners } from '../../owners/enrichOwners';
import { redactSearchResults } from '../../redaction/redactTrace';
import { normalizeSearchResponse } from '../../tempo/normalizeSearch';
import { buildTempoQuery } from '../buildTempoQuery';
import {
  duration,
  entityRefParam,
  epochSeconds,
  parseParams,
  queryParam,
  resolveRange,
} from '../params';
import { requireTempo, tenantOf, type RouteContext } from './context';

export function registerSearchRoute(router: Router, context: RouteContext) {
  const { options } = context;
  const schema = z.object({
    q: queryParam(options),
    entityRef: entityRefParam,
    start: epochSeconds.optional(),
    end: epochSeconds.optional(),
    limit: z
      .string()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .refine(n => n >= 1 && n <= options.limits.maxResults, {
        message: `must be between 1 and ${options.limits.maxResults}`,
      })
      .optional(),
    minDuration: duration.optional(),
    maxDuration: duration.optional(),
    environment: z.string().max(256).optional(),
  });

  router.get('/search', async (req, res) => {
    const params = parseParams(schema, req.query);
    const tempo = requireTempo(context);
    const access = await context.access.resolve(req, params.entityRef);
    const range = resolveRange(params, options.limits.maxRangeSeconds);
    const query = buildTempoQuery(access, options, {
      query: params.q,
      environment: params.environment,
      minDuration: params.minDuration,
      maxDuration: params.maxDuration,
    });
    const limit = params.limit ?? 20;
    const body = await tempo.search(
      { q: query, ...range, limit },
      tenantOf(access),
    );
    const response: SearchResponse = {
      query,
      traces: attachSearchOwners(
        redactSearchResults(normalizeSearchResponse(body), context.redactor),
        await context.owners.lookup(),
      ),
      ...range,
      limit,
    };
    res.json(response);
  });
}
