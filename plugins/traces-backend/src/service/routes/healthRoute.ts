import type { Router } from 'express';
import type {
  HealthResponse,
  StoreHealth,
} from '@backstage-traces/plugin-traces-common';
import type { RouteContext } from './context';
import { NO_TRACE_STORE } from './context';
import { OPENSEARCH_NOT_CONFIGURED } from './logRoutes';

/**
 * 200 whatever the stores' state: the answer *is* the state, naming the store in use, with
 * the reason when it is down or disabled.
 */
export function registerHealthRoute(router: Router, context: RouteContext) {
  router.get('/health', async (_req, res) => {
    const [traces, logs] = await Promise.all([
      context.traces?.getHealth() ?? disabled('Tempo', NO_TRACE_STORE),
      context.logs?.getHealth() ??
        disabled('OpenSearch', OPENSEARCH_NOT_CONFIGURED),
    ]);
    const body: HealthResponse = { traces, logs };
    res.json(body);
  });
}

/** The store that would answer once configured, and the setting that does it. */
function disabled(store: string, message: string): StoreHealth {
  return { store, status: 'disabled', message };
}
