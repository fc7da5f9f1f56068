import { NotFoundError } from '@backstage/errors';
import type { CompactTrace } from '@backstage-traces/plugin-traces-common';
import type { TraceCache } from './TraceCache';
import type { LargeTraceStore } from './LargeTraceStore';
import { buildTraceTree, type TraceTree } from './window/TraceTree';
import {
  selectInitialWindow,
  selectSubtreeWindow,
} from './window/selectWindow';
import { sliceCompactTrace } from './window/sliceCompactTrace';
import { note, timed } from '../lib/serverTiming';

const PARTIAL_TTL_MS = 2 * 60_000;

export interface LoadTraceRequest {
  traceId: string;
  start?: number;
  end?: number;
  tenant?: string;
  /** Aborts the store request (not a cached answer). */
  signal?: AbortSignal;
}

/**
 * Reads one whole trace from a store, compact-encoded with redaction applied; undefined when
 * the store does not have it.
 */
export type FetchCompactTrace = (
  request: LoadTraceRequest,
) => Promise<CompactTrace | undefined>;

/**
 * Fetches a trace from a store once, then serves it from the cache, so a reopened trace
 * costs neither the store nor the decoder. Traces over the window threshold stay decoded in
 * this process instead (`LargeTraceStore`), with their span tree, and are answered in
 * windows. Concurrent loads of one trace share a single store request. Owners are not baked
 * in (they change with the catalog); routes attach them per response.
 */
export class TraceLoader {
  private readonly inFlight = new Map<string, Promise<CompactTrace>>();

  constructor(
    private readonly deps: {
      fetchTrace: FetchCompactTrace;
      /** Names the store in "not found" messages. */
      storeName: string;
      cache?: TraceCache;
      large?: {
        store: LargeTraceStore;
        thresholdSpans: number;
        windowSpans: number;
      };
    },
  ) {}

  /** The whole trace. */
  async load(request: LoadTraceRequest): Promise<CompactTrace> {
    const key = cacheKey(request);
    const kept = this.deps.large?.store.get(key);
    if (kept) {
      note('kept', 'decoded trace kept in memory');
      return kept;
    }
    const cached = await this.deps.cache?.get(key);
    if (cached) {
      note('cache', 'decoded trace from the cache');
      return cached;
    }

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
      tree: await timed('tree', 'span tree', () =>
        large.store.treeOf(cacheKey(request), compact),
      ),
    };
  }

  /**
   * The trace as the trace view opens it: whole up to the window threshold, else its first
   * window, with `focusSpanId` and its ancestors in it.
   */
  async window(
    request: LoadTraceRequest & { focusSpanId?: string },
  ): Promise<CompactTrace> {
    const { compact, tree } = await this.open(request);
    if (!tree) return compact;
    const windowSpans = this.windowSpans(compact);
    const focusRow =
      request.focusSpanId === undefined ? -1 : tree.rowOf(request.focusSpanId);
    return timed('window', 'first window', () =>
      sliceCompactTrace(
        compact,
        tree,
        selectInitialWindow(tree, windowSpans, focusRow),
        windowSpans,
      ),
    );
  }

  /** The next window below a span, from child index `from`. */
  async subtree(
    request: LoadTraceRequest & { spanId: string; from?: number },
  ): Promise<CompactTrace> {
    const opened = await this.open(request);
    // Small traces have no kept tree; one built here is cheap at that size.
    const tree = opened.tree ?? buildTraceTree(opened.compact);
    const row = tree.rowOf(request.spanId);
    if (row < 0) {
      throw new NotFoundError(
        `Span ${request.spanId} is not in trace ${request.traceId}`,
      );
    }
    const windowSpans = this.windowSpans(opened.compact);
    return sliceCompactTrace(
      opened.compact,
      tree,
      selectSubtreeWindow(tree, row, request.from ?? 0, windowSpans),
      windowSpans,
    );
  }

  private windowSpans(compact: CompactTrace): number {
    return this.deps.large?.windowSpans ?? compact.spans.parent.length;
  }

  private async fetch(
    request: LoadTraceRequest,
    key: string,
  ): Promise<CompactTrace> {
    const compact = await this.deps.fetchTrace(request);
    if (!compact) {
      throw new NotFoundError(
        `Trace ${request.traceId} was not found in ${
          this.deps.storeName
        }; it may be older than the retention period${
          request.start !== undefined
            ? ' or outside the requested time range'
            : ''
        }`,
      );
    }
    const large = this.deps.large;
    if (large && compact.spans.parent.length > large.thresholdSpans) {
      // Windows of one trace must come from one answer, partial or not; a partial one is
      // kept briefly, as the store may complete it later (Tempo's ingesters flush).
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
}

function cacheKey({ traceId, start, end, tenant }: LoadTraceRequest): string {
  return `trace:v1:${tenant ?? ''}:${traceId}:${start ?? ''}:${end ?? ''}`;
}
