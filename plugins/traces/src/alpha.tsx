import {
  ApiBlueprint,
  AppRootElementBlueprint,
  coreApis,
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  SearchFilterBlueprint,
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import {
  TRACES_SEARCH_TYPE,
  TRACES_SERVICE_NAME_ANNOTATION,
} from '@backstage-traces/plugin-traces-common';
import { TracesClient, tracesApiRef } from './api';
import { TraceIdSearchSuggestion } from './components/Search/TraceIdSearchSuggestion';
import { TracesIcon } from './components/TracesPage/TracesIcon';
import { TracePrefetch } from './components/TracePrefetch/TracePrefetch';
import {
  compareRouteRef,
  rootRouteRef,
  serviceRouteRef,
  teamRouteRef,
  traceRouteRef,
  tracesPageRouteRef,
} from './routes';

/** The traces backend client (`api:traces`). */
export const tracesApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: tracesApiRef,
      deps: { discoveryApi: coreApis.discovery, fetchApi: coreApis.fetch },
      factory: ({ discoveryApi, fetchApi }) =>
        new TracesClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The entity Traces tab (`entity-content:traces/traces`), on entities that name their
 * OpenTelemetry service. The filter can be overridden in app-config like any entity content.
 */
export const entityTracesContent = EntityContentBlueprint.make({
  name: 'traces',
  params: {
    path: '/traces',
    title: 'Traces',
    group: 'observability',
    routeRef: rootRouteRef,
    // filter-predicate paths match object keys that contain dots, such as annotation names
    filter: {
      [`metadata.annotations.${TRACES_SERVICE_NAME_ANNOTATION}`]: {
        $exists: true,
      },
    },
    loader: () => import('./components/TracesTab').then(m => <m.TracesTab />),
  },
});

/**
 * The Traces tab of Group entities (`entity-content:traces/team-traces`): the traced
 * components the team owns, directly or through child groups, with their request rate, error
 * rate and p95, and the slowest and most erroring operations across them.
 */
export const entityTeamTracesContent = EntityContentBlueprint.make({
  name: 'team-traces',
  params: {
    path: '/traces',
    title: 'Traces',
    group: 'observability',
    routeRef: teamRouteRef,
    filter: { kind: 'group' },
    loader: () => import('./components/TeamTab').then(m => <m.TeamTracesTab />),
  },
});

/**
 * Declared against observed dependencies of a System's components
 * (`entity-content:traces/system-dependencies`, on System entities).
 */
export const entitySystemDependenciesContent = EntityContentBlueprint.make({
  name: 'system-dependencies',
  params: {
    path: '/traced-dependencies',
    title: 'Traced dependencies',
    group: 'observability',
    filter: { kind: 'system' },
    loader: () =>
      import('./components/SystemDependencies').then(m => (
        <m.SystemDependencies />
      )),
  },
});

/**
 * Starts the trace request of a trace link the app is opened at while the page around the
 * trace view still loads (`app-root-element:traces/trace-prefetch`).
 */
export const tracePrefetch = AppRootElementBlueprint.make({
  name: 'trace-prefetch',
  params: { element: <TracePrefetch /> },
});

/**
 * The traces page (`page:traces`, default path `/traces`, with a nav item): trace search
 * across all services, `/traces/trace/:traceId` and `/traces/services/:serviceName`, where
 * the backend's Grafana links (`/api/traces/links/...`) land. Keep it at `/traces` or those
 * links will miss it.
 */
export const tracesPage = PageBlueprint.make({
  params: {
    path: '/traces',
    title: 'Traces',
    icon: <TracesIcon />,
    routeRef: tracesPageRouteRef,
    loader: () => import('./components/TracesPage').then(m => <m.TracesPage />),
  },
});

/** Traced services in search results (`search-result-list-item:traces`). */
export const tracesSearchResultListItem = SearchResultListItemBlueprint.make({
  params: {
    predicate: result => result.type === TRACES_SEARCH_TYPE,
    icon: <TracesIcon />,
    component: () =>
      import('./components/Search').then(m => m.TracesSearchResultListItem),
  },
});

/** "Traces" among the search page's result types. */
export const tracesSearchResultType = SearchFilterResultTypeBlueprint.make({
  name: 'traces',
  params: { value: TRACES_SEARCH_TYPE, name: 'Traces', icon: <TracesIcon /> },
});

/**
 * On the search page, offers to open a trace when the search term is a trace ID. A search
 * filter only by placement: it filters nothing.
 */
export const traceIdSearchSuggestion = SearchFilterBlueprint.make({
  name: 'trace-id',
  params: {
    component: props => <TraceIdSearchSuggestion className={props.className} />,
  },
});

/** The traces plugin for the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'traces',
  title: 'Traces',
  info: { packageJson: () => import('../package.json') },
  routes: {
    entityContent: rootRouteRef,
    page: tracesPageRouteRef,
    trace: traceRouteRef,
    compare: compareRouteRef,
    service: serviceRouteRef,
    team: teamRouteRef,
  },
  extensions: [
    tracesApi,
    entityTracesContent,
    entityTeamTracesContent,
    entitySystemDependenciesContent,
    tracesPage,
    tracePrefetch,
    tracesSearchResultListItem,
    tracesSearchResultType,
    traceIdSearchSuggestion,
  ],
});
