import type { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  decodeCompactTrace,
  type Trace,
} from '@backstage-traces/plugin-traces-common';
import type { TraceStore } from '@backstage-traces/plugin-traces-node';
import type { TracesOptions } from '../config';
import { UpstreamError } from '../lib/UpstreamError';
import { tenantOf } from '../service/routes/context';
import { scopeOf } from '../service/traceScope';
import { aggregateTraces, serviceNamespaces } from './aggregateTraces';
import { expandHops } from './expandHops';
import type {
  ServiceGraphEdges,
  ServiceGraphQuery,
  ServiceGraphSource,
} from './types';

/** Trace fetches in flight at once: enough to be quick, few enough to be polite to Tempo. */
const DEFAULT_CONCURRENCY = 6;
/**
 * When the whole sample takes longer, the graph of the traces fetched by then is the first
 * answer (with `pendingTraces`); the other fetches go on into the trace cache, so the answer to
 * the next request covers the whole sample.
 */
const DEFAULT_FIRST_ANSWER_MS = 2_000;

export interface TraceSampleGraphSourceOptions {
  /** Trace reads share the store's trace cache with the trace view. */
  traces: TraceStore;
  options: TracesOptions;
  logger: LoggerService;
  /** How many recent traces to aggregate. */
  sampleTraces: number;
  /** Budget for fetching all sampled traces; what has arrived by then is aggregated. */
  timeBudgetMs: number;
  concurrency?: number;
  /** See DEFAULT_FIRST_ANSWER_MS. */
  firstAnswerMs?: number;
}

/**
 * Edges from a sample of the entity's recent traces, for when there are no service graph
 * metrics: one entity-scoped search of the trace store, then each trace by ID, aggregated in
 * memory.
 */
export class TraceSampleGraphSource implements ServiceGraphSource {
  readonly kind = 'traces';

  constructor(private readonly deps: TraceSampleGraphSourceOptions) {}

  async getEdges({
    access,
    start,
    end,
    depth,
  }: ServiceGraphQuery): Promise<ServiceGraphEdges> {
    const {
      traces: store,
      options,
      logger,
      sampleTraces,
      timeBudgetMs,
    } = this.deps;
    const tenant = tenantOf(access);
    const { traces: found } = await store.searchTraces({
      scope: scopeOf(access, options),
      start,
      end,
      limit: sampleTraces,
    });
    // A graph needs many small traces, not one huge one: traces over the window threshold
    // would cost seconds and hundreds of MB each (their spans as objects), so they are left out.
    const threshold = options.largeTraces.windowThreshold;
    const small = found.filter(
      summary => (summary.spanCount ?? 0) <= threshold,
    );
    const large = found.length - small.length;
    const traceIds = [...new Set(small.map(summary => summary.traceId))];

    const budget = new AbortController();
    const timer = setTimeout(() => budget.abort(), timeBudgetMs);
    const traces: Trace[] = [];
    const failures: unknown[] = [];
    let missing = 0;
    let overBudget = 0;
    let arrived: (() => void) | undefined;
    const all = forEachConcurrently(
      traceIds,
      this.deps.concurrency ?? DEFAULT_CONCURRENCY,
      async traceId => {
        if (budget.signal.aborted) {
          overBudget += 1;
          return;
        }
        try {
          const compact = await store.getTrace({
            traceId,
            start,
            end,
            ...tenant,
            signal: budget.signal,
          });
          traces.push(decodeCompactTrace(compact));
          arrived?.();
        } catch (error) {
          if (NotFoundError.is(error)) missing += 1;
          else if (budget.signal.aborted) overBudget += 1;
          else failures.push(error);
        }
      },
    ).finally(() => clearTimeout(timer));

    // The first answer: everything, or what has arrived after firstAnswerMs, but at least one
    // trace (an empty graph would claim there are no calls).
    const done = all.then(() => true);
    let firstAnswer: ReturnType<typeof setTimeout> | undefined;
    let finished = await Promise.race([
      done,
      new Promise<false>(resolve => {
        firstAnswer = setTimeout(
          () => resolve(false),
          this.deps.firstAnswerMs ?? DEFAULT_FIRST_ANSWER_MS,
        );
      }),
    ]);
    clearTimeout(firstAnswer);
    const nextArrival = () =>
      new Promise<false>(resolve => {
        arrived = () => resolve(false);
      });
    while (!finished && traces.length === 0) {
      finished = await Promise.race([done, nextArrival()]);
    }
    const early = !finished;
    if (early) {
      // Aggregate a snapshot: the fetches still running keep filling the trace cache.
      const sample = [...traces];
      const pending =
        traceIds.length - sample.length - missing - failures.length;
      logger.debug(
        `Service graph of ${access.entityRef}: first answer from ${sample.length} of ${traceIds.length} sampled traces; ${pending} still loading`,
      );
      return {
        source: 'traces',
        sampledTraces: sample.length,
        pendingTraces: pending,
        edges: await edgesWithin(sample, access.scope.serviceNames, depth),
        namespaces: serviceNamespaces(sample),
      };
    }
    await all;

    const skipped = failures.length + overBudget;
    if (skipped > 0) {
      const firstFailure = failures.length
        ? `; first failure: ${failures[0]}`
        : '';
      logger.warn(
        `Service graph of ${access.entityRef}: skipped ${skipped} of ${traceIds.length} sampled traces ` +
          `(${failures.length} failed, ${overBudget} not fetched within ${timeBudgetMs} ms)${firstFailure}`,
      );
    }
    if (traces.length === 0 && skipped > 0) {
      // Nothing to aggregate: an empty graph would claim that there are no calls.
      if (failures.length > 0) throw failures[0];
      throw new UpstreamError(
        store.name,
        504,
        `fetched none of ${traceIds.length} sampled traces within ${timeBudgetMs} ms (traces.serviceGraph.sampleTimeout)`,
      );
    }
    const gone = missing ? ` (${missing} no longer in ${store.name})` : '';
    if (large) {
      logger.debug(
        `Service graph of ${access.entityRef}: left out ${large} sampled traces over ${threshold} spans (traces.largeTraces.windowThreshold)`,
      );
    }
    logger.debug(
      `Service graph of ${access.entityRef}: aggregated ${traces.length} of ${traceIds.length} sampled traces${gone}`,
    );

    return {
      source: 'traces',
      sampledTraces: traces.length,
      edges: await edgesWithin(traces, access.scope.serviceNames, depth),
      namespaces: serviceNamespaces(traces),
    };
  }
}

/**
 * The edges within `depth` hops of the entity's services, walked over every call in the sample:
 * the sampled traces pass through the entity, so further hops are the paths they took.
 */
function edgesWithin(
  traces: readonly Trace[],
  services: readonly string[],
  depth: number,
) {
  const all = aggregateTraces(traces);
  return expandHops(services, depth, async () => all);
}

/** Runs `task` over `items` with at most `limit` in flight; tasks handle their own errors. */
export async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await task(item);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker),
  );
}
