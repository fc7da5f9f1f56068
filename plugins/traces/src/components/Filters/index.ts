export { TraceFiltersBar } from './TraceFiltersBar';
export type { TraceFiltersBarProps } from './TraceFiltersBar';
export * from './filterState';
export { filtersQuery, searchQuery } from './searchQuery';
