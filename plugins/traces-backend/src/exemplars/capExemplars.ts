import {
  spreadExemplars,
  type MetricSeries,
} from '@backstage-traces/plugin-traces-common';

/**
 * Every series with at most `limit` exemplars (see `spreadExemplars`); `limit` undefined
 * keeps them all, in time order.
 */
export function capExemplars<T extends Pick<MetricSeries, 'exemplars'>>(
  series: T[],
  limit: number | undefined,
): T[] {
  return series.map(one => ({
    ...one,
    exemplars: spreadExemplars(one.exemplars, limit ?? Infinity),
  }));
}
