import type { CompactTrace } from '@backstage-traces/plugin-traces-common';
import { estimateBytes } from './TraceCache';
import { buildTraceTreeAsync, type TraceTree } from './window/TraceTree';

interface Entry {
  compact: CompactTrace;
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

  get(key: string): CompactTrace | undefined {
    return this.touch(key)?.compact;
  }

  /** The trace's span tree, built once (in event-loop slices) and kept with the trace. */
  treeOf(key: string, compact: CompactTrace): Promise<TraceTree> {
    const entry = this.touch(key);
    if (entry && entry.compact === compact) {
      entry.tree ??= buildTraceTreeAsync(compact);
      return entry.tree;
    }
    // Not kept (over the bound): built for this request only.
    return buildTraceTreeAsync(compact);
  }

  /** Keeps the trace unless it alone is over the bound; evicts the oldest to make room. */
  set(key: string, compact: CompactTrace, ttlMs = this.options.ttlMs): boolean {
    // The decoded trace takes ~2.5 times its JSON size in the heap (measured at a million
    // spans: 351 MB); the tree's typed arrays and ID index ~100 bytes per span on top.
    const bytes =
      estimateBytes(compact) * 2.5 + compact.spans.parent.length * 100;
    if (bytes > this.options.maxBytes) return false;
    this.delete(key);
    this.entries.set(key, { compact, bytes });
    this.totalBytes += bytes;
    const timer = setTimeout(() => {
      if (this.entries.get(key)?.compact === compact) this.delete(key);
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
