export { TraceList } from './TraceList';
export type { TraceListProps } from './TraceList';
export { TraceSearchResults } from './TraceSearchResults';
export type { TraceSearchResultsProps } from './TraceSearchResults';
export { QueryBox } from './QueryBox';
export * from './traceSort';
