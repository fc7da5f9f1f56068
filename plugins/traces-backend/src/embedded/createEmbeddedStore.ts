import type {
  DatabaseService,
  HttpRouterService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { readEmbeddedStoreOptions } from './config';
import { EmbeddedStore } from './EmbeddedStore';
import {
  createOtlpReceiver,
  OTLP_RECEIVER_PATHS,
} from './receiver/createOtlpReceiver';
import { openDatabase } from './storage/openDatabase';

/**
 * The embedded store with its OTLP receivers mounted on the plugin's router and retention
 * scheduled. Mount it before the plugin's JSON routes: their body parser must not read OTLP
 * bodies first.
 */
export async function createEmbeddedStore(deps: {
  config: Config;
  database: DatabaseService;
  scheduler: SchedulerService;
  httpRouter: HttpRouterService;
  logger: LoggerService;
}): Promise<EmbeddedStore> {
  const { config, database, scheduler, httpRouter, logger } = deps;
  const options = readEmbeddedStoreOptions(config);
  const store = new EmbeddedStore(await openDatabase(database), logger);
  await store.scheduleRetention(scheduler, options.retention);
  for (const path of OTLP_RECEIVER_PATHS) {
    httpRouter.addAuthPolicy({ path, allow: 'unauthenticated' });
  }
  httpRouter.use(
    createOtlpReceiver({ options: options.ingest, sink: store, logger }),
  );
  logger.info(
    `Embedded trace store in use (no traces.tempo.baseUrl): OTLP/HTTP at /api/traces/v1/traces and /api/traces/v1/logs, ${
      options.ingest.token
        ? 'token required for non-loopback senders'
        : 'loopback senders only'
    }`,
  );
  return store;
}
