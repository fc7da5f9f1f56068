import { NotFoundError } from '@backstage/errors';
import type { CompactTrace } from '@backstage-traces/plugin-traces-common';
import type { TraceCache } from './TraceCache';
import {
  compactOf,
  isScanned,
  type KeptTrace,
  type LargeTraceStore,
  type ScannedTrace,
} from './LargeTraceStore';
import { buildTraceTree, type TraceTree } from './window/TraceTree';
import {
  selectInitialWindow,
  selectSubtreeWindow,
  type WindowSelection,
} from './window/selectWindow';
import { sliceCompactTraceAsync } from './window/sliceCompactTrace';
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
 * Reads one whole trace from a store, compact-encoded with redaction applied (or, over the
 * window threshold, scanned: see `ScannedTrace`); undefined when the store does not have it.
 */
export type FetchCompactTrace = (
  request: LoadTraceRequest,
) => Promise<KeptTrace | undefined>;

/**
 * Fetches a trace from a store once, then serves it from the cache, so a reopened trace
 * costs neither the store nor the decoder. Traces over the window threshold stay decoded in
 * this process instead (`LargeTraceStore`), with their span tree, and are answered in
 * windows. Concurrent loads of one trace share a single store request. Owners are not baked
 * in (they change with the catalog); routes attach them per response.
 */
export class TraceLoader {
  private readonly inFlight = new Map<string, Promise<KeptTrace>>();
  /** Fetched traces until their cache write is done (it runs after the answer). */
  private readonly writing = new Map<string, CompactTrace>();

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
        /** The first window's size; `windowSpans` when not given. */
        firstWindowSpans?: number;
      };
    },
  ) {}

  /** The whole trace. */
  async load(request: LoadTraceRequest): Promise<CompactTrace> {
    const trace = await this.obtain(request);
    if (!isScanned(trace)) return trace;
    // Asked for whole (up to `wholeMaxSpans`): decoded in full for this request only.
    return timed('decode', 'whole decode', () => trace.decodeWhole());
  }

  /** The trace as kept, cached or fetched. */
  private async obtain(request: LoadTraceRequest): Promise<KeptTrace> {
    const key = cacheKey(request);
    const kept = this.deps.large?.store.get(key);
    if (kept) {
      note('kept', 'decoded trace kept in memory');
      return kept;
    }
    const cached = this.writing.get(key) ?? (await this.deps.cache?.get(key));
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

  /**
   * The trace and, when it is over the window threshold, its span tree; `scanned` when only
   * scanned (`compact` is then the scan and windows decode their spans).
   */
  async open(request: LoadTraceRequest): Promise<{
    compact: CompactTrace;
    tree?: TraceTree;
    scanned?: ScannedTrace;
  }> {
    const trace = await this.obtain(request);
    const compact = compactOf(trace);
    const scanned = isScanned(trace) ? trace : undefined;
    const large = this.deps.large;
    if (
      !scanned &&
      (!large || compact.spans.parent.length <= large.thresholdSpans)
    ) {
      return { compact };
    }
    const tree = large
      ? await timed('tree', 'span tree', () =>
          large.store.treeOf(cacheKey(request), trace),
        )
      : buildTraceTree(scanned?.source ?? compact);
    return { compact, tree, scanned };
  }

  /** A window of the selected rows, their spans decoded first when only scanned. */
  private async slice(
    opened: { compact: CompactTrace; tree: TraceTree; scanned?: ScannedTrace },
    selection: WindowSelection,
  ): Promise<CompactTrace> {
    const spans = await opened.scanned?.decode(selection.rows);
    return sliceCompactTraceAsync(
      opened.compact,
      opened.tree,
      selection,
      this.windowSpans(opened.tree),
      spans,
    );
  }

  /**
   * The trace as the trace view opens it: whole up to the window threshold, else its first
   * window, with `focusSpanId` and its ancestors in it.
   */
  async window(
    request: LoadTraceRequest & { focusSpanId?: string },
  ): Promise<CompactTrace> {
    const opened = await this.open(request);
    const { compact, tree } = opened;
    if (!tree) return compact;
    // Smaller than the later windows: its spans are decoded, sent and drawn before the user
    // sees a row.
    const firstSpans = Math.min(
      this.deps.large?.firstWindowSpans ?? Infinity,
      this.windowSpans(tree),
    );
    const focusRow =
      request.focusSpanId === undefined ? -1 : tree.rowOf(request.focusSpanId);
    return timed('window', 'first window', () =>
      this.slice(
        { ...opened, tree },
        selectInitialWindow(tree, firstSpans, focusRow),
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
    const windowSpans = this.windowSpans(tree);
    return this.slice(
      { ...opened, tree },
      selectSubtreeWindow(tree, row, request.from ?? 0, windowSpans),
    );
  }

  private windowSpans(tree: TraceTree): number {
    return this.deps.large?.windowSpans ?? tree.size;
  }

  private async fetch(
    request: LoadTraceRequest,
    key: string,
  ): Promise<KeptTrace> {
    const trace = await this.deps.fetchTrace(request);
    if (!trace) {
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
    const compact = compactOf(trace);
    if (
      large &&
      (isScanned(trace) || compact.spans.parent.length > large.thresholdSpans)
    ) {
      // Windows of one trace must come from one answer, partial or not; a partial one is
      // kept briefly, as the store may complete it later (Tempo's ingesters flush).
      large.store.set(key, trace, compact.partial ? PARTIAL_TTL_MS : undefined);
    } else if (!isScanned(trace) && !compact.partial) {
      this.cacheAfterAnswer(key, compact);
    }
    return trace;
  }

  /**
   * Writes a fetched trace to the cache once the request that fetched it has been answered:
   * serialising a large trace takes as long as encoding the answer, and the user waits for
   * the answer, not for the cache. Until then it is served from here.
   */
  private cacheAfterAnswer(key: string, compact: CompactTrace) {
    const cache = this.deps.cache;
    if (!cache) return;
    this.writing.set(key, compact);
    setImmediate(() => {
      cache
        .set(key, compact)
        // A failed write costs the next open a store fetch, nothing more.
        .catch(() => false)
        .finally(() => this.writing.delete(key));
    });
  }
}

function cacheKey({ traceId, start, end, tenant }: LoadTraceRequest): string {
  return `trace:v2:${tenant ?? ''}:${traceId}:${start ?? ''}:${end ?? ''}`;
}
