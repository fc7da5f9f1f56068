import type { MetricExemplar } from './types';

/**
 * At most `limit` exemplars, oldest first, spread evenly from the first to the last (a chart
 * should show where its spans are, not the first few). Exemplars without a trace ID are
 * dropped: they lead nowhere. The backend caps each series with it, the RED charts each chart.
 *
 * @public
 */
export function spreadExemplars<T extends MetricExemplar>(
  exemplars: readonly T[],
  limit: number,
): T[] {
  const sorted = exemplars
    .filter(exemplar => exemplar.traceId)
    .sort((a, b) => a.timestampMs - b.timestampMs);
  if (sorted.length <= limit) return sorted;
  if (limit <= 0) return [];
  if (limit === 1) return [sorted[sorted.length - 1]];
  const step = (sorted.length - 1) / (limit - 1);
  return Array.from({ length: limit }, (_, i) => sorted[Math.round(i * step)]);
}
