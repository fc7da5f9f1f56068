export { TraceExplorer } from './TraceExplorer';
export type { TraceExplorerProps } from './TraceExplorer';
export { TracesBackendGate } from './TracesBackendGate';
export { UrlTraceView } from './UrlTraceView';
export type { UrlTraceViewProps } from './UrlTraceView';
export {
  useTraceUrlState,
  useQuery,
  TRACE_ID_PARAM,
  SPAN_ID_PARAM,
} from './useTraceUrlState';
export type { TraceUrlState, UpdateQuery } from './useTraceUrlState';
export {
  useTraceSearchUrlState,
  VIEW_PARAM,
  SORT_PARAM,
} from './useTraceSearchUrlState';
export type { TraceExplorerView } from './useTraceSearchUrlState';
export { TraceIdLookup } from './TraceIdLookup';
export { DependenciesView } from './DependenciesView';
