import {
  createExtensionPoint,
  type LoggerService,
  type RootConfigService,
} from '@backstage/backend-plugin-api';
import type { LogStore } from './LogStore';
import type { TraceStore } from './TraceStore';
import type { TracesRedactor } from './TracesRedactor';

/**
 * What a store factory gets from the traces plugin. A module that needs more (the database,
 * the scheduler) declares those services as its own dependencies: a module's services are the
 * traces plugin's.
 *
 * @public
 */
export interface TracesStoreFactoryContext<TStore> {
  config: RootConfigService;
  logger: LoggerService;
  /** Apply to every attribute and text of a trace before it is encoded or cached. */
  redactor: TracesRedactor;
  /** The store the plugin would use without this module (Tempo, OpenSearch), if configured. */
  getDefault(): Promise<TStore | undefined>;
}

/**
 * A trace store, or a function that makes one once the plugin's services are ready.
 *
 * @public
 */
export type TraceStoreFactory = (
  context: TracesStoreFactoryContext<TraceStore>,
) => TraceStore | Promise<TraceStore>;

/**
 * A log store, or a function that makes one once the plugin's services are ready.
 *
 * @public
 */
export type LogStoreFactory = (
  context: TracesStoreFactoryContext<LogStore>,
) => LogStore | Promise<LogStore>;

/**
 * The interface of {@link tracesStoresExtensionPoint}.
 *
 * @public
 */
export interface TracesStoresExtensionPoint {
  /**
   * Installs the store traces are read from, in place of Tempo (`traces.tempo`). At most
   * one module may set it; a second call throws.
   */
  setTraceStore(store: TraceStore | TraceStoreFactory): void;
  /**
   * Installs the store logs are read from, in place of OpenSearch (`traces.opensearch`). At
   * most one module may set it; a second call throws.
   */
  setLogStore(store: LogStore | LogStoreFactory): void;
}

/**
 * Lets a backend module install the trace store or log store of the traces plugin:
 *
 * ```ts
 * export default createBackendModule({
 *   pluginId: 'traces',
 *   moduleId: 'my-store',
 *   register(env) {
 *     env.registerInit({
 *       deps: { stores: tracesStoresExtensionPoint, database: coreServices.database },
 *       async init({ stores, database }) {
 *         stores.setTraceStore(({ redactor }) => new MyTraceStore(database, redactor));
 *       },
 *     });
 *   },
 * });
 * ```
 *
 * @public
 */
export const tracesStoresExtensionPoint =
  createExtensionPoint<TracesStoresExtensionPoint>({
    id: 'traces.stores',
  });
