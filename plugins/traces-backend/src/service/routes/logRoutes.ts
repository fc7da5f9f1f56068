import type { Router } from 'express';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { z } from 'zod';
import type {
  Attributes,
  LogCountsResponse,
  CompactTrace,
  LogsResponse,
  UpstreamHealth,
} from '@backstage-traces/plugin-traces-common';
import { decodeLogCursor } from '../../opensearch/cursor';
import type { OpenSearchLogStore } from '../../opensearch/OpenSearchLogStore';
import type { Access } from '../AccessResolver';
import {
  entityRefParam,
  epochSeconds,
  parseParams,
  spanIdParam,
} from '../params';
import { tenantOf, type RouteContext } from './context';
import { parseTraceId } from './traceRoute';

export const OPENSEARCH_NOT_CONFIGURED =
  'OpenSearch is not configured: set traces.opensearch.baseUrl (app-config.yaml reads it from OPENSEARCH_URL) to see the logs of traces';

const DEFAULT_LIMIT = 100;
const NANOS_PER_MS = BigInt(1_000_000);

interface Window {
  /** Epoch milliseconds. */
  start: number;
  end: number;
}

/**
 * Logs of a trace from OpenSearch. Access is that of trace reads: with `entityRef` the
 * trace must be in Tempo and include one of the entity's services; without, the caller
 * needs traces.query. Without `start`/`end` the window is the trace's own (from Tempo)
 * widened by `traces.opensearch.timeMargin`.
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
    const cursor = params.cursor ? decodeLogCursor(params.cursor) : undefined;
    const access = await context.access.resolve(req, params.entityRef);
    const window = await resolveWindow(
      context,
      logs,
      access,
      traceId,
      params,
      cursor,
    );

    const page: LogsResponse = await logs.searchLogs({
      traceId,
      spanId: params.spanId,
      ...window,
      limit: params.limit ?? Math.min(DEFAULT_LIMIT, maxResults),
      cursor: params.cursor,
      order: params.order ?? 'asc',
    });
    for (const log of page.logs) {
      const { attributes, redactedKeys } = context.redactor.redactAttributes(
        log.fields as Attributes,
      );
      if (redactedKeys.length) {
        log.fields = attributes;
        log.redactedKeys = redactedKeys;
      }
    }
    res.json(page);
  });

  router.get('/traces/:traceId/log-counts', async (req, res) => {
    const traceId = parseTraceId(req.params.traceId);
    const params = parseParams(countsSchema, req.query);
    const logs = requireLogs(context);
    const access = await context.access.resolve(req, params.entityRef);
    const window = await resolveWindow(context, logs, access, traceId, params);
    const body: LogCountsResponse = await logs.countBySpan({
      traceId,
      ...window,
    });
    res.json(body);
  });
}

function requireLogs(context: RouteContext): OpenSearchLogStore {
  if (!context.logs)
    throw new ServiceUnavailableError(OPENSEARCH_NOT_CONFIGURED);
  return context.logs;
}

/**
 * The searched window: the request's range, a cursor's (later pages keep the first page's
 * window), or the trace's time span from Tempo plus the margin. Entity-scoped requests
 * always read the trace, since the entity grants only traces that include its services.
 */
async function resolveWindow(
  context: RouteContext,
  logs: OpenSearchLogStore,
  access: Access,
  traceId: string,
  params: { start?: number; end?: number },
  cursor?: { start: number; end: number },
): Promise<Window> {
  const explicit = explicitWindow(context, params);
  const known = explicit ?? cursor;

  if (access.kind === 'entity') {
    const trace = await readTrace(context, access, traceId, known, 'strict');
    const services = new Set(access.scope.serviceNames);
    const traceServices = trace.resources.map(
      r => trace.strings[r.serviceName],
    );
    if (!traceServices.some(service => services.has(service))) {
      throw new NotAllowedError(
        `Trace ${traceId} has no spans of ${
          access.entityRef
        }'s services (${access.scope.serviceNames.join(', ')})`,
      );
    }
    return known ?? traceWindow(trace, logs.timeMarginMs);
  }
  if (known) return known;
  const trace = await readTrace(context, access, traceId, undefined, 'window');
  return traceWindow(trace, logs.timeMarginMs);
}

function explicitWindow(
  context: RouteContext,
  params: { start?: number; end?: number },
): Window | undefined {
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
 * Reads the trace from Tempo. `strict` (entity access) fails as the trace route does;
 * `window` (only the time span is wanted) turns any failure into a 400 asking for a range.
 */
async function readTrace(
  context: RouteContext,
  access: Access,
  traceId: string,
  hint: Window | undefined,
  mode: 'strict' | 'window',
): Promise<CompactTrace> {
  const askForRange = (reason: string) =>
    new InputError(
      `The time window of trace ${traceId} is unknown (${reason}); pass 'start' and 'end' (epoch seconds) to search its logs`,
    );
  if (!context.traces) {
    const reason =
      'Tempo is not configured: set traces.tempo.baseUrl (app-config.yaml reads it from TEMPO_URL)';
    if (mode === 'strict') throw new ServiceUnavailableError(reason);
    throw askForRange(reason);
  }
  try {
    // Through the trace loader: the trace view has usually just cached this trace.
    return await context.traces.load({
      traceId,
      ...(hint && {
        start: Math.floor(hint.start / 1000),
        end: Math.ceil(hint.end / 1000),
      }),
      ...tenantOf(access),
    });
  } catch (error) {
    if (mode === 'strict') throw error;
    if (NotFoundError.is(error)) throw askForRange('it was not found in Tempo');
    throw askForRange((error as Error).message);
  }
}

function traceWindow(trace: CompactTrace, marginMs: number): Window {
  const startNanos = BigInt(trace.startTimeUnixNano);
  const endNanos = BigInt(trace.endTimeUnixNano);
  const start = Number(startNanos / NANOS_PER_MS);
  const end = Number((endNanos + NANOS_PER_MS - BigInt(1)) / NANOS_PER_MS);
  return { start: Math.max(0, start - marginMs), end: end + marginMs };
}

/** For `/health`: disabled with the setting to add, ok with the version, or down and why. */
export async function openSearchHealth(
  context: RouteContext,
): Promise<UpstreamHealth> {
  const { logs } = context;
  if (!logs) {
    return { status: 'disabled', message: OPENSEARCH_NOT_CONFIGURED };
  }
  try {
    const { version } = await logs.ping();
    return { status: 'ok', url: logs.baseUrl, ...(version && { version }) };
  } catch (error) {
    return {
      status: 'down',
      message: (error as Error).message,
      url: logs.baseUrl,
    };
  }
}
