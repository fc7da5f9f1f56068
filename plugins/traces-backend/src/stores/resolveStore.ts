import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { TracesStoreFactoryContext } from '@backstage-traces/plugin-traces-node';
import type { Redactor } from '../redaction/Redactor';

/**
 * The store in use: the one a module installed (made by its factory, which may wrap the
 * default), else the configured default, else undefined.
 */
export async function resolveStore<TStore extends object>(
  installed:
    | TStore
    | ((context: TracesStoreFactoryContext<TStore>) => TStore | Promise<TStore>)
    | undefined,
  context: { config: Config; logger: LoggerService; redactor: Redactor },
  makeDefault: () => TStore | undefined,
): Promise<TStore | undefined> {
  if (!installed) return makeDefault();
  if (typeof installed !== 'function') return installed;
  let defaultStore: TStore | undefined;
  let made = false;
  return installed({
    ...context,
    getDefault: async () => {
      if (!made) {
        defaultStore = makeDefault();
        made = true;
      }
      return defaultStore;
    },
  });
}
