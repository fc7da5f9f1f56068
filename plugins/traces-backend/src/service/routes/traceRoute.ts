import type { Request, Response, Router } from 'express';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { z } from 'zod';
import {
  COMPACT_TRACE_MEDIA_TYPE,
  decodeCompactTrace,
  parseTraceIdParam,
  TRACE_ID_FORMAT,
  type CompactTrace,
} from '@backstage-traces/plugin-traces-common';
import type { OwnerLookup } from '../../owners/ServiceOwnerResolver';
import { buildTraceTree } from '../../traces/window/TraceTree';
import {
  selectInitialWindow,
  selectSubtreeWindow,
} from '../../traces/window/selectWindow';
import { sliceCompactTrace } from '../../traces/window/sliceCompactTrace';
import type { Access } from '../AccessResolver';
import {
  entityRefParam,
  epochSeconds,
  parseParams,
  spanIdParam,
} from '../params';
import { requireTraceLoader, tenantOf, type RouteContext } from './context';

const range = {
  entityRef: entityRefParam,
  start: epochSeconds.optional(),
  end: epochSeconds.optional(),
};

/**
 * GET /traces/:traceId — the trace; over `traces.largeTraces.windowThreshold` spans, its
 * first window (`focus` adds a span the user was linked to, with its ancestors).
 * GET /traces/:traceId/subtree/:spanId — the next window below a span (`from`: the child
 * index a previous answer's continuation named).
 */
export function registerTraceRoute(router: Router, context: RouteContext) {
  const { windowSpans } = context.options.largeTraces;
  const traceSchema = z.object({ ...range, focus: spanIdParam.optional() });
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
    const { compact, tree } = await openTrace(context, req, traceId, params);
    if (!tree) {
      await send(context, req, res, compact);
      return;
    }
    const focusRow = params.focus === undefined ? -1 : tree.rowOf(params.focus);
    const selection = selectInitialWindow(tree, windowSpans, focusRow);
    await send(
      context,
      req,
      res,
      sliceCompactTrace(compact, tree, selection, windowSpans),
    );
  });

  router.get('/traces/:traceId/subtree/:spanId', async (req, res) => {
    const traceId = parseTraceId(req.params.traceId);
    const { spanId } = parseParams(z.object({ spanId: spanIdParam }), {
      spanId: req.params.spanId,
    });
    const params = parseParams(subtreeSchema, req.query);
    const opened = await openTrace(context, req, traceId, params);
    // Small traces have no kept tree; one built here is cheap at that size.
    const tree = opened.tree ?? buildTraceTree(opened.compact);
    const row = tree.rowOf(spanId);
    if (row < 0) {
      throw new NotFoundError(`Span ${spanId} is not in trace ${traceId}`);
    }
    const selection = selectSubtreeWindow(
      tree,
      row,
      params.from ?? 0,
      windowSpans,
    );
    await send(
      context,
      req,
      res,
      sliceCompactTrace(opened.compact, tree, selection, windowSpans),
    );
  });
}

async function openTrace(
  context: RouteContext,
  req: Request,
  traceId: string,
  params: { entityRef?: string; start?: number; end?: number },
) {
  const loader = requireTraceLoader(context);
  const access = await context.access.resolve(req, params.entityRef);
  const opened = await loader.open({
    traceId,
    start: params.start === undefined ? undefined : Math.floor(params.start),
    end: params.end === undefined ? undefined : Math.ceil(params.end),
    ...tenantOf(access),
  });
  checkEntityAccess(access, traceId, opened.compact);
  return opened;
}

/** An entity grants its own services' traces, not any trace ID a user types in. */
function checkEntityAccess(
  access: Access,
  traceId: string,
  compact: CompactTrace,
) {
  if (access.kind !== 'entity') return;
  const services = new Set(access.scope.serviceNames);
  const names = compact.resources.map(r => compact.strings[r.serviceName]);
  if (!names.some(name => services.has(name))) {
    throw new NotAllowedError(
      `Trace ${traceId} has no spans of ${
        access.entityRef
      }'s services (${access.scope.serviceNames.join(', ')})`,
    );
  }
}

/** Compact when asked for (the frontend does), the `Trace` JSON otherwise. */
async function send(
  context: RouteContext,
  req: Request,
  res: Response,
  compact: CompactTrace,
) {
  const owners = await context.owners.lookup();
  res.vary('Accept');
  if (
    req.accepts(['application/json', COMPACT_TRACE_MEDIA_TYPE]) ===
    COMPACT_TRACE_MEDIA_TYPE
  ) {
    res
      .type(COMPACT_TRACE_MEDIA_TYPE)
      .send(JSON.stringify(withOwners(compact, owners)));
    return;
  }
  const trace = decodeCompactTrace(compact);
  for (const resource of trace.resources) {
    resource.owners = owners.ownersOf(
      resource.serviceName,
      resource.serviceNamespace,
    );
  }
  res.json(trace);
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
