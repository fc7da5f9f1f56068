import type { Router } from 'express';
import type {
  HealthResponse,
  UpstreamHealth,
} from '@backstage-traces/plugin-traces-common';
import type { RouteContext } from './context';
import { openSearchHealth } from './logRoutes';

export function registerHealthRoute(router: Router, context: RouteContext) {
  // 200 whatever Tempo's state: the answer *is* the state, with the reason.
  router.get('/health', async (_req, res) => {
    const [tempo, opensearch] = await Promise.all([
      tempoHealth(context),
      openSearchHealth(context),
    ]);
    const body: HealthResponse = { tempo, opensearch };
    res.json(body);
  });
}

async function tempoHealth(context: RouteContext): Promise<UpstreamHealth> {
  const { tempo } = context;
  if (!tempo) {
    return {
      status: 'disabled',
      message:
        'Tempo is not configured: set traces.tempo.baseUrl (app-config.yaml reads it from TEMPO_URL)',
    };
  }
  const [ready, build] = await Promise.allSettled([
    tempo.ready(),
    tempo.buildInfo(),
  ]);
  const version =
    build.status === 'fulfilled' ? build.value.version : undefined;
  if (ready.status === 'rejected') {
    return {
      status: 'down',
      message: (ready.reason as Error).message,
      url: tempo.baseUrl,
    };
  }
  if (!ready.value.ready) {
    return {
      status: 'down',
      message: `Tempo is not ready: ${
        ready.value.message || 'no reason given'
      }`,
      url: tempo.baseUrl,
      ...(version && { version }),
    };
  }
  return { status: 'ok', url: tempo.baseUrl, ...(version && { version }) };
}
