import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { tracesPermissions } from '@backstage-traces/plugin-traces-common';
import {
  tracesStoresExtensionPoint,
  type LogStore,
  type LogStoreFactory,
  type TraceStore,
  type TraceStoreFactory,
} from '@backstage-traces/plugin-traces-node';
import { readTracesOptions } from './config';
import { AccessResolver } from './service/AccessResolver';
import { Exemplars } from './exemplars/Exemplars';
import { createServiceGraphSource } from './graph/createServiceGraphSource';
import { DeclaredDependencyReader } from './graph/declaredDependencies';
import { createRouter } from './service/createRouter';
import {
  ConcurrencyLimiter,
  limitConcurrency,
} from './service/ConcurrencyLimiter';
import { createOwnerLinksRouter } from './service/createOwnerLinksRouter';
import { OpenSearchLogStore } from './opensearch/OpenSearchLogStore';
import { ServiceOwnerResolver } from './owners/ServiceOwnerResolver';
import { Redactor } from './redaction/Redactor';
import { TempoTraceStore } from './tempo/TempoTraceStore';
import { resolveStore } from './stores/resolveStore';
import { createEmbeddedStore } from './embedded/createEmbeddedStore';

/** The traces backend plugin, served at `/api/traces`. */
export const tracesPlugin = createBackendPlugin({
  pluginId: 'traces',
  register(env) {
    let installedTraceStore: TraceStore | TraceStoreFactory | undefined;
    let installedLogStore: LogStore | LogStoreFactory | undefined;
    env.registerExtensionPoint(tracesStoresExtensionPoint, {
      setTraceStore(store) {
        if (installedTraceStore) {
          throw new Error(
            'A trace store is already installed for the traces plugin; install at most one',
          );
        }
        installedTraceStore = store;
      },
      setLogStore(store) {
        if (installedLogStore) {
          throw new Error(
            'A log store is already installed for the traces plugin; install at most one',
          );
        }
        installedLogStore = store;
      },
    });

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
        permissionsRegistry.addPermissions(tracesPermissions);
        const redactor = Redactor.fromConfig(config);
        const context = { config, logger, redactor };
        // Without Tempo (and without a module's store) traces are kept in the plugin's
        // own database, received over OTLP: what a fresh `yarn start` uses.
        const embedded =
          options.tempo || installedTraceStore
            ? undefined
            : await createEmbeddedStore({
                config,
                database,
                scheduler,
                httpRouter,
                logger,
                redactor,
                largeTraces: options.largeTraces,
              });

        const traces = await resolveStore(
          installedTraceStore,
          context,
          () =>
            TempoTraceStore.fromConfig(config, { logger, cache, redactor }) ??
            embedded?.traces,
        );
        const logs = await resolveStore(
          installedLogStore,
          context,
          () => OpenSearchLogStore.fromConfig(config, logger) ?? embedded?.logs,
        );
        if (traces) {
          logger.info(`Traces are read from ${traces.name}`);
        } else {
          logger.warn(
            'Tempo is not configured (traces.tempo.baseUrl); trace routes answer 503 until it is',
          );
        }
        if (logs) {
          logger.info(`Logs of traces are read from ${logs.name}`);
        } else {
          logger.info(
            'OpenSearch is not configured (traces.opensearch.baseUrl); log routes answer 503 until it is',
          );
        }

        const owners = new ServiceOwnerResolver({ catalog, auth, logger });
        httpRouter.use(
          createRouter({
            options,
            traces,
            exemplars: Exemplars.fromConfig(config, logger),
            serviceGraph: createServiceGraphSource({
              config,
              options,
              traces,
              logger,
            }),
            access: new AccessResolver({
              httpAuth,
              catalog,
              permissions,
              cacheTtlMs: options.limits.accessCacheTtlMs,
            }),
            upstreamSlots: limitConcurrency(
              new ConcurrencyLimiter(options.limits),
              httpAuth,
            ),
            logs,
            logger,
            redactor,
            owners,
            declared: new DeclaredDependencyReader({
              catalog,
              cacheTtlMs: options.limits.accessCacheTtlMs,
            }),
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
