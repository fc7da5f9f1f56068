import type { Router } from 'express';
import { z } from 'zod';
import type { TeamTracesResponse } from '@backstage-traces/plugin-traces-common';
import { redactMetricSeries } from '../../redaction/redactResponses';
import { queryTeamSeries, summarizeTeam } from '../../team/teamMetrics';
import {
  epochSeconds,
  metricsRangeLimit,
  parseParams,
  requiredEntityRefParam,
  resolveRange,
} from '../params';
import { defaultFilters } from '../traceScope';
import { requireTraceStore, type RouteContext } from './context';

/**
 * `GET /team?entityRef=group:…&start=&end=`: the traced components a group owns (through its
 * child groups too) that the caller may read, with request rate, error rate and p95, and the
 * slowest and most erroring operations across them. A fixed number of TraceQL metrics queries
 * per tenant, whatever the number of components.
 */
export function registerTeamRoute(router: Router, context: RouteContext) {
  const { options } = context;
  const schema = z.object({
    entityRef: requiredEntityRefParam,
    start: epochSeconds.optional(),
    end: epochSeconds.optional(),
  });

  router.get('/team', async (req, res) => {
    const params = parseParams(schema, req.query);
    const range = resolveRange(params, metricsRangeLimit(options));
    const store = requireTraceStore(context);
    const team = await context.access.resolveTeam(req, params.entityRef);
    // No components, no queries.
    const { series, queries } = await queryTeamSeries(
      store,
      team.components,
      defaultFilters(options),
      range,
      list => redactMetricSeries(list, context.redactor),
    );
    const response: TeamTracesResponse = {
      entityRef: team.entityRef,
      groups: team.groups,
      groupsTruncated: team.groupsTruncated,
      ...range,
      ...summarizeTeam(team.components, series, range),
      unannotated: team.unannotated,
      deniedCount: team.deniedCount,
      queries,
    };
    res.json(response);
  });
}
