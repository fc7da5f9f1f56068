import type { Router } from 'express';
import { z } from 'zod';
import type { SearchResponse } from '@backstage-traces/plugin-traces-common';
import { attachSearchOwners } from '../../owners/enrichOwners';
import { redactSearchResults } from '../../redaction/redactResponses';
import { findUnknownServices } from '../unknownServices';
import { assertQueryRespectsRedaction } from '../../redaction/traceqlGuard';
import {
  duration,
  entityRefParam,
  epochSeconds,
  parseParams,
  queryParam,
  resolveRange,
} from '../params';
import { scopeOf } from '../traceScope';
import { requireTraceStore, type RouteContext } from './context';

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
    assertQueryRespectsRedaction(params.q, context.redactor);
    const store = requireTraceStore(context);
    const access = await context.access.resolve(req, params.entityRef);
    const range = resolveRange(params, options.limits.maxRangeSeconds);
    const found = await store.searchTraces({
      scope: scopeOf(access, options, params.environment),
      query: params.q,
      minTraceDuration: params.minDuration,
      maxTraceDuration: params.maxDuration,
      ...range,
      limit: params.limit ?? 20,
    });
    const response: SearchResponse = {
      ...found,
      traces: attachSearchOwners(
        redactSearchResults(found.traces, context.redactor),
        await context.owners.lookup(),
      ),
    };
    if (response.traces.length === 0) {
      response.unknownServices = await findUnknownServices(
        store,
        access,
        range,
        context.logger,
      );
    }
    res.json(response);
  });
}
