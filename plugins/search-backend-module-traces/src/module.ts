import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { readScheduleConfig } from './collator/config';
import { TracesCollatorFactory } from './collator/TracesCollatorFactory';

/**
 * Search backend module that indexes traced services (document type `traces`) from the
 * traces backend, on the `search.collators.traces.schedule` schedule.
 */
export const searchModuleTracesCollator = createBackendModule({
  pluginId: 'search',
  moduleId: 'traces-collator',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        indexRegistry: searchIndexRegistryExtensionPoint,
        catalog: catalogServiceRef,
      },
      async init({
        auth,
        config,
        discovery,
        logger,
        scheduler,
        indexRegistry,
        catalog,
      }) {
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner(
            readScheduleConfig(config),
          ),
          factory: TracesCollatorFactory.fromConfig(config, {
            auth,
            discovery,
            catalog,
            logger,
          }),
        });
      },
    });
  },
});
