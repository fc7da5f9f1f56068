/**
 * Distributed tracing for Backstage entities: trace search, RED summary, dependency graph and
 * trace view over Grafana Tempo, with logs from OpenSearch.
 *
 * This entry point is for apps on the legacy frontend system; new-frontend-system apps use
 * the default export of `@backstage-traces/plugin-traces/alpha`.
 *
 * @packageDocumentation
 */
export {
  tracesPlugin,
  EntityTracesContent,
  EntityTeamTracesContent,
  EntitySystemDependenciesContent,
  TracesPage,
  TracesSearchResultListItem,
} from './plugin';
export { TraceIdSearchSuggestion } from './components/Search/TraceIdSearchSuggestion';
export type { TracesSearchResultListItemProps } from './components/Search';
export { TracesIcon } from './components/TracesPage/TracesIcon';
export { TracePrefetch } from './components/TracePrefetch/TracePrefetch';
export {
  rootRouteRef as tracesRouteRef,
  tracesPageRouteRef,
  traceRouteRef,
  compareRouteRef,
  serviceRouteRef,
  teamRouteRef,
} from './routes';
export { tracesApiRef, TracesClient } from './api';
export type {
  TracesApi,
  TimeRange,
  SearchTracesRequest,
  GetTraceRequest,
  GetTraceSubtreeRequest,
  GetLogsRequest,
  MetricsRequest,
  TagValuesRequest,
} from './api';
export {
  isTracesAvailable,
  TRACES_SERVICE_NAME_ANNOTATION,
  TRACES_SERVICE_NAMESPACE_ANNOTATION,
  TRACES_TEMPO_TENANT_ANNOTATION,
} from '@backstage-traces/plugin-traces-common';
export type {
  Trace,
  Span,
  TraceSummary,
  SearchResponse,
  ServiceGraphResponse,
  TeamTracesResponse,
  DependencyComparison,
  EntityDependency,
  DependencyState,
} from '@backstage-traces/plugin-traces-common';
