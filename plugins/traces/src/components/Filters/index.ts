export { TraceFiltersBar } from './TraceFiltersBar';
export { TimeRangePicker } from './TimeRangePicker';
export type { TraceFiltersBarProps } from './TraceFiltersBar';
export * from './filterState';
export { filtersQuery, searchQuery } from './searchQuery';
