import type { Request, Response, Router } from 'express';
import { InputError, NotFoundError } from '@backstage/errors';
import { z } from 'zod';
import {
  COMPACT_TRACE_MEDIA_TYPE,
  decodeCompactTrace,
  parseTraceIdParam,
  TRACE_ID_FORMAT,
  type CompactTrace,
} from '@backstage-traces/plugin-traces-common';
import type { TraceRequest } from '@backstage-traces/plugin-traces-node';
import type { OwnerLookup } from '../../owners/ServiceOwnerResolver';
import type { Access } from '../AccessResolver';
import { ServerTiming, timed } from '../../lib/serverTiming';
import {
  entityRefParam,
  epochSeconds,
  parseParams,
  spanIdParam,
} from '../params';
import {
  checkEntityAccess,
  requireTraceStore,
  resolveAccess,
  tenantOf,
  type RouteContext,
} from './context';

const range = {
  entityRef: entityRefParam,
  start: epochSeconds.optional(),
  end: epochSeconds.optional(),
};

/**
 * GET /traces/:traceId — the trace; over `traces.largeTraces.windowThreshold` spans, its
 * first window (`focus` adds a span the user was linked to, with its ancestors), unless
 * `whole=true` asks for every span (the comparison of two traces) and the trace has at most
 * `traces.largeTraces.wholeMaxSpans`.
 * GET /traces/:traceId/subtree/:spanId — the next window below a span (`from`: the child
 * index a previous answer's continuation named).
 */
export function registerTraceRoute(router: Router, context: RouteContext) {
  const traceSchema = z.object({
    ...range,
    focus: spanIdParam.optional(),
    whole: z
      .enum(['true', 'false'], { message: "must be 'true' or 'false'" })
      .transform(value => value === 'true')
      .optional(),
  });
  const subtreeSchema = z.object({
    ...range,
    from: z
      .string()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .optional(),
  });

  router.get('/traces/:traceId', async (req, res) => {
    const traceId = parseTraceId(req.params.traceId);
    const params = parseParams(traceSchema, req.query);
    const store = requireTraceStore(context);
    const timing = new ServerTiming();
    const access = await timing.collect(() =>
      resolveAccess(context, req, params.entityRef),
    );
    const request = traceRequest(access, traceId, params);
    const owners = ownersMeanwhile(context, timing);
    const compact = await timing.collect(async () => {
      const first = await store.getTraceWindow({
        ...request,
        focusSpanId: params.focus,
      });
      // The first window counts the trace's spans: one over the cap is never decoded whole
      // (a store may keep a large trace only scanned).
      const max = context.options.largeTraces.wholeMaxSpans;
      return params.whole && first.window && first.window.totalSpans <= max
        ? store.getTrace(request)
        : first;
    });
    checkEntityAccess(access, traceId, compact);
    await send(req, res, compact, timing, await owners);
  });

  router.get('/traces/:traceId/subtree/:spanId', async (req, res) => {
    const traceId = parseTraceId(req.params.traceId);
    const { spanId } = parseParams(z.object({ spanId: spanIdParam }), {
      spanId: req.params.spanId,
    });
    const params = parseParams(subtreeSchema, req.query);
    const store = requireTraceStore(context);
    const timing = new ServerTiming();
    const access = await timing.collect(() =>
      resolveAccess(context, req, params.entityRef),
    );
    const request = traceRequest(access, traceId, params);
    const owners = ownersMeanwhile(context, timing);
    const compact = await timing
      .collect(() =>
        store.getSubtree({ ...request, spanId, from: params.from }),
      )
      .catch(async error => {
        // "No such span" would tell about a trace the entity does not grant.
        if (NotFoundError.is(error) && access.kind === 'entity') {
          // A window names every service of the trace, without decoding it whole.
          checkEntityAccess(
            access,
            traceId,
            await store.getTraceWindow(request),
          );
        }
        throw error;
      });
    checkEntityAccess(access, traceId, compact);
    await send(req, res, compact, timing, await owners);
  });
}

/**
 * The service owners for the answer, looked up while the trace is fetched and decoded (it
 * reads the catalog when its copy is stale; the caller's access is already decided).
 */
function ownersMeanwhile(
  context: RouteContext,
  timing: ServerTiming,
): Promise<OwnerLookup> {
  const owners = timing.collect(() =>
    timed('owners', 'service owners', () => context.owners.lookup()),
  );
  // Awaited only when the trace is answered; a failed trace request leaves it unread.
  owners.catch(() => {});
  return owners;
}

/** Whole seconds around the given range (Tempo reads longer numbers as nanoseconds). */
export function traceRequest(
  access: Access,
  traceId: string,
  params: { start?: number; end?: number },
): TraceRequest {
  return {
    traceId,
    start: params.start === undefined ? undefined : Math.floor(params.start),
    end: params.end === undefined ? undefined : Math.ceil(params.end),
    ...tenantOf(access),
  };
}

/** Compact when asked for (the frontend does), the `Trace` JSON otherwise. */
async function send(
  req: Request,
  res: Response,
  compact: CompactTrace,
  timing: ServerTiming,
  owners: OwnerLookup,
) {
  res.vary('Accept');
  const body = await timing.collect(() =>
    timed('encode', 'encode', () => {
      if (
        req.accepts(['application/json', COMPACT_TRACE_MEDIA_TYPE]) ===
        COMPACT_TRACE_MEDIA_TYPE
      ) {
        res.type(COMPACT_TRACE_MEDIA_TYPE);
        return JSON.stringify(withOwners(compact, owners));
      }
      const trace = decodeCompactTrace(compact);
      for (const resource of trace.resources) {
        resource.owners = owners.ownersOf(
          resource.serviceName,
          resource.serviceNamespace,
        );
      }
      res.type('application/json');
      return JSON.stringify(trace);
    }),
  );
  res.setHeader('Server-Timing', timing.header({ total: true }));
  res.send(body);
}

/** A shallow copy with owners on each resource; the cached trace stays untouched. */
function withOwners(compact: CompactTrace, owners: OwnerLookup): CompactTrace {
  return {
    ...compact,
    resources: compact.resources.map(resource => ({
      ...resource,
      owners: owners.ownersOf(
        compact.strings[resource.serviceName],
        resource.serviceNamespace === undefined
          ? undefined
          : compact.strings[resource.serviceNamespace],
      ),
    })),
  };
}

/** Accepts 1 to 32 hex characters and pads them, as Tempo does with stripped leading zeros. */
export function parseTraceId(raw: string): string {
  const id = parseTraceIdParam(raw);
  if (!id) {
    throw new InputError(
      `Invalid trace ID '${raw.slice(0, 64)}': expected ${TRACE_ID_FORMAT}`,
    );
  }
  return id;
}
