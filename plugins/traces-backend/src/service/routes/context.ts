import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Request, RequestHandler } from 'express';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import type { CompactTrace } from '@backstage-traces/plugin-traces-common';
import type {
  LogStore,
  TraceStore,
} from '@backstage-traces/plugin-traces-node';
import type { TracesOptions } from '../../config';
import type { Exemplars } from '../../exemplars/Exemplars';
import type { DeclaredDependencyReader } from '../../graph/declaredDependencies';
import type { ServiceGraphSource } from '../../graph/types';
import { timed } from '../../lib/serverTiming';
import type { ServiceOwnerResolver } from '../../owners/ServiceOwnerResolver';
import type { Redactor } from '../../redaction/Redactor';
import { TEMPO_NOT_CONFIGURED } from '../../tempo/TempoTraceStore';
import type { Access, AccessResolver } from '../AccessResolver';

/** What every route module gets: options, the stores and the access resolver. */
export interface RouteContext {
  options: TracesOptions;
  /** Where traces are read; undefined while no store is installed or configured. */
  traces?: TraceStore;
  /** Where metrics exemplars come from, and how many a series may carry. */
  exemplars: Exemplars;
  /** Where the service graph comes from; undefined when neither Prometheus nor traces are. */
  serviceGraph?: ServiceGraphSource;
  access: AccessResolver;
  /** Logs of traces; undefined while no log store is installed or configured. */
  logs?: LogStore;
  logger: LoggerService;
  /** Masks secrets in everything that leaves the backend. */
  redactor: Redactor;
  owners: ServiceOwnerResolver;
  /** The dependencies the catalog declares, read with the caller's credentials. */
  declared: DeclaredDependencyReader;
  /** Holds one slot of the concurrency caps per upstream-reading request, or answers 429. */
  upstreamSlots: RequestHandler;
}

/** The request's Access, timed as the `access` stage of its Server-Timing. */
export function resolveAccess(
  context: RouteContext,
  req: Request,
  entityRef?: string,
): Promise<Access> {
  return timed('access', 'access decision', () =>
    context.access.resolve(req, entityRef),
  );
}

/** Why trace routes answer 503: nothing to read traces from. */
export const NO_TRACE_STORE = TEMPO_NOT_CONFIGURED;

export function requireTraceStore(context: RouteContext): TraceStore {
  if (!context.traces) throw new ServiceUnavailableError(NO_TRACE_STORE);
  return context.traces;
}

/** The trace's services: of the whole trace, also when the answer is a window of it. */
export function serviceNamesOfCompact(compact: CompactTrace): string[] {
  return compact.window
    ? compact.window.services.map(([name]) => compact.strings[name])
    : compact.resources.map(r => compact.strings[r.serviceName]);
}

/** An entity grants its own services' traces, not any trace ID a user types in. */
export function checkEntityAccess(
  access: Access,
  traceId: string,
  compact: CompactTrace,
) {
  if (access.kind !== 'entity') return;
  const services = new Set(access.scope.serviceNames);
  if (!serviceNamesOfCompact(compact).some(name => services.has(name))) {
    throw new NotAllowedError(
      `Trace ${traceId} has no spans of ${
        access.entityRef
      }'s services (${access.scope.serviceNames.join(', ')})`,
    );
  }
}

/** The tenant of a request: the entity's annotation wins over the store's default. */
export function tenantOf(access: Access): { tenant?: string } {
  return access.kind === 'entity' && access.scope.tenant
    ? { tenant: access.scope.tenant }
    : {};
}
