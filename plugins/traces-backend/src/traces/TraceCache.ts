import type { CacheService } from '@backstage/backend-plugin-api';
import type { CompactTrace } from '@backstage-traces/plugin-traces-common';

export interface TraceCacheOptions {
  ttlMs: number;
  /** Upper bound of what this instance keeps in the cache, in (estimated) bytes. */
  maxBytes: number;
  /** Traces larger than this are not cached at all. */
  maxTraceBytes: number;
}

/**
 * Keeps recently opened traces, compact-encoded, in Backstage's cache service so that
 * reopening a trace skips Tempo. Backstage's memory store is an unbounded map, so this class
 * keeps the bound itself: it tracks what it wrote, oldest first, and deletes the oldest
 * entries once their total passes `maxBytes`. With a shared store (Redis, Valkey,
 * Memcache) the bound applies to what each instance adds.
 *
 * Entries are the trace's JSON text, not the object: the cache service hands values to
 * Keyv, whose default serializer walks every value of an object in JavaScript (about 0.4 s
 * and much garbage for a 100,000-span trace, in every store including memory) and reads it
 * back with a `JSON.parse` reviver called on every number. A string costs one native
 * `JSON.stringify` and one `JSON.parse`.
 */
export class TraceCache {
  private readonly entries = new Map<string, number>();
  private totalBytes = 0;

  constructor(
    private readonly cache: CacheService,
    private readonly options: TraceCacheOptions,
  ) {}

  async get(key: string): Promise<CompactTrace | undefined> {
    const value = await this.cache.get(key);
    // Anything else was written by another version into a shared store.
    if (typeof value !== 'string') return undefined;
    const size = this.entries.get(key);
    if (size !== undefined) {
      // Refresh recency: Map iteration order is insertion order.
      this.entries.delete(key);
      this.entries.set(key, size);
    }
    return JSON.parse(value) as CompactTrace;
  }

  async set(key: string, trace: CompactTrace): Promise<boolean> {
    const size = estimateBytes(trace);
    if (size > this.options.maxTraceBytes || size > this.options.maxBytes)
      return false;
    this.forget(key);
    await this.cache.set(key, JSON.stringify(trace), {
      ttl: this.options.ttlMs,
    });
    this.entries.set(key, size);
    this.totalBytes += size;
    while (this.totalBytes > this.options.maxBytes) {
      const oldest = this.entries.keys().next().value as string;
      this.forget(oldest);
      await this.cache.delete(oldest);
    }
    return true;
  }

  /** Estimated bytes this instance currently keeps in the cache. */
  get size(): number {
    return this.totalBytes;
  }

  private forget(key: string) {
    const size = this.entries.get(key);
    if (size !== undefined) {
      this.entries.delete(key);
      this.totalBytes -= size;
    }
  }
}

/**
 * A cheap estimate of the serialised size, without serialising the spans: strings by
 * length, every number column at its decimal width, attribute lists at a flat rate.
 */
export function estimateBytes(trace: CompactTrace): number {
  let bytes = 256 + trace.spans.ids.length;
  for (const text of trace.strings) bytes += text.length + 3;
  const { spans } = trace;
  bytes += spans.parent.length * 40; // parent, name, resource, kind, status, start, duration
  for (const list of spans.attributes) bytes += list.length * 8;
  bytes +=
    JSON.stringify(spans.events).length + JSON.stringify(spans.links).length;
  bytes += JSON.stringify(trace.resources).length;
  return bytes;
}
