import type { Router } from 'express';
import { InputError, NotAllowedError } from '@backstage/errors';
import { z } from 'zod';
import {
  COMPACT_TRACE_MEDIA_TYPE,
  decodeCompactTrace,
  isTraceIdParam,
  normalizeTraceId,
  type CompactTrace,
} from '@internal/plugin-traces-common';
import type { OwnerLookup } from '../../owners/ServiceOwnerResolver';
import { entityRefParam, epochSeconds, parseParams } from '../params';
import { requireTraceLoader, tenantOf, type RouteContext } from './context';

export function registerTraceRoute(router: Router, context: RouteContext) {
  const schema = z.object({
    entityRef: entityRefParam,
    start: epochSeconds.optional(),
    end: epochSeconds.optional(),
  });

  router.get('/traces/:traceId', async (req, res) => {
    const traceId = parseTraceId(req.params.traceId);
    const params = parseParams(schema, req.query);
    const loader = requireTraceLoader(context);
    const access = await context.access.resolve(req, params.entityRef);

    const compact = await loader.load({
      traceId,
      start: params.start === undefined ? undefined : Math.floor(params.start),
      end: params.end === undefined ? undefined : Math.ceil(params.end),
      ...tenantOf(access),
    });
    if (access.kind === 'entity') {
      // An entity grants its own services' traces, not any trace ID a user types in.
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
  });
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

/** Accepts 16- or 32-hex IDs (64-bit IDs are left-padded, as Tempo does). */
export function parseTraceId(raw: string): string {
  if (!isTraceIdParam(raw)) {
    throw new InputError(
      `Invalid trace ID '${raw.slice(
        0,
        64,
      )}': expected 16 or 32 hexadecimal characters`,
    );
  }
  return normalizeTraceId(raw)!;
}
