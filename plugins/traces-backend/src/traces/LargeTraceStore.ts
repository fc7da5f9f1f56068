import type { CompactTrace } from '@backstage-traces/plugin-traces-common';
import { estimateBytes } from './TraceCache';
import {
  buildTraceTreeAsync,
  type TraceTree,
  type TreeSource,
} from './window/TraceTree';

/**
 * A large trace scanned rather than decoded: `source` has every span's parent, times, status,
 * resource and ID in typed columns (enough for the span tree and choosing windows), `header`
 * the trace without spans (ID, bounds, resources), and the spans of a window are decoded in
 * full from the kept store answer when the window is cut. The first window of a million spans
 * so waits for a light pass, not a full decode.
 */
export interface ScannedTrace {
  header: CompactTrace;
  source: TreeSource;
  /**
   * The given rows of `scan` (ascending) decoded in full, redacted: `rows[k]` is the row of
   * the k-th given row in `compact`.
   */
  decode(
    rows: Int32Array,
  ): Promise<{ compact: CompactTrace; rows: Int32Array }>;
  /** Every span decoded in full (a request for the whole trace). */
  decodeWhole(): Promise<CompactTrace>;
  /** Bytes held: the store's answer and the columns. */
  heldBytes: number;
}

/** A large trace as kept: decoded in full, or scanned. */
export type KeptTrace = CompactTrace | ScannedTrace;

export function isScanned(trace: KeptTrace): trace is ScannedTrace {
  return 'source' in trace;
}

/** The compact trace windows are cut with: a scanned trace's header (no spans). */
export function compactOf(trace: KeptTrace): CompactTrace {
  return isScanned(trace) ? trace.header : trace;
}

interface Entry {
  trace: KeptTrace;
  bytes: number;
  tree?: Promise<TraceTree>;
}

/**
 * Traces over the window threshold, kept decoded in this process while users page through
 * them: each window is cut from the same decoded trace in milliseconds, where a cache service
 * would serialise hundreds of MB per read (and Memcache or Redis refuse values that size).
 * Bounded by estimated bytes, least recently used first out. With several backend replicas a
 * window request that lands elsewhere loads the trace from Tempo once more on that replica.
 */
export class LargeTraceStore {
  private readonly entries = new Map<string, Entry>();
  private totalBytes = 0;

  constructor(private readonly options: { maxBytes: number; ttlMs: number }) {}

  get(key: string): KeptTrace | undefined {
    return this.touch(key)?.trace;
  }

  /** The trace's span tree, built once (in event-loop slices) and kept with the trace. */
  treeOf(key: string, trace: KeptTrace): Promise<TraceTree> {
    const entry = this.touch(key);
    if (entry && entry.trace === trace) {
      entry.tree ??= buildTraceTreeAsync(treeSourceOf(trace));
      return entry.tree;
    }
    // Not kept (over the bound): built for this request only.
    return buildTraceTreeAsync(treeSourceOf(trace));
  }

  /** Keeps the trace unless it alone is over the bound; evicts the oldest to make room. */
  set(key: string, trace: KeptTrace, ttlMs = this.options.ttlMs): boolean {
    // The decoded trace takes ~2.5 times its JSON size in the heap (measured at a million
    // spans: 351 MB); the tree's typed arrays and ID index ~100 bytes per span on top; a
    // scanned trace holds the store's answer and its columns instead.
    const bytes = isScanned(trace)
      ? trace.heldBytes + trace.source.size * 100
      : estimateBytes(trace) * 2.5 + trace.spans.parent.length * 100;
    if (bytes > this.options.maxBytes) return false;
    this.delete(key);
    this.entries.set(key, { trace, bytes });
    this.totalBytes += bytes;
    const timer = setTimeout(() => {
      if (this.entries.get(key)?.trace === trace) this.delete(key);
    }, Math.min(ttlMs, this.options.ttlMs));
    timer.unref?.();
    while (this.totalBytes > this.options.maxBytes) {
      this.delete(this.entries.keys().next().value as string);
    }
    return true;
  }

  get size(): number {
    return this.totalBytes;
  }

  private touch(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      // Map iteration order is insertion order: re-insert to mark as recently used.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  private delete(key: string) {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.totalBytes -= entry.bytes;
    }
  }
}

function treeSourceOf(trace: KeptTrace): CompactTrace | TreeSource {
  return isScanned(trace) ? trace.source : trace;
}
