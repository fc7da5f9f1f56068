/*
 * `yarn bench:load`: the traces backend under load against the real Tempo of
 * ../shared/upstreams, beside the same requests sent straight to Tempo.
 *
 * Seeds Tempo with traces over OTLP/HTTP, starts the backend on Tempo (or uses a running one,
 * --backend), then for each number of concurrent clients runs every scenario — entity-scoped
 * search, unscoped search, trace by ID, tag names — through the backend and straight to Tempo
 * (the exact TraceQL and parameters the backend sends) and through a bare Node proxy (the floor
 * of any proxy here, bareProxy.ts; `--no-floor` leaves it out), and prints p50/p95, errors, 429s (the
 * designed answer beyond traces.limits.maxConcurrentRequests*, counted apart from errors),
 * the overhead the backend adds, the backend's RSS, and the CPU time per answer of the backend
 * and of Tempo (direct and through the backend): on a shared machine latencies follow the load,
 * CPU time per answer much less so.
 *
 *   yarn bench:load [--duration 30] [--rounds 3] [--warmup 3] [--clients 5,50,200]
 *                   [--scenarios search-scoped,search-unscoped,trace-by-id,tags]
 *                   [--backend http://localhost:7007 --pid N] [--port 7150]
 *                   [--tempo http://127.0.0.1:3200] [--tempo-pid N] [--otlp http://127.0.0.1:4318]
 *                   [--traces 300] [--no-floor] [--pin] [--json results.json]
 *
 * --pin: Tempo on one half of the cores, the backend, the bare proxy and autocannon on the
 * other (pinCores.ts), as when Tempo and Backstage run on machines of their own.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { guestToken, waitFor } from '../../e2e/stack';
import {
  canPin,
  CLIENT_CORES,
  pinTree,
  TEMPO_CORES,
  unpinTree,
} from './pinCores';
import { startBackend } from './backend';
import { listeningPid, processTreeCpuMs, processTreeRss } from './processTree';
import { seedTraces } from './seed';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '3' },
    clients: { type: 'string', default: '5,50,200' },
    scenarios: { type: 'string' },
    backend: { type: 'string' },
    pid: { type: 'string' },
    port: { type: 'string', default: process.env.BENCH_BACKEND_PORT ?? '7150' },
    tempo: { type: 'string', default: 'http://127.0.0.1:3200' },
    /** Tempo's process, for its CPU time; found by its port when Tempo runs on this host. */
    'tempo-pid': { type: 'string' },
    otlp: { type: 'string', default: 'http://127.0.0.1:4318' },
    traces: { type: 'string', default: '300' },
    json: { type: 'string' },
    floor: { type: 'boolean', default: true },
    pin: { type: 'boolean', default: false },
  },
  allowNegative: true,
});

const DURATION_S = Number(args.duration);
/** Tempo direct and the backend take turns this many times per scenario: load drifts. */
const ROUNDS = Math.max(1, Number(args.rounds));
const WARMUP_S = Number(args.warmup);
const CLIENTS = args.clients!.split(',').map(Number);
/** Runs of a scenario again when Tempo restarted during it (see runScenario). */
const MAX_RERUNS = 2;
/** The entity of examples/entities.yaml whose service the seeded traces carry. */
const ENTITY = 'component:default/orders-api';

interface Target {
  path: string;
  headers: Record<string, string>;
}

interface Scenario {
  name: string;
  backend: Target;
  tempo: Target;
}

interface RunResult {
  requests: number;
  p50: number;
  p95: number;
  errors: number;
  /** Error answers by HTTP status, e.g. { 502: 3 }; `timeout` and `socket` for the others. */
  errorKinds: Record<string, number>;
  tooMany: number;
  rssMaxMb?: number;
  /** CPU ms of the backend's process tree per answer, while this side ran. */
  cpuMsPerAnswer?: number;
  /** CPU ms of Tempo per answer, while this side ran. */
  tempoCpuMsPerAnswer?: number;
}

/** The processes whose CPU time and memory a run samples. */
interface Watched {
  backendPid?: number;
  tempoPid?: number;
}

async function main() {
  const tempoReady = await fetch(`${args.tempo}/ready`)
    .then(r => r.text())
    .catch(() => '');
  if (tempoReady.trim() !== 'ready') {
    console.error(
      `Tempo at ${args.tempo} is not ready: start it with ../shared/upstreams/start.sh`,
    );
    process.exit(2);
  }

  const runId = randomBytes(6).toString('hex');
  /**
   * Traces in Tempo and the scenarios over them. The shared Tempo may be restarted (and
   * emptied) by its watchdog at any time, so this runs again before each number of clients.
   */
  const prepare = async (backendUrl: string, token: string) => {
    console.error(`seeding ${args.traces} traces (bench.run=${runId}) …`);
    const seeded = await seedTraces({
      otlpUrl: args.otlp!,
      tempoUrl: args.tempo!,
      traces: Number(args.traces),
      runId,
    });
    const scenarios = await buildScenarios(
      backendUrl,
      args.tempo!,
      token,
      seeded,
    );
    return args.scenarios
      ? scenarios.filter(s => args.scenarios!.split(',').includes(s.name))
      : scenarios;
  };

  /** Looked up again before each scenario: Tempo's watchdog may have restarted it. */
  const findTempoPid = () =>
    args['tempo-pid'] ? Number(args['tempo-pid']) : localPort(args.tempo!);
  const backend: { url: string; pid?: number; stop?: () => void } = args.backend
    ? { url: args.backend, pid: args.pid ? Number(args.pid) : undefined }
    : await startBackend(Number(args.port), { TEMPO_URL: args.tempo! });
  const floor = args.floor
    ? startBareProxy(Number(args.port) + 1, args.tempo!)
    : undefined;
  if (args.pin && !canPin()) {
    console.error('--pin needs taskset and at least two cores');
    process.exit(2);
  }
  /** Again before each scenario: Tempo may have been restarted, the backend forked. */
  const pin = () => {
    if (!args.pin) return;
    pinTree(findTempoPid(), TEMPO_CORES);
    for (const pid of [backend.pid, floor?.pid, process.pid]) {
      pinTree(pid, CLIENT_CORES);
    }
  };
  try {
    pin();
    if (floor) await waitFor(`${floor.url}/ready`, 10_000);
    const token = await guestToken(backend.url);
    // A short discarded pass: JIT, module loading and first catalog reads of a fresh backend.
    if (WARMUP_S > 0) {
      for (const scenario of await prepare(backend.url, token)) {
        await measure(backend.url, scenario.backend, 5, WARMUP_S);
      }
    }
    const rows: Array<Record<string, unknown>> = [];
    const rssIdleMb = backend.pid ? processTreeRss(backend.pid) : undefined;
    for (const clients of CLIENTS) {
      const runScenario = async (scenario: Scenario) => {
        // The same requests straight to Tempo and through the backend, taking turns.
        const direct = new Sample();
        const bare = new Sample();
        const proxied = new Sample();
        const tempoPid = findTempoPid();
        pin();
        for (let round = 0; round < ROUNDS; round++) {
          const slice = DURATION_S / ROUNDS;
          await measure(args.tempo!, scenario.tempo, clients, slice, direct, {
            tempoPid,
          });
          if (floor) {
            await measure(floor.url, scenario.tempo, clients, slice, bare);
          }
          await measure(
            backend.url,
            scenario.backend,
            clients,
            slice,
            proxied,
            { backendPid: backend.pid, tempoPid },
          );
        }
        const [t, f, b] = [direct.result(), bare.result(), proxied.result()];
        const row = {
          clients,
          scenario: scenario.name,
          tempoP50: t.p50,
          tempoP95: t.p95,
          tempoErrors: t.errors,
          tempoErrorKinds: t.errorKinds,
          tempo429: t.tooMany,
          backendP50: b.p50,
          backendP95: b.p95,
          ratioP50: round(b.p50 / t.p50, 2),
          addedP50Ms: round(b.p50 - t.p50, 1),
          ...(floor && {
            bareP50: f.p50,
            bareP95: f.p95,
            bareErrors: f.errors,
            overBareP50Ms: round(b.p50 - f.p50, 1),
          }),
          backendRequests: b.requests,
          backendErrors: b.errors,
          backendErrorKinds: b.errorKinds,
          backend429: b.tooMany,
          rssMaxMb: b.rssMaxMb,
          backendCpuMs: b.cpuMsPerAnswer,
          tempoCpuMsDirect: t.tempoCpuMsPerAnswer,
          tempoCpuMsViaBackend: b.tempoCpuMsPerAnswer,
          load1: round(loadavg()[0], 2),
          ...(args.pin && { pinned: true }),
          tempoRestarted:
            direct.tempoRestarted ||
            proxied.tempoRestarted ||
            findTempoPid() !== tempoPid,
        };
        return row;
      };
      let scenarios = await prepare(backend.url, token);
      for (const name of scenarios.map(s => s.name)) {
        // A Tempo restarted by its watchdog during a scenario is empty: its searches answer
        // nothing (fast) and the backend's empty searches ask Tempo again for service names,
        // so neither side's figure is comparable. Seed again and run the scenario again.
        let attempt = 0;
        let row = await runScenario(scenarios.find(s => s.name === name)!);
        while (row.tempoRestarted && attempt++ < MAX_RERUNS) {
          console.error(
            `Tempo restarted during ${name}: seeding again, re-running`,
          );
          scenarios = await prepare(backend.url, token);
          row = await runScenario(scenarios.find(s => s.name === name)!);
        }
        rows.push(row);
        console.log(JSON.stringify(row));
      }
    }
    const rssAfterMb = backend.pid ? processTreeRss(backend.pid) : undefined;
    printTable(rows, { rssIdleMb, rssAfterMb });
    if (args.json) {
      writeFileSync(
        args.json,
        JSON.stringify(
          { rows, rssIdleMb, rssAfterMb, machine: machine() },
          null,
          2,
        ),
      );
    }
  } finally {
    if (args.pin) {
      for (const pid of [findTempoPid(), backend.pid, process.pid]) {
        unpinTree(pid);
      }
    }
    backend.stop?.();
    floor?.stop();
  }
}

/** Answers of one side of a scenario, over its rounds. */
class Sample {
  readonly latencies: number[] = [];
  readonly errorKinds: Record<string, number> = {};
  tooMany = 0;
  rssMaxMb?: number;
  /** Answers of any status, and the CPU time the watched processes spent on them. */
  answers = 0;
  cpuMs?: number;
  tempoCpuMs?: number;
  tempoRestarted = false;

  count(kind: string, n = 1) {
    this.errorKinds[kind] = (this.errorKinds[kind] ?? 0) + n;
  }

  result(): RunResult {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const errors = Object.values(this.errorKinds).reduce((a, b) => a + b, 0);
    return {
      requests: sorted.length + errors + this.tooMany,
      p50: round(percentile(sorted, 0.5), 1),
      p95: round(percentile(sorted, 0.95), 1),
      errors,
      errorKinds: this.errorKinds,
      tooMany: this.tooMany,
      rssMaxMb: this.rssMaxMb,
      cpuMsPerAnswer: perAnswer(this.cpuMs, this.answers),
      tempoCpuMsPerAnswer: this.tempoRestarted
        ? undefined
        : perAnswer(this.tempoCpuMs, this.answers),
    };
  }
}

/**
 * One autocannon run of `seconds` into `sample`: latencies of the successful answers, 429s
 * apart from errors (by status, timeouts, socket errors), the backend's RSS every 0.5 s, the
 * CPU time the backend and Tempo used meanwhile.
 */
async function measure(
  baseUrl: string,
  target: Target,
  clients: number,
  seconds: number,
  sample = new Sample(),
  watched: Watched = {},
): Promise<Sample> {
  const { backendPid, tempoPid } = watched;
  const sampleRss = () => {
    if (backendPid)
      sample.rssMaxMb = Math.max(
        sample.rssMaxMb ?? 0,
        processTreeRss(backendPid),
      );
  };
  sampleRss();
  const cpuBefore = backendPid ? processTreeCpuMs(backendPid) : 0;
  const tempoCpuBefore = tempoPid ? processTreeCpuMs(tempoPid) : 0;
  const sampler = setInterval(sampleRss, 500);
  const instance = autocannon({
    url: baseUrl + target.path,
    headers: target.headers,
    connections: clients,
    duration: seconds,
    timeout: 60,
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    sample.answers += 1;
    if (statusCode === 429) sample.tooMany += 1;
    else if (statusCode >= 400) sample.count(String(statusCode));
    else sample.latencies.push(responseTime);
  });
  const result = await instance;
  clearInterval(sampler);
  if (backendPid) {
    sample.cpuMs =
      (sample.cpuMs ?? 0) + processTreeCpuMs(backendPid) - cpuBefore;
  }
  const tempoCpu = tempoPid ? processTreeCpuMs(tempoPid) - tempoCpuBefore : 0;
  if (tempoPid && !sample.tempoRestarted) {
    // A Tempo restarted meanwhile has a new process: no figure rather than a wrong one.
    if (tempoCpu < 0 || !isAlive(tempoPid)) sample.tempoRestarted = true;
    else sample.tempoCpuMs = (sample.tempoCpuMs ?? 0) + tempoCpu;
  }
  if (result.timeouts) sample.count('timeout', result.timeouts);
  if (result.errors > result.timeouts)
    sample.count('socket', result.errors - result.timeouts);
  return sample;
}

/**
 * The scenarios, each with the request to Tempo that the backend sends for it: the search's
 * TraceQL comes from the backend's own answer (`query`), so both sides run the same query.
 */
async function buildScenarios(
  backendUrl: string,
  tempoUrl: string,
  token: string,
  seeded: { traceId: string; start: number; end: number },
): Promise<Scenario[]> {
  const auth = { Authorization: `Bearer ${token}` };
  const json = { Accept: 'application/json' };
  const range = `start=${seeded.start}&end=${seeded.end}`;
  const queryOf = async (path: string) => {
    const res = await fetch(backendUrl + path, { headers: auth });
    if (!res.ok) {
      throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    }
    return ((await res.json()) as { query: string }).query;
  };
  const scopedPath = `/api/traces/search?entityRef=${encodeURIComponent(
    ENTITY,
  )}&${range}&limit=20`;
  const unscopedPath = `/api/traces/search?q=${encodeURIComponent(
    '{ status = error }',
  )}&${range}&limit=20`;
  const tempoSearch = (q: string) =>
    `/api/search?q=${encodeURIComponent(q)}&${range}&limit=20`;
  const scenarios: Scenario[] = [
    {
      name: 'search-scoped',
      backend: { path: scopedPath, headers: auth },
      tempo: { path: tempoSearch(await queryOf(scopedPath)), headers: json },
    },
    {
      name: 'search-unscoped',
      backend: { path: unscopedPath, headers: auth },
      tempo: { path: tempoSearch(await queryOf(unscopedPath)), headers: json },
    },
    {
      name: 'trace-by-id',
      backend: {
        path: `/api/traces/traces/${
          seeded.traceId
        }?entityRef=${encodeURIComponent(ENTITY)}`,
        headers: auth,
      },
      tempo: {
        path: `/api/v2/traces/${seeded.traceId}`,
        headers: { Accept: 'application/protobuf' },
      },
    },
    {
      name: 'tags',
      backend: {
        path: `/api/traces/tags?entityRef=${encodeURIComponent(ENTITY)}`,
        headers: auth,
      },
      // What the backend sends for an entity of one service (see tagFilters.ts).
      tempo: {
        path: `/api/v2/search/tags?q=${encodeURIComponent(
          '{ resource.service.name = "orders-api" && resource.service.namespace = "shop" }',
        )}`,
        headers: json,
      },
    },
  ];
  // Each scenario must answer 200 on both sides before it is measured.
  for (const scenario of scenarios) {
    for (const [base, target] of [
      [backendUrl, scenario.backend],
      [tempoUrl, scenario.tempo],
    ] as const) {
      const res = await fetch(base + target.path, { headers: target.headers });
      const text = await res.text();
      // A search that finds nothing would measure Tempo's fastest path, not this one.
      if (!res.ok || text.includes('"traces":[]')) {
        throw new Error(
          `${scenario.name}: ${base}${target.path} answered ${
            res.status
          }: ${text.slice(0, 500)}`,
        );
      }
    }
  }
  return scenarios;
}

/** bareProxy.ts on `port`, in a process of its own (not beside autocannon's). */
function startBareProxy(port: number, tempoUrl: string) {
  const child = spawn(
    process.execPath,
    [
      new URL('./bareProxy.ts', import.meta.url).pathname,
      String(port),
      tempoUrl,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stop: () => child.kill(),
  };
}

/** The backend as `yarn start` runs it, on Tempo, on its own port; its telemetry off. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function perAnswer(ms: number | undefined, answers: number) {
  return ms === undefined || answers === 0 ? undefined : round(ms / answers, 2);
}

/** The port of a URL on this host (Tempo's CPU time can be read there), else undefined. */
function localPort(url: string): number | undefined {
  const { hostname, port, protocol } = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(hostname)) return undefined;
  const pid = listeningPid(Number(port || (protocol === 'https:' ? 443 : 80)));
  if (pid === undefined) {
    console.error(
      `cannot see Tempo's process: pass --tempo-pid for its CPU time`,
    );
  }
  return pid;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function machine() {
  return {
    cpus: cpus().length,
    model: cpus()[0]?.model,
    loadavg: loadavg().map(l => round(l, 2)),
    node: process.version,
  };
}

function kinds(errorKinds: unknown): string {
  const entries = Object.entries((errorKinds ?? {}) as Record<string, number>);
  return entries.length
    ? ` (${entries.map(([kind, n]) => `${kind}: ${n}`).join(', ')})`
    : '';
}

function printTable(
  rows: Array<Record<string, unknown>>,
  rss: { rssIdleMb?: number; rssAfterMb?: number },
) {
  const m = machine();
  console.log(
    `\n${m.cpus} × ${m.model}, Node ${
      m.node
    }, load average now ${m.loadavg.join(
      ' ',
    )}; ${DURATION_S} s per side and scenario, in ${ROUNDS} alternating rounds${
      args.pin
        ? `; pinned: Tempo on cores ${TEMPO_CORES}, backend, bare proxy and autocannon on ${CLIENT_CORES}`
        : ''
    }`,
  );
  console.log(
    '| clients | scenario | Tempo p50 / p95 ms | Tempo errors | bare proxy p50 / p95 ms | backend p50 / p95 ms | p50 ratio | added p50 ms | over bare proxy ms | backend requests | errors | 429 | RSS max MB | backend CPU ms/answer | Tempo CPU ms/answer | load1 |',
  );
  console.log(
    '| --: | --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |',
  );
  for (const r of rows) {
    console.log(
      `| ${r.clients} | ${r.scenario}${
        r.tempoRestarted ? ' (Tempo restarted: not comparable)' : ''
      } | ${r.tempoP50} / ${r.tempoP95} | ${r.tempoErrors}${kinds(
        r.tempoErrorKinds,
      )} | ${r.bareP50 === undefined ? '–' : `${r.bareP50} / ${r.bareP95}`} | ${
        r.backendP50
      } / ${r.backendP95} | ${r.ratioP50}× | ${r.addedP50Ms} | ${
        r.overBareP50Ms ?? '–'
      } | ${r.backendRequests} | ${r.backendErrors}${kinds(
        r.backendErrorKinds,
      )} | ${r.backend429} | ${r.rssMaxMb ?? '–'} | ${
        r.backendCpuMs ?? '–'
      } | ${r.tempoCpuMsDirect ?? '–'} | ${r.load1} |`,
    );
  }
  if (rss.rssIdleMb !== undefined) {
    console.log(
      `\nbackend RSS (process tree): ${rss.rssIdleMb} MB before, ${rss.rssAfterMb} MB after`,
    );
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
