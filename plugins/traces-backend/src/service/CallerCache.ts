import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { LRUCache } from 'lru-cache';
import { principalKey } from './ConcurrencyLimiter';

/**
 * What one caller's catalog and permission round trips resolved, reused for the same caller
 * and question for `ttlMs` (traces.limits.accessCacheTtl): made with the caller's own
 * credentials, these round trips cost more than most answers, and a page sends several
 * requests asking the same. Concurrent requests share one load; failures are not kept.
 * Without a TTL every call loads afresh.
 */
export class CallerCache<V extends {}, Q> {
  private readonly cache?: LRUCache<string, V, Asked<Q>>;

  constructor(
    private readonly options: {
      /** 0 or unset: nothing is kept. */
      ttlMs?: number;
      load: (credentials: BackstageCredentials, question: Q) => Promise<V>;
      /** The question's part of the key (the caller's principal is the other). */
      keyOf: (question: Q) => string;
      /**
       * Bound on what is kept: `size` of every value together at most `maxSize`; without
       * `size`, each value counts 1.
       */
      maxSize: number;
      size?: (value: V) => number;
    },
  ) {
    if (options.ttlMs) {
      this.cache = new LRUCache({
        maxSize: options.maxSize,
        sizeCalculation: value => Math.max(1, options.size?.(value) ?? 1),
        ttl: options.ttlMs,
        fetchMethod: (_key, _stale, { context }) =>
          options.load(context.credentials, context.question),
      });
    }
  }

  async get(credentials: BackstageCredentials, question: Q): Promise<V> {
    if (!this.cache) return this.options.load(credentials, question);
    const key = `${principalKey(credentials)}\n${this.options.keyOf(question)}`;
    return (await this.cache.fetch(key, {
      context: { credentials, question },
    }))!;
  }
}

interface Asked<Q> {
  credentials: BackstageCredentials;
  question: Q;
}
