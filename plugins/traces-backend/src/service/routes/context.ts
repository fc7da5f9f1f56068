import type { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import type { TracesOptions } from '../../config';
import type { ServiceGraphSource } from '../../graph/types';
import type { ServiceOwnerResolver } from '../../owners/ServiceOwnerResolver';
import type { OpenSearchLogStore } from '../../opensearch/OpenSearchLogStore';
import type { Redactor } from '../../redaction/Redactor';
import type { TempoClient } from '../../tempo/TempoClient';
import type { TraceLoader } from '../../traces/TraceLoader';
import type { Access, AccessResolver } from '../AccessResolver';

/** What every route module gets: options, upstream clients and the access resolver. */
export interface RouteContext {
  options: TracesOptions;
  tempo?: TempoClient;
  /** Cached, normalised trace reads; present whenever `tempo` is. */
  traces?: TraceLoader;
  /** Where the service graph comes from; undefined when neither Prometheus nor Tempo is set. */
  serviceGraph?: ServiceGraphSource;
  access: AccessResolver;
  /** Logs by trace ID; undefined while traces.opensearch.baseUrl is unset. */
  logs?: OpenSearchLogStore;
  logger: LoggerService;
  /** Masks secrets in everything that leaves the backend. */
  redactor: Redactor;
  owners: ServiceOwnerResolver;
}

const TEMPO_NOT_CONFIGURED =
  'Tempo is not configured: set traces.tempo.baseUrl (app-config.yaml reads it from TEMPO_URL)';

export function requireTempo(context: RouteContext): TempoClient {
  if (!context.tempo) throw new ServiceUnavailableError(TEMPO_NOT_CONFIGURED);
  return context.tempo;
}

export function requireTraceLoader(context: RouteContext): TraceLoader {
  if (!context.traces) throw new ServiceUnavailableError(TEMPO_NOT_CONFIGURED);
  return context.traces;
}

/** The Tempo tenant of a request: the entity's annotation wins over the configured default. */
export function tenantOf(access: Access): { tenant?: string } {
  return access.kind === 'entity' && access.scope.tenant
    ? { tenant: access.scope.tenant }
    : {};
}
