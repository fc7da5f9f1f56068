import type { Router } from 'express';
import { z } from 'zod';
import type { SearchResponse } from '@backstage-traces/plugin-traces-common';
import { attachSearchOwners } from '../../owners/enrichOwners';
import { redactSearchResults } from '../../redaction/redactResponses';
import { findUnknownServices } from '../unknownServices';
import { assertQueryRespectsRedaction } from '../../redaction/traceqlGuard';
import {
  boundedCount,
  duration,
  entityRefParam,
  epochSeconds,
  parseParams,
  queryParam,
  resolveRange,
  searchRangeLimit,
} from '../params';
import { scopeOf } from '../traceScope';
import { ServerTiming, timed } from '../../lib/serverTiming';
import { requireTraceStore, resolveAccess, type RouteContext } from './context';

export function registerSearchRoute(router: Router, context: RouteContext) {
  const { options } = context;
  const schema = z.object({
    q: queryParam(options),
    entityRef: entityRefParam,
    start: epochSeconds.optional(),
    end: epochSeconds.optional(),
    limit: boundedCount(
      options.limits.maxResults,
      'traces.limits.maxResults',
    ).optional(),
    spss: boundedCount(
      options.limits.maxSpansPerSpanSet,
      'traces.limits.maxSpansPerSpanSet',
    ).optional(),
    minDuration: duration.optional(),
    maxDuration: duration.optional(),
    environment: z.string().max(256).optional(),
  });

  router.get('/search', async (req, res) => {
    const params = parseParams(schema, req.query);
    assertQueryRespectsRedaction(params.q, context.redactor);
    const store = requireTraceStore(context);
    const timing = new ServerTiming();
    const response = await timing.collect(async () => {
      const access = await resolveAccess(context, req, params.entityRef);
      const range = resolveRange(params, searchRangeLimit(options));
      const found = await store.searchTraces({
        scope: scopeOf(access, options, params.environment),
        query: params.q,
        minTraceDuration: params.minDuration,
        maxTraceDuration: params.maxDuration,
        ...range,
        limit: params.limit ?? 20,
        spansPerSpanSet: params.spss,
      });
      const answer: SearchResponse = {
        ...found,
        traces: await timed('answer', 'redaction and owners', async () =>
          attachSearchOwners(
            redactSearchResults(found.traces, context.redactor),
            await context.owners.lookup(),
          ),
        ),
      };
      if (answer.traces.length === 0) {
        answer.unknownServices = await findUnknownServices(
          store,
          access,
          range,
          context.logger,
        );
      }
      return answer;
    });
    res.setHeader('Server-Timing', timing.header({ total: true }));
    res.json(response);
  });
}
