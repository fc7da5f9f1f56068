import type {
  DatabaseService,
  HttpRouterService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { LargeTraceOptions } from '../config';
import type { Redactor } from '../redaction/Redactor';
import { readEmbeddedStoreOptions } from './config';
import { EmbeddedTraceStore } from './EmbeddedTraceStore';
import { EmbeddedLogStore } from './logs/EmbeddedLogStore';
import { EmbeddedStore } from './EmbeddedStore';
import {
  createOtlpReceiver,
  OTLP_RECEIVER_PATHS,
} from './receiver/createOtlpReceiver';
import { openDatabase } from './storage/openDatabase';

/**
 * The embedded store with its OTLP receivers mounted on the plugin's router and retention
 * scheduled; answers the trace and log routes through the returned stores. Call it before the
 * plugin's JSON routes are mounted: their body parser must not read OTLP bodies first.
 */
export async function createEmbeddedStore(deps: {
  config: Config;
  database: DatabaseService;
  scheduler: SchedulerService;
  httpRouter: HttpRouterService;
  logger: LoggerService;
  redactor: Redactor;
  largeTraces: LargeTraceOptions;
}): Promise<{ traces: EmbeddedTraceStore; logs: EmbeddedLogStore }> {
  const { config, database, scheduler, httpRouter, logger } = deps;
  const options = readEmbeddedStoreOptions(config);
  const db = await openDatabase(database);
  const store = new EmbeddedStore(db, logger);
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
  return {
    traces: new EmbeddedTraceStore(db, deps.redactor, deps.largeTraces),
    logs: new EmbeddedLogStore(db),
  };
}
