import type {
  MetricExemplar,
  MetricSeries,
} from '@backstage-traces/plugin-traces-common';

/**
 * At most `limit` exemplars per series, oldest first and spread evenly over the series' time
 * (a chart should show where its spans are, not the first few). Exemplars without a trace ID
 * are dropped: they lead nowhere. `limit` undefined keeps every exemplar.
 */
export function capExemplars<T extends Pick<MetricSeries, 'exemplars'>>(
  series: T[],
  limit: number | undefined,
): T[] {
  return series.map(one => ({
    ...one,
    exemplars: spread(
      one.exemplars
        .filter(exemplar => exemplar.traceId)
        .sort((a, b) => a.timestampMs - b.timestampMs),
      limit,
    ),
  }));
}

function spread(
  sorted: MetricExemplar[],
  limit: number | undefined,
): MetricExemplar[] {
  if (limit === undefined || sorted.length <= limit) return sorted;
  if (limit <= 0) return [];
  if (limit === 1) return [sorted[sorted.length - 1]];
  // Evenly spaced indices from the first to the last.
  const step = (sorted.length - 1) / (limit - 1);
  return Array.from({ length: limit }, (_, i) => sorted[Math.round(i * step)]);
}
