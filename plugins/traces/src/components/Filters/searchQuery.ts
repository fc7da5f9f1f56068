import { buildFilterCondition } from '@backstage-traces/plugin-traces-common';
import type { TraceFilters } from './filterState';

/** The TraceQL the filter fields stand for: `{ <conditions> }`, or `{ }` when none are set. */
export function filtersQuery(filters: TraceFilters): string {
  const condition = buildFilterCondition({
    errorsOnly: filters.errorsOnly,
    minDuration: filters.minDuration,
    maxDuration: filters.maxDuration,
    spanName: filters.spanName,
    httpRoute: filters.httpRoute,
  });
  return condition ? `{ ${condition} }` : '{ }';
}

/** The query to send: the user's own TraceQL when given, else the filter fields' query. */
export function searchQuery(filters: TraceFilters): string {
  return filters.traceql?.trim() || filtersQuery(filters);
}
