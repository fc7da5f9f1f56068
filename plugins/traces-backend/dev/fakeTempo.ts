/*
 * A stand-in for Grafana Tempo's HTTP API, for local development, browser tests and the
 * browser benchmark on machines without Tempo. It answers with the real Tempo 2.7.2 responses
 * in src/__fixtures__/tempo, plus large generated traces (the shape the large-trace goals were
 * measured with) served as Tempo serves them: protobuf for `Accept: application/protobuf`,
 * Tempo's JSON otherwise, and listed by /api/search.
 *
 * Recorded answers are moved in time: the recorded traces to ten minutes before the start, the
 * recorded RED metrics to the end of the range asked for. Search answers what was asked for:
 * the traces of the services named in the query's `resource.service.name` conditions that
 * started within `start`..`end`, at most `limit`.
 *
 * Run (after `source .ci/bootstrap.sh`):
 *   yarn workspace @backstage-traces/plugin-traces-backend fake-tempo [--port 3200] [--spans 1000,10000,100000]
 * then start Backstage with TEMPO_URL=http://localhost:3200.
 * It prints one JSON line when ready: { port, traces: [{ traceId, spans }] }.
 */
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeTraceByIdResponseParts } from '../src/__testUtils__/tempoProto';
import {
  otlpRequestsOfGeneratedTrace,
  tempoResourceSpansOf,
} from '../bench/tempoJsonOfGeneratedTrace';

const FIXTURES = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'src',
  '__fixtures__',
  'tempo',
);

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
}

const port = Number(argument('port', '3200'));
const sizes = argument('spans', '1000,10000,100000')
  .split(',')
  .filter(Boolean)
  .map(Number);

interface Served {
  traceId: string;
  spans: number;
  /** Tempo's JSON; absent for traces too large for one JSON string (protobuf only). */
  json?: string;
  protobuf: Uint8Array;
  summary: object;
}

/** Above this size only protobuf is served: Tempo's JSON would pass V8's string limit. */
const MAX_JSON_SPANS = 200_000;

/**
 * Generated traces, started a few minutes ago so that they fall in the default range. Built
 * one export request at a time, so a million spans stay within a few GB.
 */
function generate(spans: number, seed: number): Served {
  const requests = otlpRequestsOfGeneratedTrace(
    spans,
    seed,
    Date.now() - 5 * 60_000,
  );
  const hex = (b64: string) => Buffer.from(b64, 'base64').toString('hex');
  const stats: Record<string, { spanCount: number; errorCount?: number }> = {};
  const keptForJson: any[] = [];
  const parts: Uint8Array[] = [];
  let root: { span: any; service: string } | undefined;
  let end = 0n;
  for (let i = 0; i < requests.length; i++) {
    const resourceSpans = tempoResourceSpansOf(requests[i]);
    requests[i] = '';
    for (const batch of resourceSpans) {
      const service = serviceOf(batch);
      for (const scope of batch.scopeSpans) {
        for (const span of scope.spans) {
          if (!root || (!span.parentSpanId && root.span.parentSpanId))
            root = { span, service };
          const spanEnd = BigInt(span.endTimeUnixNano);
          if (spanEnd > end) end = spanEnd;
          const entry = (stats[service] ??= { spanCount: 0 });
          entry.spanCount += 1;
          if (span.status?.code === 'STATUS_CODE_ERROR')
            entry.errorCount = (entry.errorCount ?? 0) + 1;
        }
      }
    }
    parts.push(encodeTraceByIdResponseParts([{ resourceSpans }]));
    if (spans <= MAX_JSON_SPANS) keptForJson.push(...resourceSpans);
  }
  const rootSpan = root!.span;
  const traceId = hex(rootSpan.traceId);
  return {
    traceId,
    spans,
    ...(spans <= MAX_JSON_SPANS && {
      json: JSON.stringify({ trace: { resourceSpans: keptForJson } }),
    }),
    protobuf: Buffer.concat(parts),
    summary: {
      // Tempo's search strips leading zeros from trace IDs.
      traceID: traceId.replace(/^0+/, ''),
      rootServiceName: root!.service,
      rootTraceName: rootSpan.name,
      startTimeUnixNano: rootSpan.startTimeUnixNano,
      durationMs: Number(
        (end - BigInt(rootSpan.startTimeUnixNano)) / 1_000_000n,
      ),
      spanSets: [
        {
          spans: [
            {
              spanID: hex(rootSpan.spanId),
              name: rootSpan.name,
              startTimeUnixNano: rootSpan.startTimeUnixNano,
              durationNanos: String(
                BigInt(rootSpan.endTimeUnixNano) -
                  BigInt(rootSpan.startTimeUnixNano),
              ),
              attributes: [
                { key: 'service.name', value: { stringValue: root!.service } },
              ],
            },
          ],
          matched: 1,
        },
      ],
      serviceStats: stats,
    },
  };
}

function serviceOf(batch: any): string {
  const attribute = batch.resource?.attributes?.find(
    (a: any) => a.key === 'service.name',
  );
  return attribute?.value?.stringValue ?? 'unknown_service';
}

function fixture(name: string): { status: number; type: string; body: string } {
  const text = readFileSync(join(FIXTURES, name), 'utf8');
  if (name.endsWith('.json'))
    return { status: 200, type: 'application/json', body: text };
  const newline = text.indexOf('\n');
  const body = text.slice(newline + 1);
  return {
    status: Number(text.slice(0, newline)),
    // As Tempo labels them (see the fixtures' README): JSON bodies as JSON, errors as text.
    type: body.startsWith('{')
      ? 'application/json'
      : 'text/plain; charset=utf-8',
    body,
  };
}

const FIXTURE_TRACES: Record<string, string> = {
  '4bf92f3577b34da6a3ce929d0e0e4736': 'trace-v2.json',
  '00f067aa0ba902b7d0c6e1b8e4f3a2c1': 'trace-v2-leading-zeros-full-id.json',
};

// Seed 1 for every size, as the large-trace goals and Jaeger UI were measured (the trace ID
// depends on the size too, so the traces stay distinct); a size asked for again gets the
// next seed (`--spans 100000,100000`: two different traces of that size, seeds 1 and 2).
const generated = sizes.map((spans, index) =>
  generate(spans, sizes.slice(0, index).filter(s => s === spans).length + 1),
);

/** Moves every `…UnixNano` timestamp of a recorded answer by `shift` nanoseconds. */
function moved(text: string, shift: bigint): string {
  return text.replace(
    /"(\w*UnixNano)"\s*:\s*"(\d+)"/g,
    (_, key, nanos) => `"${key}":"${BigInt(nanos) + shift}"`,
  );
}

// The recorded traces (captured days ago) move to ten minutes before the fake Tempo started.
const recordedSearch = JSON.parse(fixture('search-by-service.json').body);
const recordedShift =
  BigInt(Date.now() - 10 * 60_000) * 1_000_000n -
  BigInt(
    Math.max(
      ...recordedSearch.traces.map((t: any) => Number(t.startTimeUnixNano)),
    ),
  );
recordedSearch.traces = JSON.parse(
  moved(JSON.stringify(recordedSearch.traces), recordedShift),
);
const searchable: Array<{
  startTimeUnixNano: string;
  serviceStats?: Record<string, unknown>;
}> = [...generated.map(t => t.summary as any), ...recordedSearch.traces];

/**
 * A matcher of the service names a TraceQL query's `resource.service.name` conditions ask for
 * (`=` or `=~`, as the backend's entity scope writes them); undefined when it names none.
 */
function servicesOf(q: string): ((name: string) => boolean) | undefined {
  const tests: Array<(name: string) => boolean> = [];
  for (const m of q.matchAll(
    /resource\.service\.name\s*(=~|=)\s*"((?:[^"\\]|\\.)*)"/g,
  )) {
    const value = JSON.parse(`"${m[2]}"`) as string;
    if (m[1] === '=') tests.push(name => name === value);
    else {
      const pattern = new RegExp(`^(?:${value})$`);
      tests.push(name => pattern.test(name));
    }
  }
  return tests.length ? name => tests.some(test => test(name)) : undefined;
}

/** A recorded metrics answer with its steps moved so that its last step is the one of `endMs`. */
function movedToEnd(body: any, endMs: number): any {
  const stamps = (body.series ?? []).flatMap((s: any) =>
    (s.samples ?? []).map((x: any) => Number(x.timestampMs)),
  );
  if (stamps.length < 2) return body;
  const sorted = [...new Set<number>(stamps)].sort((a, b) => a - b);
  const step = sorted[1] - sorted[0];
  // Tempo answers one step past the end: the recorded last stamp is the step after `end`'s.
  const shift =
    Math.floor(endMs / step) * step + step - sorted[sorted.length - 1];
  for (const series of body.series) {
    for (const sample of series.samples ?? [])
      sample.timestampMs = String(Number(sample.timestampMs) + shift);
  }
  return body;
}
const byId = new Map(generated.map(trace => [trace.traceId, trace]));

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Uint8Array,
) {
  res.writeHead(status, { 'Content-Type': type });
  res.end(body);
}

function handle(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  const reply = (name: string) => {
    const { status, type, body } = fixture(name);
    send(res, status, type, body);
  };

  if (path === '/ready')
    return send(res, 200, 'text/plain; charset=utf-8', 'ready\n');
  if (path === '/api/status/buildinfo') return reply('buildinfo.json');
  if (path === '/api/search') {
    const start = Number(url.searchParams.get('start') ?? 0) * 1e9;
    const end = Number(url.searchParams.get('end') ?? Infinity) * 1e9;
    const limit = Number(url.searchParams.get('limit') ?? 20);
    const wanted = servicesOf(url.searchParams.get('q') ?? '');
    const traces = searchable
      .filter(summary => {
        const started = Number(summary.startTimeUnixNano);
        return (
          started >= start &&
          started <= end &&
          (!wanted ||
            Object.keys(summary.serviceStats ?? {}).some(name => wanted(name)))
        );
      })
      .sort((a, b) => Number(b.startTimeUnixNano) - Number(a.startTimeUnixNano))
      .slice(0, limit);
    return send(
      res,
      200,
      'application/json',
      JSON.stringify({ traces, metrics: recordedSearch.metrics }),
    );
  }
  const trace = /^\/api\/v2\/traces\/([0-9a-fA-F]+)$/.exec(path);
  if (trace) {
    const id = trace[1].toLowerCase().padStart(32, '0');
    const served = byId.get(id);
    if (served) {
      if ((req.headers.accept ?? '').includes('application/protobuf'))
        return send(res, 200, 'application/protobuf', served.protobuf);
      if (served.json) return send(res, 200, 'application/json', served.json);
      return send(
        res,
        500,
        'text/plain; charset=utf-8',
        `this fake Tempo serves traces over ${MAX_JSON_SPANS} spans as protobuf only`,
      );
    }
    const recorded = FIXTURE_TRACES[id];
    if (recorded)
      return send(
        res,
        200,
        'application/json',
        moved(fixture(recorded).body, recordedShift),
      );
    return reply('trace-v2-not-found.txt');
  }
  if (path === '/api/v2/search/tags') return reply('tags-v2.json');
  const values = /^\/api\/v2\/search\/tag\/(.+)\/values$/.exec(path);
  if (values) {
    const tag = decodeURIComponent(values[1]);
    if (tag === 'span.http.route') return reply('tag-values-http-route.json');
    if (tag === 'status') return reply('tag-values-status.json');
    if (tag.endsWith('service.name'))
      return reply('tag-values-service-name.json');
    return reply('tag-values-unknown-tag.json');
  }
  if (path === '/api/metrics/query_range') {
    const q = url.searchParams.get('q') ?? '';
    const wanted = servicesOf(q);
    // The recorded RED answers are those of the example services frontend → orders-api.
    if (wanted && !['frontend', 'orders-api'].some(name => wanted(name)))
      return send(res, 200, 'application/json', '{"series":[]}');
    let name = 'red/rate-1h-60s.json';
    if (q.includes('histogram_over_time')) name = 'red/latency-1h-60s.json';
    else if (q.includes('quantile_over_time'))
      name = 'red/quantile-1h-60s.json';
    else if (q.includes('status = error')) name = 'red/errors-1h-60s.json';
    const end = Number(url.searchParams.get('end') ?? Date.now() / 1000);
    return send(
      res,
      200,
      'application/json',
      JSON.stringify(movedToEnd(JSON.parse(fixture(name).body), end * 1000)),
    );
  }
  return reply('error-unknown-endpoint.txt');
}

createServer(handle).listen(port, '127.0.0.1', () => {
  console.log(
    JSON.stringify({
      port,
      traces: generated.map(({ traceId, spans }) => ({ traceId, spans })),
    }),
  );
});
