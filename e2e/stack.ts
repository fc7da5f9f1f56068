/*
 * Starts what the browser tests and the browser benchmark run against: the fake Tempo with
 * generated traces, and the Backstage backend serving the production build of the app.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

export const ROOT = new URL('..', import.meta.url).pathname;
/**
 * Ports can be moved so that several checkouts run their browser tests side by side:
 * E2E_BACKEND_PORT (default 7007) and E2E_TEMPO_PORT (default 3299).
 */
const BACKEND_PORT = Number(process.env.E2E_BACKEND_PORT ?? 7007);
const DEFAULT_TEMPO_PORT = Number(process.env.E2E_TEMPO_PORT ?? 3299);
export const BACKEND_URL = `http://localhost:${BACKEND_PORT}`;
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** What Chromium needs on these machines: no sandbox as root, no GPU, no background network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Stack {
  baseUrl: string;
  traces: Array<{ traceId: string; spans: number }>;
  stop(): void;
}

async function waitFor(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  throw new Error(`${url} did not come up within ${timeoutMs / 1000} s`);
}

/** The catalog reads its file locations shortly after start; wait until it has. */
async function waitForEntity(ref: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const refresh = await fetch(`${BACKEND_URL}/api/auth/guest/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    const token = (await refresh.json()).backstageIdentity?.token;
    const entity = await fetch(
      `${BACKEND_URL}/api/catalog/entities/by-name/${ref}`,
      {
        headers: { Authorization: `Bearer ${token}` },
      },
    );
    if (entity.ok) return;
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  throw new Error(`the catalog has no ${ref} after ${timeoutMs / 1000} s`);
}

export async function startStack(options: {
  spans: number[];
  tempoPort?: number;
  build?: boolean;
  /** Extra backend environment, e.g. `APP_CONFIG_traces_largeTraces_windowThreshold`. */
  backendEnv?: Record<string, string>;
}): Promise<Stack> {
  const children: ChildProcess[] = [];
  const start = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const child = spawn('yarn', args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    children.push(child);
    return child;
  };
  const stop = () => {
    for (const child of children) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };

  try {
    if (options.build || !existsSync(`${ROOT}packages/app/dist/index.html`)) {
      execFileSync('yarn', ['workspace', 'app', 'build'], {
        cwd: ROOT,
        stdio: 'ignore',
      });
    }
    const port = options.tempoPort ?? DEFAULT_TEMPO_PORT;
    const tempo = start([
      'workspace',
      '@backstage-traces/plugin-traces-backend',
      'fake-tempo',
      '--port',
      String(port),
      '--spans',
      options.spans.join(','),
    ]);
    const traces = await new Promise<Stack['traces']>((resolve, reject) => {
      tempo.once('exit', code =>
        reject(new Error(`fake Tempo exited with ${code}`)),
      );
      createInterface({ input: tempo.stdout! }).once('line', line =>
        resolve(JSON.parse(line).traces),
      );
    });
    start(['workspace', 'backend', 'start'], {
      TEMPO_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      APP_CONFIG_backend_listen_port: String(BACKEND_PORT),
      APP_CONFIG_backend_baseUrl: BACKEND_URL,
      APP_CONFIG_app_baseUrl: BACKEND_URL,
      ...options.backendEnv,
    });
    await waitFor(`${BACKEND_URL}/.backstage/health/v1/readiness`, 240_000);
    await waitForEntity('component/default/web-gateway', 120_000);
    return { baseUrl: BACKEND_URL, traces, stop };
  } catch (error) {
    stop();
    throw error;
  }
}
