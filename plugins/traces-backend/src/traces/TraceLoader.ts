import { NotFoundError } from '@backstage/errors';
import {
  encodeCompactTrace,
  type CompactTrace,
} from '@internal/plugin-traces-common';
import type { Redactor } from '../redaction/Redactor';
import { redactTrace } from '../redaction/redactTrace';
import { normalizeTraceResponse } from '../tempo/normalizeTrace';
import type { TempoClient } from '../tempo/TempoClient';
import type { TraceCache } from './TraceCache';

export interface LoadTraceRequest {
  traceId: string;
  start?: number;
  end?: number;
  tenant?: string;
}

/**
 * Fetches a trace from Tempo once: normalised, redacted and compact-encoded, then cached, so
 * a reopened trace costs neither Tempo nor the normaliser. Owners are not baked in (they
 * change with the catalog); routes attach them per response.
 */
export class TraceLoader {
  constructor(
    private readonly deps: {
      tempo: TempoClient;
      redactor: Redactor;
      cache?: TraceCache;
    },
  ) {}

  async load(request: LoadTraceRequest): Promise<CompactTrace> {
    const key = cacheKey(request);
    const cached = await this.deps.cache?.get(key);
    if (cached) return cached;

    const body = await this.deps.tempo.traceById(
      request.traceId,
      { start: request.start, end: request.end },
      request.tenant ? { tenant: request.tenant } : undefined,
    );
    const trace = normalizeTraceResponse(request.traceId, body);
    if (!trace) {
      throw new NotFoundError(
        `Trace ${request.traceId} was not found in Tempo; it may be older than the retention period${
          request.start !== undefined ? ' or outside the requested time range' : ''
        }`,
      );
    }
    const compact = encodeCompactTrace(redactTrace(trace, this.deps.redactor));
    // Partial answers may be completed later (ingesters flush); do not pin them.
    if (!compact.partial) await this.deps.cache?.set(key, compact);
    return compact;
  }
}

function cacheKey({ traceId, start, end, tenant }: LoadTraceRequest): string {
  return `trace:v1:${tenant ?? ''}:${traceId}:${start ?? ''}:${end ?? ''}`;
}
