import { NotFoundError } from '@backstage/errors';
import {
  decodeCompactTrace,
  encodeCompactTrace,
  type CompactTrace,
  type Trace,
} from '@backstage-traces/plugin-traces-common';
import type { Redactor } from '../redaction/Redactor';
import { redactTrace } from '../redaction/redactTrace';
import { normalizeTraceResponse } from '../tempo/normalizeTrace';
import { protobufToCompactAsync } from '../tempo/protobufToCompact';
import type { TempoClient, TempoTraceBody } from '../tempo/TempoClient';
import { UpstreamError } from '../lib/UpstreamError';
import type { TraceCache } from './TraceCache';
import type { LargeTraceStore } from './LargeTraceStore';
import type { TraceTree } from './window/TraceTree';

const PARTIAL_TTL_MS = 2 * 60_000;

export interface LoadTraceRequest {
  traceId: string;
  start?: number;
  end?: number;
  tenant?: string;
  /** Aborts the Tempo request (not a cached answer). */
  signal?: AbortSignal;
}

/** A trace over the window threshold, with its span tree to cut windows from. */
export interface WindowedTrace {
  compact: CompactTrace;
  tree: TraceTree;
}

/**
 * Fetches a trace from Tempo once: normalised, redacted and compact-encoded, then cached, so
 * a reopened trace costs neither Tempo nor the normaliser. Traces over the window threshold
 * stay decoded in this process instead (`LargeTraceStore`). Concurrent loads of one trace
 * share a single Tempo request. Owners are not baked in (they change with the catalog);
 * routes attach them per response.
 */
export class TraceLoader {
  private readonly inFlight = new Map<string, Promise<CompactTrace>>();

  constructor(
    private readonly deps: {
      tempo: TempoClient;
      redactor: Redactor;
      cache?: TraceCache;
      large?: { store: LargeTraceStore; thresholdSpans: number };
    },
  ) {}

  /** The whole trace. */
  async load(request: LoadTraceRequest): Promise<CompactTrace> {
    const key = cacheKey(request);
    const kept = this.deps.large?.store.get(key);
    if (kept) return kept;
    const cached = await this.deps.cache?.get(key);
    if (cached) return cached;

    // A caller's abort signal must not fail other callers: only signal-less loads share.
    if (request.signal) return this.fetch(request, key);
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.fetch(request, key).finally(() =>
        this.inFlight.delete(key),
      );
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /** The trace and, when it is over the window threshold, its span tree. */
  async open(
    request: LoadTraceRequest,
  ): Promise<{ compact: CompactTrace; tree?: TraceTree }> {
    const compact = await this.load(request);
    const large = this.deps.large;
    if (!large || compact.spans.parent.length <= large.thresholdSpans) {
      return { compact };
    }
    return {
      compact,
      tree: await large.store.treeOf(cacheKey(request), compact),
    };
  }

  private async fetch(
    request: LoadTraceRequest,
    key: string,
  ): Promise<CompactTrace> {
    const body = await this.deps.tempo.traceByIdBody(
      request.traceId,
      { start: request.start, end: request.end },
      {
        ...(request.tenant && { tenant: request.tenant }),
        signal: request.signal,
      },
    );
    const compact = await this.toCompact(request.traceId, body);
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
    const large = this.deps.large;
    if (large && compact.spans.parent.length > large.thresholdSpans) {
      // Windows of one trace must come from one answer, partial or not; a partial one is
      // kept briefly, as Tempo may complete it later (ingesters flush).
      large.store.set(
        key,
        compact,
        compact.partial ? PARTIAL_TTL_MS : undefined,
      );
    } else if (!compact.partial) {
      await this.deps.cache?.set(key, compact);
    }
    return compact;
  }

  /** The trace as objects, for code that walks spans (service graph sampling). */
  async loadTrace(request: LoadTraceRequest): Promise<Trace> {
    return decodeCompactTrace(await this.load(request));
  }

  private async toCompact(
    traceId: string,
    body: TempoTraceBody,
  ): Promise<CompactTrace | undefined> {
    if (body.protobuf) {
      try {
        return await protobufToCompactAsync(
          body.protobuf,
          traceId,
          this.deps.redactor,
        );
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
