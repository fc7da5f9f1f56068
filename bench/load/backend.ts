import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor, waitForEntity } from '../../e2e/stack';

const ROOT = new URL('../..', import.meta.url).pathname;

/**
 * The development backend of `yarn start` on `port` (its own telemetry off, logging at warn),
 * with `env` on top (TEMPO_URL, APP_CONFIG_…), once it is ready and the catalog holds the
 * example entities. `stop` ends its whole process group.
 */
export async function startBackend(
  port: number,
  env: Record<string, string>,
): Promise<{ url: string; pid: number; stop: () => void }> {
  const url = `http://localhost:${port}`;
  console.error(`starting the backend on ${url} …`);
  const child: ChildProcess = spawn('yarn', ['workspace', 'backend', 'start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      OTEL_SDK_DISABLED: 'true',
      APP_CONFIG_backend_listen_port: String(port),
      APP_CONFIG_backend_baseUrl: url,
      APP_CONFIG_app_baseUrl: url,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const stop = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  try {
    await waitFor(`${url}/.backstage/health/v1/readiness`, 300_000);
    await waitForEntity('component/default/orders-api', 120_000, url);
  } catch (error) {
    stop();
    throw error;
  }
  return { url, pid: child.pid!, stop };
}
