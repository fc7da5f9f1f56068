import { useMemo, useState } from 'react';
import {
  parseFilters,
  resolveTimeRange,
  TraceFilters,
  writeFilters,
} from '../Filters';
import { parseSort, serializeSort, TraceSort } from '../TraceList';
import { useQuery } from './useTraceUrlState';

export const VIEW_PARAM = 'view';
export const SORT_PARAM = 'sort';

export type TraceExplorerView = 'traces' | 'dependencies';

/**
 * The trace search as URL state: filters, sort and view, plus the resolved time range.
 * Relative ranges ("last hour") are resolved when the filters change or on refresh, not on
 * every render, so the queries keep stable keys.
 */
export function useTraceSearchUrlState() {
  const { search, update } = useQuery();
  const params = useMemo(() => new URLSearchParams(search), [search]);
  const filters = useMemo(() => parseFilters(params), [params]);
  const sort = parseSort(params.get(SORT_PARAM));
  const view: TraceExplorerView =
    params.get(VIEW_PARAM) === 'dependencies' ? 'dependencies' : 'traces';

  const [refreshes, setRefreshes] = useState(0);
  const refresh = () => setRefreshes(n => n + 1);
  const filtersKey = writeFilters(new URLSearchParams(), filters).toString();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const nowMs = useMemo(() => Date.now(), [filtersKey, refreshes]);
  const range = useMemo(
    () => resolveTimeRange(filters.timeRange, nowMs),
    [filters.timeRange, nowMs],
  );

  return {
    filters,
    sort,
    view,
    range,
    nowMs,
    refreshes,
    refresh,
    setFilters: (next: TraceFilters) => update(p => writeFilters(p, next)),
    setSort: (next: TraceSort) =>
      update(p => {
        const value = serializeSort(next);
        if (value) p.set(SORT_PARAM, value);
        else p.delete(SORT_PARAM);
        return p;
      }, true),
    setView: (next: TraceExplorerView) =>
      update(p => {
        if (next === 'traces') p.delete(VIEW_PARAM);
        else p.set(VIEW_PARAM, next);
        return p;
      }),
  };
}
