import { NotFoundError } from '@backstage/errors';
import {
  decodeCompactTrace,
  encodeCompactTrace,
  type CompactTrace,
  type Trace,
} from '@internal/plugin-traces-common';
import type { Redactor } from '../redaction/Redactor';
import { redactTrace } from '../redaction/redactTrace';
import { normalizeTraceResponse } from '../tempo/normalizeTrace';
import { protobufToCompact } from '../tempo/protobufToCompact';
import type { TempoClient, TempoTraceBody } from '../tempo/TempoClient';
import { UpstreamError } from '../lib/UpstreamError';
import type { TraceCache } from './TraceCache';

export interface LoadTraceRequest {
  traceId: string;
  start?: number;
  end?: number;
  tenant?: string;
  /** Aborts the Tempo request (not a cached answer). */
  signal?: AbortSignal;
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

    const body = await this.deps.tempo.traceByIdBody(
      request.traceId,
      { start: request.start, end: request.end },
      {
        ...(request.tenant && { tenant: request.tenant }),
        signal: request.signal,
      },
    );
    const compact = this.toCompact(request.traceId, body);
    if (!compact) {
      throw new NotFoundError(
        `Trace ${
          request.traceId
        } was not found in Tempo; it may be older than the retention period${
          request.start !== undefined
            ? ' or outside the requested time range'
            : ''
        }`,
      );
    }
    // Partial answers may be completed later (ingesters flush); do not pin them.
    if (!compact.partial) await this.deps.cache?.set(key, compact);
    return compact;
  }

  /** The trace as objects, for code that walks spans (service graph sampling). */
  async loadTrace(request: LoadTraceRequest): Promise<Trace> {
    return decodeCompactTrace(await this.load(request));
  }

  private toCompact(
    traceId: string,
    body: TempoTraceBody,
  ): CompactTrace | undefined {
    if (body.protobuf) {
      try {
        return protobufToCompact(body.protobuf, traceId, this.deps.redactor);
      } catch (error) {
        throw new UpstreamError(
          'Tempo',
          502,
          `the protobuf of trace ${traceId} cannot be decoded (${
            (error as Error).message
          })`,
        );
      }
    }
    const trace = normalizeTraceResponse(traceId, body.json);
    return trace && encodeCompactTrace(redactTrace(trace, this.deps.redactor));
  }
}

function cacheKey({ traceId, start, end, tenant }: LoadTraceRequest): string {
  return `trace:v1:${tenant ?? ''}:${traceId}:${start ?? ''}:${end ?? ''}`;
}
