import type { Router } from 'express';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { z } from 'zod';
import { isTraceIdParam, normalizeTraceId } from '@internal/plugin-traces-common';
import { attachTraceOwners } from '../../owners/enrichOwners';
import { redactTrace } from '../../redaction/redactTrace';
import { normalizeTraceResponse } from '../../tempo/normalizeTrace';
import { entityRefParam, epochSeconds, parseParams } from '../params';
import { requireTempo, tenantOf, type RouteContext } from './context';

export function registerTraceRoute(router: Router, context: RouteContext) {
  const schema = z.object({
    entityRef: entityRefParam,
    start: epochSeconds.optional(),
    end: epochSeconds.optional(),
  });

  router.get('/traces/:traceId', async (req, res) => {
    const traceId = parseTraceId(req.params.traceId);
    const params = parseParams(schema, req.query);
    const tempo = requireTempo(context);
    const access = await context.access.resolve(req, params.entityRef);

    const body = await tempo.traceById(
      traceId,
      { start: params.start && Math.floor(params.start), end: params.end && Math.ceil(params.end) },
      tenantOf(access),
    );
    const trace = normalizeTraceResponse(traceId, body);
    if (!trace) {
      throw new NotFoundError(
        `Trace ${traceId} was not found in Tempo; it may be older than the retention period${
          params.start !== undefined ? ' or outside the requested time range' : ''
        }`,
      );
    }
    if (access.kind === 'entity') {
      // An entity grants its own services' traces, not any trace ID a user types in.
      const services = new Set(access.scope.serviceNames);
      if (!trace.services.some(service => services.has(service))) {
        throw new NotAllowedError(
          `Trace ${traceId} has no spans of ${access.entityRef}'s services (${access.scope.serviceNames.join(', ')})`,
        );
      }
    }
    redactTrace(trace, context.redactor);
    attachTraceOwners(trace, await context.owners.lookup());
    res.json(trace);
  });
}

/** Accepts 16- or 32-hex IDs (64-bit IDs are left-padded, as Tempo does). */
export function parseTraceId(raw: string): string {
  if (!isTraceIdParam(raw)) {
    throw new InputError(
      `Invalid trace ID '${raw.slice(0, 64)}': expected 16 or 32 hexadecimal characters`,
    );
  }
  return normalizeTraceId(raw)!;
}
