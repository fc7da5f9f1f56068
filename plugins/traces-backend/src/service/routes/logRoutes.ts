import type { Router } from 'express';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { z } from 'zod';
import type {
  LogCountsResponse,
  CompactTrace,
  LogsResponse,
} from '@backstage-traces/plugin-traces-common';
import type { LogStore, LogWindow } from '@backstage-traces/plugin-traces-node';
import { redactLogs } from '../../redaction/redactResponses';
import type { Access } from '../AccessResolver';
import {
  entityRefParam,
  epochSeconds,
  parseParams,
  spanIdParam,
} from '../params';
import {
  checkEntityAccess,
  NO_TRACE_STORE,
  tenantOf,
  type RouteContext,
} from './context';
import { parseTraceId } from './traceRoute';

export const OPENSEARCH_NOT_CONFIGURED =
  'OpenSearch is not configured: set traces.opensearch.baseUrl (app-config.yaml reads it from OPENSEARCH_URL) to see the logs of traces';

const DEFAULT_LIMIT = 100;
const NANOS_PER_MS = BigInt(1_000_000);

/**
 * Logs of a trace from the log store (OpenSearch by default). Access is that of trace reads:
 * with `entityRef` the trace must be in the trace store and include one of the entity's
 * services; without, the caller needs traces.query. Without `start`/`end` the window is the
 * trace's own widened by the log store's margin (`traces.opensearch.timeMargin`).
 */
export function registerLogRoutes(router: Router, context: RouteContext) {
  const maxResults = context.logs?.maxResults ?? 500;
  const range = {
    entityRef: entityRefParam,
    start: epochSeconds.optional(),
    end: epochSeconds.optional(),
  };
  const logsSchema = z.object({
    ...range,
    spanId: spanIdParam.optional(),
    limit: z
      .string()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .refine(n => n >= 1 && n <= maxResults, {
        message: `must be between 1 and ${maxResults} (traces.opensearch.maxResults)`,
      })
      .optional(),
    cursor: z.string().min(1).max(4096).optional(),
    order: z.enum(['asc', 'desc']).optional(),
  });
  const countsSchema = z.object(range);

  router.get('/traces/:traceId/logs', async (req, res) => {
    const traceId = parseTraceId(req.params.traceId);
    const params = parseParams(logsSchema, req.query);
    const logs = requireLogs(context);
    const access = await context.access.resolve(req, params.entityRef);
    // Later pages search their cursor's window, so they need no trace read unless the
    // entity's access must be checked.
    const window = await resolveWindow(
      context,
      logs,
      access,
      traceId,
      params,
      params.cursor !== undefined,
    );
    const page: LogsResponse = await logs.getLogs({
      traceId,
      spanId: params.spanId,
      window,
      limit: params.limit ?? Math.min(DEFAULT_LIMIT, maxResults),
      cursor: params.cursor,
      order: params.order ?? 'asc',
      ...tenantOf(access),
    });
    redactLogs(page.logs, context.redactor);
    res.json(page);
  });

  router.get('/traces/:traceId/log-counts', async (req, res) => {
    const traceId = parseTraceId(req.params.traceId);
    const params = parseParams(countsSchema, req.query);
    const logs = requireLogs(context);
    const access = await context.access.resolve(req, params.entityRef);
    const window = await resolveWindow(context, logs, access, traceId, params);
    const body: LogCountsResponse = await logs.getLogCounts({
      traceId,
      window: window!,
      ...tenantOf(access),
    });
    res.json(body);
  });
}

function requireLogs(context: RouteContext): LogStore {
  if (!context.logs)
    throw new ServiceUnavailableError(OPENSEARCH_NOT_CONFIGURED);
  return context.logs;
}

/**
 * The searched window: the request's range, or the trace's time span from the trace store
 * plus the margin; undefined for a later page (`paging`), which keeps its cursor's window.
 * Entity-scoped requests always read the trace, since the entity grants only traces that
 * include its services.
 */
async function resolveWindow(
  context: RouteContext,
  logs: LogStore,
  access: Access,
  traceId: string,
  params: { start?: number; end?: number },
  paging = false,
): Promise<LogWindow | undefined> {
  const explicit = explicitWindow(context, params);

  if (access.kind === 'entity') {
    const trace = await readTrace(context, access, traceId, explicit, 'strict');
    checkEntityAccess(access, traceId, trace);
    if (explicit || paging) return explicit;
    return traceWindow(trace, logs.timeMarginMs);
  }
  if (explicit || paging) return explicit;
  const trace = await readTrace(context, access, traceId, undefined, 'window');
  return traceWindow(trace, logs.timeMarginMs);
}

function explicitWindow(
  context: RouteContext,
  params: { start?: number; end?: number },
): LogWindow | undefined {
  const { start, end } = params;
  if (start === undefined && end === undefined) return undefined;
  if (start === undefined || end === undefined) {
    throw new InputError(
      "Give both 'start' and 'end' (epoch seconds), or neither to search the trace's own time window",
    );
  }
  if (start >= end) {
    throw new InputError(`'start' (${start}) must be before 'end' (${end})`);
  }
  const maxSeconds = context.options.limits.maxRangeSeconds;
  if (end - start > maxSeconds) {
    throw new InputError(
      `The time range is ${Math.round(
        (end - start) / 3600,
      )} h; the most allowed is ${
        maxSeconds / 3600
      } h (traces.limits.maxRangeHours)`,
    );
  }
  return { start: Math.floor(start * 1000), end: Math.ceil(end * 1000) };
}

/**
 * Reads the whole trace from the trace store. `strict` (entity access) fails as the trace route does;
 * `window` (only the time span is wanted) turns any failure into a 400 asking for a range.
 */
async function readTrace(
  context: RouteContext,
  access: Access,
  traceId: string,
  hint: LogWindow | undefined,
  mode: 'strict' | 'window',
): Promise<CompactTrace> {
  const askForRange = (reason: string) =>
    new InputError(
      `The time window of trace ${traceId} is unknown (${reason}); pass 'start' and 'end' (epoch seconds) to search its logs`,
    );
  if (!context.traces) {
    if (mode === 'strict') throw new ServiceUnavailableError(NO_TRACE_STORE);
    throw askForRange(NO_TRACE_STORE);
  }
  const store = context.traces;
  try {
    // The trace view has usually just cached this trace. Only its bounds are read, and a
    // window has the whole trace's: a large trace is not decoded whole for them.
    return await store.getTraceWindow({
      traceId,
      ...(hint && {
        start: Math.floor(hint.start / 1000),
        end: Math.ceil(hint.end / 1000),
      }),
      ...tenantOf(access),
    });
  } catch (error) {
    if (mode === 'strict') throw error;
    if (NotFoundError.is(error))
      throw askForRange(`it was not found in ${store.name}`);
    throw askForRange((error as Error).message);
  }
}

function traceWindow(trace: CompactTrace, marginMs: number): LogWindow {
  const startNanos = BigInt(trace.startTimeUnixNano);
  const endNanos = BigInt(trace.endTimeUnixNano);
  const start = Number(startNanos / NANOS_PER_MS);
  const end = Number((endNanos + NANOS_PER_MS - BigInt(1)) / NANOS_PER_MS);
  return { start: Math.max(0, start - marginMs), end: end + marginMs };
}
