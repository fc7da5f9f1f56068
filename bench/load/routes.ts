/*
 * `yarn bench:routes`: every read route of the traces backend at a few concurrent clients,
 * against the real Tempo and Prometheus of ../shared/upstreams: p50/p95 and the CPU time per
 * answer of the backend's process tree. Where `bench:load` sets the backend beside Tempo
 * direct, this one finds the routes whose own cost is out of line (a catalog round trip per
 * request, say).
 *
 *   yarn bench:routes [--clients 5] [--duration 10] [--routes search,tags,…]
 *                     [--backend http://localhost:7007] [--port 7151]
 *                     [--tempo http://127.0.0.1:3200] [--prometheus http://127.0.0.1:9090]
 *                     [--otlp http://127.0.0.1:4318]
 *
 * Without --backend it starts the development backend on Tempo and Prometheus; a running
 * backend is measured as it is configured (its process found by its port).
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { guestToken } from '../../e2e/stack';
import { startBackend } from './backend';
import { listeningPid, processTreeCpuMs } from './processTree';
import { seedTraces } from './seed';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '5' },
    duration: { type: 'string', default: '10' },
    routes: { type: 'string' },
    backend: { type: 'string' },
    port: { type: 'string', default: '7151' },
    tempo: { type: 'string', default: 'http://127.0.0.1:3200' },
    prometheus: { type: 'string', default: 'http://127.0.0.1:9090' },
    otlp: { type: 'string', default: 'http://127.0.0.1:4318' },
  },
});

const ENTITY = encodeURIComponent('component:default/orders-api');
const GROUP = encodeURIComponent('group:default/shop-team');
const WARMUP_S = 2;

/** Each read route the Traces tab, the team page and Grafana's links use. */
function routes(seeded: { traceId: string; start: number; end: number }) {
  const range = `start=${seeded.start}&end=${seeded.end}`;
  const rate = encodeURIComponent('{ } | rate() by (span.http.route)');
  return {
    search: `/search?entityRef=${ENTITY}&limit=20&${range}`,
    trace: `/traces/${seeded.traceId}?entityRef=${ENTITY}`,
    tags: `/tags?entityRef=${ENTITY}`,
    'tag-values': `/tags/span.http.route/values?entityRef=${ENTITY}`,
    'metrics-range': `/metrics/query_range?entityRef=${ENTITY}&q=${rate}&${range}`,
    'metrics-instant': `/metrics/query?entityRef=${ENTITY}&q=${rate}&${range}`,
    'service-graph': `/service-graph?entityRef=${ENTITY}&depth=2&${range}`,
    team: `/team?entityRef=${GROUP}&${range}`,
    owners: '/services/orders-api/owners',
    health: '/health',
  } as Record<string, string>;
}

function run(url: string, token: string, connections: number, seconds: number) {
  return new Promise<autocannon.Result>((resolve, reject) =>
    autocannon(
      {
        url,
        connections,
        duration: seconds,
        headers: { Authorization: `Bearer ${token}` },
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    ),
  );
}

async function main() {
  const clients = Number(args.clients);
  const seconds = Number(args.duration);
  const backend = args.backend
    ? { url: args.backend, stop: () => undefined }
    : await startBackend(Number(args.port), {
        TEMPO_URL: args.tempo!,
        APP_CONFIG_traces_prometheus_baseUrl: args.prometheus!,
      });
  try {
    const pid = listeningPid(Number(new URL(backend.url).port));
    if (!pid) throw new Error(`nothing of this host listens at ${backend.url}`);
    const seeded = await seedTraces({
      otlpUrl: args.otlp!,
      tempoUrl: args.tempo!,
      traces: 100,
      runId: randomBytes(6).toString('hex'),
    });
    const token = await guestToken(backend.url);
    const all = routes(seeded);
    const chosen = args.routes ? args.routes.split(',') : Object.keys(all);
    const rows: string[] = [];
    for (const name of chosen) {
      const path = all[name];
      if (!path) throw new Error(`unknown route ${name}`);
      const url = `${backend.url}/api/traces${path}`;
      // Each route must answer 200 before it is measured.
      const first = await fetch(url, {
        headers: { Authorization: `Bearer ${token}` },
      });
      const body = await first.text();
      if (first.status !== 200) {
        throw new Error(
          `${name} answered ${first.status}: ${body.slice(0, 300)}`,
        );
      }
      await run(url, token, clients, WARMUP_S);
      const cpu0 = processTreeCpuMs(pid);
      const result = await run(url, token, clients, seconds);
      const cpuMs = processTreeCpuMs(pid) - cpu0;
      const answers = result.requests.total;
      const row = {
        route: name,
        bytes: body.length,
        p50: result.latency.p50,
        p95: result.latency.p97_5,
        answers,
        non2xx: result.non2xx,
        errors: result.errors,
        cpuMsPerAnswer: answers ? Math.round((cpuMs / answers) * 100) / 100 : 0,
        load1: Math.round(loadavg()[0] * 100) / 100,
      };
      console.log(JSON.stringify(row));
      rows.push(
        `| ${name} | ${row.bytes} | ${row.p50} / ${row.p95} | ${answers} | ${row.non2xx} | ${row.errors} | ${row.cpuMsPerAnswer} | ${row.load1} |`,
      );
    }
    console.log(
      `\n${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${
        process.version
      }; ${clients} clients, ${seconds} s per route`,
    );
    console.log(
      '| route | answer bytes | p50 / p95 ms | answers | non-2xx | errors | backend CPU ms/answer | load1 |',
    );
    console.log('| --- | --: | --: | --: | --: | --: | --: | --: |');
    for (const row of rows) console.log(row);
  } finally {
    backend.stop();
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
