import {
  ApiBlueprint,
  coreApis,
  createFrontendPlugin,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { TRACES_SERVICE_NAME_ANNOTATION } from '@backstage-traces/plugin-traces-common';
import { TracesClient, tracesApiRef } from './api';
import { rootRouteRef } from './routes';

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

/** The traces plugin for the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'traces',
  title: 'Traces',
  info: { packageJson: () => import('../package.json') },
  routes: { entityContent: rootRouteRef },
  extensions: [tracesApi, entityTracesContent],
});
