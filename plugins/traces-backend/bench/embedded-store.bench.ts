/*
 * The embedded store at a million spans: ingest rate over OTLP/HTTP (protobuf, 1,000-span
 * requests) into a file-backed SQLite database with the receiver's RSS, bytes on disk per span,
 * and the latency of the queries the Traces tab sends — the same queries against the real Tempo
 * in ../shared/upstreams on the same spans when it is running (--tempo).
 *
 *   yarn workspace @backstage-traces/plugin-traces-backend bench:embedded [--spans 1000000] [--tempo]
 */
import { spawn } from 'node:child_process';
import {
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  existsSync,
} from 'node:fs';
import { loadavg, tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import knexFactory from 'knex';
import { ConfigReader } from '@backstage/config';
// The repository's shared trace generator is a script, not a package.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  generateTrace,
  toOtlpRequests,
} from '../../../bench/gen-large-trace.js';
import { Redactor } from '../src/redaction/Redactor';
import { EmbeddedTraceStore } from '../src/embedded/EmbeddedTraceStore';
import { otlp } from '../src/embedded/otlp/schema';
import {
  queryTeamSeries,
  summarizeTeam,
  TEAM_QUERIES,
  teamStepSeconds,
} from '../src/team/teamMetrics';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const TOTAL_SPANS = Number(option('spans', '1000000'));
const SPANS_PER_TRACE = 1000;
const CONCURRENCY = Number(option('concurrency', '4'));
const PORT = Number(option('port', '7130'));
const RUNS = Number(option('runs', '15'));
const WITH_TEMPO = args.includes('--tempo');
const TEMPO = 'http://127.0.0.1:3200';
const TEMPO_OTLP = 'http://127.0.0.1:4318/v1/traces';

const SERVICE = 'catalog-service';
/** The generator's services (bench/gen-large-trace.js), each a component of one team. */
const SERVICE_NAMES = [
  'web-gateway',
  'storefront-bff',
  'catalog-service',
  'pricing-service',
  'inventory-service',
  'cart-service',
  'checkout-service',
  'payment-service',
  'fraud-detector',
  'shipping-service',
  'notification-worker',
  'recommendation-engine',
  'user-profile-service',
  'search-indexer',
];
/** `traces.largeTraces` defaults. */
const LARGE_TRACES = {
  windowThreshold: 50_000,
  windowSpans: 10_000,
  memoryBytes: 1536 * 2 ** 20,
  maxTraceBytes: 1024 * 2 ** 20,
};
const SEARCH = '{ span.http.request.method = "GET" }';
const RATE = '{ } | rate()';
/** The same queries as the Tempo path sends them: the scope spliced in. */
const TEMPO_SEARCH = `{ span.http.request.method = "GET" && resource.service.name = "${SERVICE}" }`;
const TEMPO_RATE = `{ resource.service.name = "${SERVICE}" } | rate()`;

function load(): string {
  return loadavg()
    .map(n => n.toFixed(1))
    .join(' / ');
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function timed(runs: number, fn: () => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
}

/** One protobuf ExportTraceServiceRequest per generated 1,000-span trace, spread over the last hour. */
function requests(nowMs: number): { bodies: Buffer[]; traceIds: string[] } {
  const traces = Math.ceil(TOTAL_SPANS / SPANS_PER_TRACE);
  const bodies: Buffer[] = [];
  const traceIds: string[] = [];
  for (let i = 0; i < traces; i++) {
    const trace = generateTrace({
      spans: SPANS_PER_TRACE,
      seed: i + 1,
      baseTimeMs: nowMs - 3_540_000 + Math.floor((i * 3_480_000) / traces),
    });
    traceIds.push(trace.traceId);
    const [json] = toOtlpRequests(trace, 64 * 1024 * 1024);
    const request = JSON.parse(json);
    for (const resourceSpans of request.resourceSpans) {
      for (const scopeSpans of resourceSpans.scopeSpans) {
        for (const span of scopeSpans.spans) {
          span.traceId = Buffer.from(span.traceId, 'hex');
          span.spanId = Buffer.from(span.spanId, 'hex');
          if (span.parentSpanId)
            span.parentSpanId = Buffer.from(span.parentSpanId, 'hex');
        }
      }
    }
    const message = otlp.ExportTraceServiceRequest.fromObject(request);
    bodies.push(
      Buffer.from(otlp.ExportTraceServiceRequest.encode(message).finish()),
    );
  }
  return { bodies, traceIds };
}

async function send(url: string, bodies: Buffer[], concurrency: number) {
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      for (let attempt = 0; ; attempt++) {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-protobuf' },
          body,
        });
        await response.arrayBuffer();
        if (response.ok) break;
        // Tempo's ingestion rate limit answers 429: wait and retry.
        if (response.status !== 429 || attempt > 50) {
          throw new Error(`${url} answered ${response.status}`);
        }
        await new Promise(resolve => setTimeout(resolve, 500));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'embedded-store-bench-'));
  const file = join(dir, 'traces.sqlite');
  const nowMs = Date.now();
  console.log(
    `machine: ${cpus().length} cores, ${Math.round(
      totalmem() / 2 ** 30,
    )} GiB, Node ${process.version}; load average ${load()}`,
  );
  let started = performance.now();
  const { bodies, traceIds } = requests(nowMs);
  const spans = bodies.length * SPANS_PER_TRACE;
  console.log(
    `generated ${spans.toLocaleString('en')} spans in ${
      bodies.length
    } protobuf requests (${(
      bodies.reduce((sum, b) => sum + b.length, 0) /
      2 ** 20
    ).toFixed(0)} MiB) in ${((performance.now() - started) / 1000).toFixed(
      1,
    )} s`,
  );

  const here = fileURLToPath(new URL('.', import.meta.url));
  const server = spawn(
    process.execPath,
    [
      ...process.execArgv,
      join(here, 'embeddedStoreServer.ts'),
      file,
      String(PORT),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on(
      'data',
      chunk => String(chunk).includes('ready') && resolve(),
    );
    server.on('exit', code => reject(new Error(`server exited with ${code}`)));
  });
  let peakRss = 0;
  const rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, rssMb(server.pid!));
  }, 200);
  started = performance.now();
  await send(
    `http://127.0.0.1:${PORT}/api/traces/v1/traces`,
    bodies,
    CONCURRENCY,
  );
  const ingestSeconds = (performance.now() - started) / 1000;
  clearInterval(rssTimer);
  server.kill();
  const bytes = ['', '-wal', '-journal']
    .map(suffix => file + suffix)
    .filter(existsSync)
    .reduce((sum, path) => sum + statSync(path).size, 0);
  console.log(
    `ingest: ${Math.round(spans / ingestSeconds).toLocaleString(
      'en',
    )} spans/s (${ingestSeconds.toFixed(
      1,
    )} s, ${CONCURRENCY} concurrent requests); receiver peak RSS ${peakRss.toFixed(
      0,
    )} MB; load average ${load()}`,
  );
  console.log(
    `on disk: ${(bytes / 2 ** 20).toFixed(0)} MiB, ${Math.round(
      bytes / spans,
    )} bytes per span`,
  );

  const db = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
  });
  const store = new EmbeddedTraceStore(
    db,
    Redactor.fromConfig(new ConfigReader({})),
    LARGE_TRACES,
  );
  const end = Math.ceil(nowMs / 1000);
  const start = end - 3600;
  const scope = { serviceNames: [SERVICE] };
  let pick = 0;
  const results = {
    search: await timed(RUNS, () =>
      store.searchTraces({ scope, query: SEARCH, start, end, limit: 20 }),
    ),
    trace: await timed(RUNS, () =>
      store.getTrace({ traceId: traceIds[(pick += 37) % traceIds.length] }),
    ),
    rate: await timed(RUNS, () =>
      store.queryMetricsRange({
        scope,
        query: RATE,
        start,
        end,
        stepSeconds: 60,
      }),
    ),
  };
  // The team view of every generated service (14 components, 4 queries over all of them).
  const team = SERVICE_NAMES.map(name => ({
    entityRef: `component:default/${name}`,
    scope: { serviceNames: [name] },
  }));
  const teamRange = { start, end };
  let teamRows = 0;
  const teamTimes = await timed(Math.min(RUNS, 5), async () => {
    const { series } = await queryTeamSeries(
      store,
      team,
      {},
      teamRange,
      x => x,
    );
    teamRows = summarizeTeam(team, series, teamRange).components.filter(
      c => c.requestRate > 0,
    ).length;
  });
  const teamScope = { serviceNames: SERVICE_NAMES };
  const perQuery: string[] = [];
  for (const [name, query] of Object.entries(TEAM_QUERIES)) {
    const times = await timed(3, () =>
      store.queryMetricsRange({
        scope: teamScope,
        query,
        ...teamRange,
        stepSeconds: teamStepSeconds(teamRange),
        exemplars: 0,
      }),
    );
    perQuery.push(`${name} ${times.p50.toFixed(0)}`);
  }
  const found = await store.searchTraces({
    scope,
    query: SEARCH,
    start,
    end,
    limit: 20,
  });
  console.log(
    `embedded store, ${spans.toLocaleString(
      'en',
    )} spans, ${RUNS} runs each; load average ${load()}`,
  );
  console.log(
    `  search ${SEARCH} in ${SERVICE} (${
      found.traces.length
    } traces): p50 ${results.search.p50.toFixed(
      0,
    )} ms, p95 ${results.search.p95.toFixed(0)} ms`,
  );
  console.log(
    `  trace by ID (1,000 spans, decoded + redacted + compact): p50 ${results.trace.p50.toFixed(
      0,
    )} ms, p95 ${results.trace.p95.toFixed(0)} ms`,
  );
  console.log(
    `  ${RATE} in ${SERVICE}, 1 h in 60 steps: p50 ${results.rate.p50.toFixed(
      0,
    )} ms, p95 ${results.rate.p95.toFixed(0)} ms`,
  );
  console.log(
    `  team view (${
      team.length
    } components, ${teamRows} with requests; 4 queries over 1 h in 30 steps): p50 ${teamTimes.p50.toFixed(
      0,
    )} ms, p95 ${teamTimes.p95.toFixed(
      0,
    )} ms (each alone, p50 ms: ${perQuery.join(', ')})`,
  );
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });

  if (WITH_TEMPO) await compareTempo(bodies, traceIds, start, end);
}

async function compareTempo(
  bodies: Buffer[],
  traceIds: string[],
  start: number,
  end: number,
) {
  const ready = await fetch(`${TEMPO}/ready`).then(
    r => r.ok,
    () => false,
  );
  if (!ready) {
    console.log(
      `Tempo: not reachable at ${TEMPO} (start ../shared/upstreams/start.sh); skipped`,
    );
    return;
  }
  const started = performance.now();
  await send(TEMPO_OTLP, bodies, 2);
  console.log(
    `Tempo: sent the same spans in ${(
      (performance.now() - started) /
      1000
    ).toFixed(1)} s; load average ${load()}`,
  );
  // Plain HTTP, as the Tempo store sends it: the latency is Tempo's.
  const get = async (
    path: string,
    params: Record<string, string>,
    accept = 'application/json',
  ) => {
    const url = new URL(TEMPO + path);
    for (const [key, value] of Object.entries(params))
      url.searchParams.set(key, value);
    const response = await fetch(url, { headers: { Accept: accept } });
    const body = Buffer.from(await response.arrayBuffer());
    if (!response.ok)
      throw new Error(`Tempo ${path}: HTTP ${response.status} ${body}`);
    return body;
  };
  const range = { start: String(start), end: String(end) };
  const search = () =>
    get('/api/search', { q: TEMPO_SEARCH, ...range, limit: '20' });
  // Wait until the search finds 20 traces: Tempo ingests asynchronously.
  for (let i = 0; i < 120; i++) {
    const found = await search().then(
      body => (JSON.parse(String(body)).traces ?? []).length,
      () => 0,
    );
    if (found >= 20) break;
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  let pick = 0;
  const results = {
    search: await timed(RUNS, search),
    trace: await timed(RUNS, () =>
      get(
        `/api/v2/traces/${traceIds[(pick += 37) % traceIds.length]}`,
        {},
        'application/protobuf',
      ),
    ),
    rate: await timed(RUNS, () =>
      get('/api/metrics/query_range', { q: TEMPO_RATE, ...range, step: '60s' }),
    ),
  };
  console.log(
    `Tempo 2.7.2, same spans, ${RUNS} runs each; load average ${load()}`,
  );
  console.log(
    `  search: p50 ${results.search.p50.toFixed(
      0,
    )} ms, p95 ${results.search.p95.toFixed(0)} ms`,
  );
  console.log(
    `  trace by ID (protobuf body only): p50 ${results.trace.p50.toFixed(
      0,
    )} ms, p95 ${results.trace.p95.toFixed(0)} ms`,
  );
  console.log(
    `  rate(): p50 ${results.rate.p50.toFixed(
      0,
    )} ms, p95 ${results.rate.p95.toFixed(0)} ms`,
  );
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
