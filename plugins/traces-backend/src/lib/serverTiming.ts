import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';

interface Entry {
  name: string;
  description: string;
  ms?: number;
}

const current = new AsyncLocalStorage<Entry[]>();

/**
 * The stages of one request, for its `Server-Timing` header: browsers show them in the
 * network panel and expose them to `PerformanceResourceTiming.serverTiming`, which is how the
 * browser benchmark tells the store fetch from the decode and the encode. Stages are recorded
 * by `timed` anywhere below `collect`, without passing a recorder through the stores.
 */
export class ServerTiming {
  private readonly entries: Entry[] = [];
  private readonly started = performance.now();

  /** Runs `work` with this request's recorder in scope. */
  collect<T>(work: () => Promise<T>): Promise<T> {
    return current.run(this.entries, work);
  }

  /**
   * The header value, e.g. `tempo;dur=812.3;desc="Tempo fetch", encode;dur=40.1;desc="…"`.
   * `total`: a last `total` stage from this recorder's creation, so that the time between
   * the named stages (the route's own work) shows too.
   */
  header(options: { total?: boolean } = {}): string {
    const entries = options.total
      ? [
          ...this.entries,
          {
            name: 'total',
            description: 'route total',
            ms: performance.now() - this.started,
          },
        ]
      : this.entries;
    return entries
      .map(
        ({ name, description, ms }) =>
          `${name}${
            ms === undefined ? '' : `;dur=${ms.toFixed(1)}`
          };desc="${description}"`,
      )
      .join(', ');
  }
}

/** Times `work` as a stage of the request in scope (a no-op outside `collect`). */
export async function timed<T>(
  name: string,
  description: string,
  work: () => T | Promise<T>,
): Promise<T> {
  const entries = current.getStore();
  if (!entries) return work();
  const start = performance.now();
  try {
    return await work();
  } finally {
    entries.push({ name, description, ms: performance.now() - start });
  }
}

/** Notes a stage without a duration, e.g. that the answer came from the cache. */
export function note(name: string, description: string) {
  current.getStore()?.push({ name, description });
}
