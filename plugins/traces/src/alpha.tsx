import {
  ApiBlueprint,
  coreApis,
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { TRACES_SERVICE_NAME_ANNOTATION } from '@backstage-traces/plugin-traces-common';
import { TracesClient, tracesApiRef } from './api';
import { TracesIcon } from './components/TracesPage/TracesIcon';
import {
  rootRouteRef,
  serviceRouteRef,
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

/** The traces plugin for the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'traces',
  title: 'Traces',
  info: { packageJson: () => import('../package.json') },
  routes: {
    entityContent: rootRouteRef,
    page: tracesPageRouteRef,
    trace: traceRouteRef,
    service: serviceRouteRef,
  },
  extensions: [tracesApi, entityTracesContent, tracesPage],
});
