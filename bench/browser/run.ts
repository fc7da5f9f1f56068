/*
 * Browser benchmark of the trace view: starts the fake Tempo with generated traces, the
 * Backstage backend serving the production build of the app, and headless Chromium (Debian's
 * `chromium`; Playwright cannot download browsers here), then prints one table row per size.
 *
 * Run from the repository root: `yarn bench:browser [sizes...]` (default 10000 50000 100000).
 * Builds packages/app first when packages/app/dist is missing (`--build` forces a rebuild).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { measureWaterfall, type WaterfallMeasurement } from './measureWaterfall';

const ROOT = new URL('../..', import.meta.url).pathname;
const TEMPO_PORT = 3299;
const BACKEND = 'http://localhost:7007';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The flags this machine needs: no sandbox as root, no GPU, no background network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const children: ChildProcess[] = [];

function start(command: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  return child;
}

function stopAll() {
  for (const child of children) {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  }
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

async function main() {
  const args = process.argv.slice(2);
  const sizes = args.filter(a => /^\d+$/.test(a));
  const spans = sizes.length ? sizes : ['10000', '50000', '100000'];

  if (args.includes('--build') || !existsSync(`${ROOT}packages/app/dist/index.html`)) {
    console.error('Building the app (production bundle)…');
    execFileSync('yarn', ['workspace', 'app', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }

  const tempo = start('yarn', ['workspace', '@internal/plugin-traces-backend', 'fake-tempo', '--port', String(TEMPO_PORT), '--spans', spans.join(',')]);
  const traces = await new Promise<Array<{ traceId: string; spans: number }>>((resolve, reject) => {
    tempo.once('exit', code => reject(new Error(`fake Tempo exited with ${code}`)));
    createInterface({ input: tempo.stdout! }).once('line', line => resolve(JSON.parse(line).traces));
  });

  start('yarn', ['workspace', 'backend', 'start'], {
    TEMPO_URL: `http://127.0.0.1:${TEMPO_PORT}`,
    LOG_LEVEL: 'warn',
  });
  await waitFor(`${BACKEND}/.backstage/health/v1/readiness`, 180_000);
  // The catalog reads its file locations shortly after start.
  await waitFor(`${BACKEND}/api/catalog/entities/by-name/component/default/web-gateway`, 60_000).catch(() => {});

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const results: WaterfallMeasurement[] = [];
  try {
    for (const trace of traces) {
      results.push(
        await measureWaterfall(browser, {
          baseUrl: BACKEND,
          entityPath: '/catalog/default/component/web-gateway',
          traceId: trace.traceId,
          spans: trace.spans,
        }),
      );
    }
  } finally {
    await browser.close();
  }

  const version = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim();
  console.log(`${version}, headless, viewport 1600x1000; ${200} scroll steps\n`);
  const header = ['spans', 'trace request ms', 'rows visible after data ms', 'request to rows ms', 'scroll frame median ms', 'scroll frame p95 ms', 'collapse ms', 'expand ms', 'heap after scroll MB', 'rows in DOM'];
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
  for (const r of results) {
    console.log(
      `| ${[
        r.spans.toLocaleString('en-US'),
        r.dataMs.toFixed(0),
        r.rowsVisibleMs.toFixed(0),
        r.requestToRowsMs.toFixed(0),
        r.scrollMedianMs.toFixed(1),
        r.scrollP95Ms.toFixed(1),
        r.collapseMs.toFixed(0),
        r.expandMs.toFixed(0),
        r.heapMb.toFixed(0),
        r.rowsInDom,
      ].join(' | ')} |`,
    );
  }
}

main()
  .catch(error => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(stopAll);
