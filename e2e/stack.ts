/*
 * Starts what the browser tests and the browser benchmark run against: the Backstage backend
 * serving the production build of the app, with either the fake Tempo and its generated traces
 * behind it (`startStack`), or, as `yarn start` does, the embedded store and the demo workload
 * (`startDemoStack`).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type Page } from 'playwright-core';
import { prepareProductionBackend } from './productionBackend';

export const ROOT = new URL('..', import.meta.url).pathname;
/**
 * Ports can be moved so that several checkouts run their browser tests side by side:
 * E2E_BACKEND_PORT (default 7007) and E2E_TEMPO_PORT (default 3299).
 */
const BACKEND_PORT = Number(process.env.E2E_BACKEND_PORT ?? 7007);
const DEFAULT_TEMPO_PORT = Number(process.env.E2E_TEMPO_PORT ?? 3299);
/** First of the demo workload's four ports (E2E_DEMO_PORT, default 7020). */
const DEMO_PORT = Number(process.env.E2E_DEMO_PORT ?? 7020);
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

/** A new page, signed in as the development guest, on the catalog. */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  viewport = { width: 1600, height: 1000 },
): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await page.goto(baseUrl);
  await page.getByRole('button', { name: /enter/i }).click({ timeout: 60_000 });
  await page
    .getByRole('link', { name: 'Catalog' })
    .first()
    .waitFor({ timeout: 60_000 });
  return page;
}

/** Debian's Chromium through playwright-core (Playwright cannot download browsers here). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface Stack {
  baseUrl: string;
  traces: Array<{ traceId: string; spans: number }>;
  stop(): void;
}

export async function waitFor(url: string, timeoutMs: number) {
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

/** A development guest's Backstage token (the guest provider of app-config.yaml). */
export async function guestToken(baseUrl = BACKEND_URL): Promise<string> {
  const refresh = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  const token = (await refresh.json()).backstageIdentity?.token;
  if (!token) throw new Error(`no guest token from ${baseUrl}`);
  return token;
}

/** The catalog reads its file locations shortly after start; wait until it has. */
export async function waitForEntity(
  ref: string,
  timeoutMs: number,
  baseUrl = BACKEND_URL,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const entity = await fetch(
      `${baseUrl}/api/catalog/entities/by-name/${ref}`,
      {
        headers: { Authorization: `Bearer ${await guestToken(baseUrl)}` },
      },
    );
    if (entity.ok) return;
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  throw new Error(`the catalog has no ${ref} after ${timeoutMs / 1000} s`);
}

/** Child process groups started for one stack, stopped together. */
function processGroup() {
  const children: ChildProcess[] = [];
  return {
    start(
      command: string,
      args: string[],
      env: NodeJS.ProcessEnv = {},
      cwd = ROOT,
    ) {
      const child = spawn(command, args, {
        cwd,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'inherit'],
        detached: true,
      });
      children.push(child);
      return child;
    },
    stop() {
      for (const child of children) {
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          // already gone
        }
      }
    },
  };
}

/** Builds the app when asked to or when there is no build yet. */
function buildApp(build: boolean | undefined) {
  if (build || !existsSync(`${ROOT}packages/app/dist/index.html`)) {
    execFileSync('yarn', ['workspace', 'app', 'build'], {
      cwd: ROOT,
      stdio: 'ignore',
    });
  }
}

/**
 * The backend as `yarn start` runs it (with its OpenTelemetry --require), on the test port;
 * `production`: the production bundle as the Docker image runs it (productionBackend.ts).
 */
async function startBackend(
  group: ReturnType<typeof processGroup>,
  env: Record<string, string>,
  production = false,
) {
  const common = {
    LOG_LEVEL: 'warn',
    APP_CONFIG_backend_listen_port: String(BACKEND_PORT),
    APP_CONFIG_backend_baseUrl: BACKEND_URL,
    APP_CONFIG_app_baseUrl: BACKEND_URL,
    ...env,
  };
  if (production) {
    const built = prepareProductionBackend(ROOT);
    group.start(
      process.execPath,
      built.args,
      { ...common, ...built.env },
      built.cwd,
    );
  } else {
    group.start('yarn', ['workspace', 'backend', 'start'], common);
  }
  await waitFor(`${BACKEND_URL}/.backstage/health/v1/readiness`, 240_000);
}

export async function startStack(options: {
  spans: number[];
  tempoPort?: number;
  build?: boolean;
  /** Extra backend environment, e.g. `APP_CONFIG_traces_largeTraces_windowThreshold`. */
  backendEnv?: Record<string, string>;
  /** The production bundle instead of the development backend (`yarn start`). */
  production?: boolean;
  /** A running (real) Tempo that already holds these traces, instead of the fake one. */
  tempo?: { url: string; traces: Stack['traces'] };
}): Promise<Stack> {
  const group = processGroup();
  try {
    buildApp(options.build);
    if (options.tempo) {
      await startBackend(
        group,
        { TEMPO_URL: options.tempo.url, ...options.backendEnv },
        options.production,
      );
      await waitForEntity('component/default/web-gateway', 120_000);
      return {
        baseUrl: BACKEND_URL,
        traces: options.tempo.traces,
        stop: group.stop,
      };
    }
    const port = options.tempoPort ?? DEFAULT_TEMPO_PORT;
    const tempo = group.start('yarn', [
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
    await startBackend(
      group,
      { TEMPO_URL: `http://127.0.0.1:${port}`, ...options.backendEnv },
      options.production,
    );
    await waitForEntity('component/default/web-gateway', 120_000);
    return { baseUrl: BACKEND_URL, traces, stop: group.stop };
  } catch (error) {
    group.stop();
    throw error;
  }
}

/**
 * The development default of the README's `yarn start`: no Tempo configured, so the backend
 * keeps traces in its embedded store, and the demo workload (examples/demo-workload) sends its
 * traces and logs there, as does the backend itself. `env` goes to both, e.g. TRACE_ENVIRONMENT.
 */
export async function startDemoStack(options: {
  build?: boolean;
  env?: Record<string, string>;
}): Promise<Omit<Stack, 'traces'>> {
  const group = processGroup();
  try {
    buildApp(options.build);
    const env = {
      APP_CONFIG_backend_listen_port: String(BACKEND_PORT),
      ...options.env,
    };
    await startBackend(group, env);
    const demo = group.start('node', ['examples/demo-workload/src/start.js'], {
      ...env,
      DEMO_PORT: String(DEMO_PORT),
    });
    demo.stdout!.resume();
    await waitForEntity('component/default/frontend', 120_000);
    return { baseUrl: BACKEND_URL, stop: group.stop };
  } catch (error) {
    group.stop();
    throw error;
  }
}
