import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { coreApis } from '@backstage/frontend-plugin-api';
import {
  createSearchResultListItemExtension,
  type SearchResultListItemExtensionProps,
} from '@backstage/plugin-search-react';
import type { TracesSearchResultListItemProps } from './components/Search';
import { TRACES_SEARCH_TYPE } from '@backstage-traces/plugin-traces-common';
import { TracesClient, tracesApiRef } from './api';
import {
  compareRouteRef,
  rootRouteRef,
  serviceRouteRef,
  teamRouteRef,
  traceRouteRef,
  tracesPageRouteRef,
} from './routes';

/** The traces plugin for apps on the legacy frontend system. */
export const tracesPlugin = createPlugin({
  id: 'traces',
  apis: [
    createApiFactory({
      api: tracesApiRef,
      deps: { discoveryApi: coreApis.discovery, fetchApi: coreApis.fetch },
      factory: ({ discoveryApi, fetchApi }) =>
        new TracesClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    entityContent: rootRouteRef,
    page: tracesPageRouteRef,
    trace: traceRouteRef,
    compare: compareRouteRef,
    service: serviceRouteRef,
    team: teamRouteRef,
  },
});

/**
 * The entity Traces tab for legacy apps; mount it in an `EntityLayout.Route` with
 * `if={isTracesAvailable}`.
 */
export const EntityTracesContent: () => JSX.Element = tracesPlugin.provide(
  createRoutableExtension({
    name: 'EntityTracesContent',
    component: () => import('./components/TracesTab').then(m => m.TracesTab),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The Traces tab of Group entities for legacy apps: mount it in an `EntityLayout.Route`
 * of the group page (`path="/traces"`).
 */
export const EntityTeamTracesContent: () => JSX.Element = tracesPlugin.provide(
  createRoutableExtension({
    name: 'EntityTeamTracesContent',
    component: () => import('./components/TeamTab').then(m => m.TeamTracesTab),
    mountPoint: teamRouteRef,
  }),
);

/**
 * Declared against observed dependencies of a System's components, for legacy apps: mount it
 * in an `EntityLayout.Route` of the system entity page (`path="/traced-dependencies"`).
 */
export const EntitySystemDependenciesContent: () => JSX.Element =
  tracesPlugin.provide(
    createComponentExtension({
      name: 'EntitySystemDependenciesContent',
      component: {
        lazy: () =>
          import('./components/SystemDependencies').then(
            m => m.SystemDependencies,
          ),
      },
    }),
  );

/**
 * The traces page for legacy apps: mount it with `<Route path="/traces" element={<TracesPage />} />`
 * (keep `/traces`: the backend's Grafana links redirect there) and add a `SidebarItem` to it.
 */
export const TracesPage: () => JSX.Element = tracesPlugin.provide(
  createRoutableExtension({
    name: 'TracesPage',
    component: () =>
      import('./components/TracesPage').then(m => m.LegacyTracesPage),
    mountPoint: tracesPageRouteRef,
  }),
);

/**
 * Traced services in the search results of legacy apps: add
 * `<TracesSearchResultListItem />` to the `SearchResult` of the search page.
 */
export const TracesSearchResultListItem: (
  props: SearchResultListItemExtensionProps<TracesSearchResultListItemProps>,
) => JSX.Element | null = tracesPlugin.provide(
  createSearchResultListItemExtension({
    name: 'TracesSearchResultListItem',
    component: () =>
      import('./components/Search').then(m => m.TracesSearchResultListItem),
    predicate: result => result.type === TRACES_SEARCH_TYPE,
  }),
);
