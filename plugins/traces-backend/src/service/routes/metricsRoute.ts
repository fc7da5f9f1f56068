import type { Request, Router } from 'express';
import { InputError } from '@backstage/errors';
import { z } from 'zod';
import type {
  MetricsInstantResponse,
  MetricsResponse,
} from '@backstage-traces/plugin-traces-common';
import { isMetricsQuery } from '@backstage-traces/plugin-traces-common';
import { redactMetricSeries } from '../../redaction/redactResponses';
import { assertQueryRespectsRedaction } from '../../redaction/traceqlGuard';
import {
  entityRefParam,
  epochSeconds,
  metricsRangeLimit,
  parseParams,
  resolveRange,
} from '../params';
import { scopeOf } from '../traceScope';
import { requireTraceStore, type RouteContext } from './context';

const STEP = /^(\d+(\.\d+)?)(ms|s|m|h)?$/;
const UNIT_SECONDS = { ms: 0.001, s: 1, m: 60, h: 3600 } as const;
/** Points per series when no step is given: plenty for a chart. */
const DEFAULT_POINTS = 120;

export function registerMetricsRoute(router: Router, context: RouteContext) {
  const { options } = context;
  const schema = z.object({
    q: z.string().min(1, 'is required').max(options.limits.maxQueryLength),
    entityRef: entityRefParam,
    start: epochSeconds.optional(),
    end: epochSeconds.optional(),
    step: z
      .string()
      .regex(
        STEP,
        "must be a duration such as '60s', '5m' or a number of seconds",
      )
      .optional(),
    exemplars: z.coerce
      .number()
      .int()
      .min(0)
      .max(context.exemplars.maxPerSeries, {
        message: `must be at most ${context.exemplars.maxPerSeries} (traces.exemplars.maxPerSeries)`,
      })
      .optional(),
  });

  const instantSchema = schema.omit({ step: true, exemplars: true });

  /** What both routes share: a metrics query, the caller's scope and a bounded range. */
  async function metricsRequest(req: Request, params: z.infer<typeof schema>) {
    const store = requireTraceStore(context);
    checkMetricsQuery(params.q);
    assertQueryRespectsRedaction(params.q, context.redactor);
    const access = await context.access.resolve(req, params.entityRef);
    const range = resolveRange(params, metricsRangeLimit(options));
    return {
      store,
      request: { scope: scopeOf(access, options), query: params.q, ...range },
    };
  }

  router.get('/metrics/query_range', async (req, res) => {
    const params = parseParams(schema, req.query);
    const { store, request } = await metricsRequest(req, params);
    const stepSeconds = params.step
      ? toSeconds(params.step)
      : Math.max(15, Math.ceil((request.end - request.start) / DEFAULT_POINTS));
    // Refused rather than widened: a chart whose step silently differs from the one asked
    // for misleads (Prometheus refuses the same way).
    const points = Math.ceil((request.end - request.start) / stepSeconds);
    if (points > options.limits.maxMetricsPoints) {
      throw new InputError(
        `'step' ${params.step} gives ${points} points per series over this range; the most allowed is ${options.limits.maxMetricsPoints} (traces.limits.maxMetricsPoints): widen the step or narrow the range`,
      );
    }
    const exemplars = params.exemplars ?? context.exemplars.maxPerSeries;
    const response: MetricsResponse = await context.exemplars.around(
      request,
      exemplars,
      () => store.queryMetricsRange({ ...request, stepSeconds, exemplars }),
    );
    redactMetricSeries(response.series, context.redactor);
    res.json(response);
  });

  router.get('/metrics/query', async (req, res) => {
    const params = parseParams(instantSchema, req.query);
    const { store, request } = await metricsRequest(req, params);
    const response: MetricsInstantResponse = await store.queryMetricsInstant(
      request,
    );
    redactMetricSeries(response.series, context.redactor);
    res.json(response);
  });
}

function checkMetricsQuery(q: string) {
  if (!isMetricsQuery(q)) {
    throw new InputError(
      "'q' must be a TraceQL metrics query, e.g. '{ } | rate()' or '{ } | quantile_over_time(duration, .95)'",
    );
  }
}

/** Go duration or bare seconds → seconds (Tempo accepts both forms; we send `Ns`). */
function toSeconds(step: string): number {
  const [, amount, , unit] = STEP.exec(step)!;
  const seconds =
    Number(amount) * UNIT_SECONDS[(unit ?? 's') as keyof typeof UNIT_SECONDS];
  if (!(seconds >= 1))
    throw new InputError(`'step' must be at least 1s, got '${step}'`);
  return seconds;
}
