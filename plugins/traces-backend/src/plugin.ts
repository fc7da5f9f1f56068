import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { tracesPermissions } from '@backstage-traces/plugin-traces-common';
import { readTracesOptions } from './config';
import { AccessResolver } from './service/AccessResolver';
import { createServiceGraphSource } from './graph/createServiceGraphSource';
import { createRouter } from './service/createRouter';
import { createOwnerLinksRouter } from './service/createOwnerLinksRouter';
import { readOpenSearchOptions } from './opensearch/config';
import { OpenSearchLogStore } from './opensearch/OpenSearchLogStore';
import { ServiceOwnerResolver } from './owners/ServiceOwnerResolver';
import { Redactor } from './redaction/Redactor';
import { TempoClient } from './tempo/TempoClient';
import { TraceCache } from './traces/TraceCache';
import { LargeTraceStore } from './traces/LargeTraceStore';
import { TraceLoader } from './traces/TraceLoader';
import { createEmbeddedStore } from './embedded/createEmbeddedStore';

/** The traces backend plugin, served at `/api/traces`. */
export const tracesPlugin = createBackendPlugin({
  pluginId: 'traces',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        cache: coreServices.cache,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
      },
      async init({
        config,
        logger,
        auth,
        cache,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        catalog,
        database,
        scheduler,
      }) {
        const options = readTracesOptions(config);
        if (!options.tempo) {
          await createEmbeddedStore({
            config,
            database,
            scheduler,
            httpRouter,
            logger,
          });
        }
        permissionsRegistry.addPermissions(tracesPermissions);
        const openSearch = readOpenSearchOptions(config);
        if (!openSearch) {
          logger.info(
            'OpenSearch is not configured (traces.opensearch.baseUrl); log routes answer 503 until it is',
          );
        }
        const tempo = options.tempo && new TempoClient(options.tempo, logger);
        const redactor = Redactor.fromConfig(config);
        const traces =
          tempo &&
          new TraceLoader({
            tempo,
            redactor,
            cache: options.cache && new TraceCache(cache, options.cache),
            large: {
              thresholdSpans: options.largeTraces.windowThreshold,
              store: new LargeTraceStore({
                maxBytes: options.largeTraces.memoryBytes,
                ttlMs: options.cache?.ttlMs ?? 10 * 60_000,
              }),
            },
          });

        const owners = new ServiceOwnerResolver({ catalog, auth, logger });
        httpRouter.use(
          createRouter({
            options,
            tempo,
            traces,
            serviceGraph: createServiceGraphSource({
              config,
              options,
              tempo,
              traces,
              logger,
            }),
            access: new AccessResolver({ httpAuth, catalog, permissions }),
            logs: openSearch && new OpenSearchLogStore(openSearch, logger),
            logger,
            redactor,
            owners,
          }),
        );
        httpRouter.use(
          createOwnerLinksRouter({
            httpAuth,
            owners,
            // without app.baseUrl the redirects are relative: app and backend on one origin
            appBaseUrl: config.getOptionalString('app.baseUrl') ?? '',
          }),
        );
        // Grafana links are plain browser navigations without a Backstage token; they only
        // redirect to the app, which signs the user in before showing anything.
        httpRouter.addAuthPolicy({ path: '/links', allow: 'unauthenticated' });
      },
    });
  },
});
