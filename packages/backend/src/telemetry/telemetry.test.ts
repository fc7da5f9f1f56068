import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import {
  otelEnvironment,
  platformResourceAttributes,
  DEFAULT_SERVICE_NAME,
} from './telemetry';

describe('otelEnvironment', () => {
  it('sends a development backend to its own embedded receiver', () => {
    const mapped = otelEnvironment({ NODE_ENV: 'development' });

    expect(mapped.exportsTo).toBe('http://127.0.0.1:7007/api/traces/v1/traces');
    expect(mapped.env).toEqual({
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT:
        'http://127.0.0.1:7007/api/traces/v1/traces',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT:
        'http://127.0.0.1:7007/api/traces/v1/logs',
      OTEL_LOGS_EXPORTER: 'none',
    });
    expect(mapped.samplingRatio).toBe(1);
    expect(mapped.warnings).toEqual([]);
  });

  it('follows a moved backend port', () => {
    expect(
      otelEnvironment({ APP_CONFIG_backend_listen_port: '7150' }).exportsTo,
    ).toBe('http://127.0.0.1:7150/api/traces/v1/traces');
  });

  it('exports nothing in production without an endpoint', () => {
    const mapped = otelEnvironment({ NODE_ENV: 'production' });

    expect(mapped.exportsTo).toBeUndefined();
    expect(mapped.env.OTEL_TRACES_EXPORTER).toBe('none');
  });

  it('maps TEMPO_OTLP_HTTP_ENDPOINT to OTLP/HTTP traces and sends no logs to Tempo', () => {
    const mapped = otelEnvironment({
      NODE_ENV: 'production',
      TEMPO_OTLP_HTTP_ENDPOINT: 'http://tempo-distributor:4318/',
    });

    expect(mapped.exportsTo).toBe('http://tempo-distributor:4318/v1/traces');
    expect(mapped.env).toMatchObject({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT:
        'http://tempo-distributor:4318/v1/traces',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
      OTEL_LOGS_EXPORTER: 'none',
    });
    expect(
      otelEnvironment({ TEMPO_OTLP_HTTP_ENDPOINT: 'http://t:4318/v1/traces' })
        .exportsTo,
    ).toBe('http://t:4318/v1/traces');
  });

  it('maps TEMPO_OTLP_GRPC_ENDPOINT to OTLP/gRPC traces', () => {
    const mapped = otelEnvironment({
      TEMPO_OTLP_GRPC_ENDPOINT: 'http://tempo-distributor:4317',
    });

    expect(mapped.exportsTo).toBe('http://tempo-distributor:4317');
    expect(mapped.env).toMatchObject({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo-distributor:4317',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
    });
  });

  it('exports nothing, and says why, when the endpoint is not a URL', () => {
    const mapped = otelEnvironment({ TEMPO_OTLP_HTTP_ENDPOINT: 'tempo:4318' });

    expect(mapped.exportsTo).toBeUndefined();
    expect(mapped.env.OTEL_TRACES_EXPORTER).toBe('none');
    expect(mapped.warnings).toEqual([
      '"tempo:4318/v1/traces" is not an http(s) URL; no traces are exported',
    ]);
  });

  it('leaves the standard variables in charge when they are set', () => {
    const mapped = otelEnvironment({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_METRICS_EXPORTER: 'prometheus',
      TEMPO_OTLP_HTTP_ENDPOINT: 'http://tempo:4318',
    });

    expect(mapped.exportsTo).toBe('http://collector:4318');
    expect(mapped.env).toEqual({});
    expect(mapped.warnings).toEqual([]);
  });

  it('does not send logs where only Tempo listens', () => {
    const mapped = otelEnvironment({
      TEMPO_OTLP_GRPC_ENDPOINT: 'http://tempo:4317',
      OTEL_LOGS_EXPORTER: 'otlp',
    });

    expect(mapped.env.OTEL_LOGS_EXPORTER).toBe('none');
    expect(mapped.warnings).toEqual([
      expect.stringContaining('OTEL_EXPORTER_OTLP_LOGS_ENDPOINT'),
    ]);
  });

  it('reads TRACE_SAMPLING_PERCENTAGE as a ratio and warns about nonsense', () => {
    expect(
      otelEnvironment({ TRACE_SAMPLING_PERCENTAGE: '25' }).samplingRatio,
    ).toBe(0.25);
    expect(
      otelEnvironment({ TRACE_SAMPLING_PERCENTAGE: '0' }).samplingRatio,
    ).toBe(0);
    for (const bad of ['150', '-1', 'ten']) {
      const mapped = otelEnvironment({ TRACE_SAMPLING_PERCENTAGE: bad });
      expect(mapped.samplingRatio).toBe(1);
      expect(mapped.warnings).toEqual([
        expect.stringContaining(`not "${bad}"`),
      ]);
    }
  });
});

describe('platformResourceAttributes', () => {
  it('names the backend and adds cluster and environment when set', () => {
    expect(platformResourceAttributes({})).toEqual({
      'service.name': DEFAULT_SERVICE_NAME,
    });
    expect(
      platformResourceAttributes({
        OTEL_SERVICE_NAME: 'orders-api',
        TRACE_CLUSTER_NAME: 'eu-west-1',
        TRACE_ENVIRONMENT: 'staging',
      }),
    ).toEqual({
      'service.name': 'orders-api',
      'k8s.cluster.name': 'eu-west-1',
      'deployment.environment': 'staging',
    });
  });
});

/*
 * The instrumentation as a process starts it: `node --require
 * src/instrumentation.js` in front of a small express + winston service, with
 * an OTLP/HTTP receiver standing in for Tempo.
 */
describe('a service started with --require instrumentation.js', () => {
  // Each test starts a Node process with the SDK: seconds on a busy machine.
  jest.setTimeout(120_000);
  const INSTRUMENTATION = resolve(__dirname, '../instrumentation.js');
  const SERVICE = resolve(__dirname, '__testUtils__/service.js');

  interface ExportedSpan {
    name: string;
    kind: number;
    traceId: string;
    spanId: string;
    resource: Record<string, unknown>;
  }

  let receiver: Server;
  let receiverUrl: string;
  let exported: ExportedSpan[];
  let exportedLogs: Array<{
    traceId: string;
    spanId: string;
    body: { stringValue: string };
  }>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', chunk => {
        body += chunk;
      });
      req.on('end', () => {
        const request = JSON.parse(body);
        for (const resourceLogs of request.resourceLogs ?? []) {
          for (const scope of resourceLogs.scopeLogs) {
            exportedLogs.push(...scope.logRecords);
          }
        }
        for (const resourceSpans of request.resourceSpans ?? []) {
          const resource = Object.fromEntries(
            resourceSpans.resource.attributes.map(
              (a: { key: string; value: Record<string, unknown> }) => [
                a.key,
                Object.values(a.value)[0],
              ],
            ),
          );
          for (const scope of resourceSpans.scopeSpans) {
            for (const span of scope.spans) {
              exported.push({ ...span, resource });
            }
          }
        }
        res.setHeader('Content-Type', 'application/json');
        res.end('{}');
      });
    });
    await new Promise<void>(done => receiver.listen(0, '127.0.0.1', done));
    receiverUrl = `http://127.0.0.1:${
      (receiver.address() as AddressInfo).port
    }`;
  });

  beforeEach(() => {
    exported = [];
    exportedLogs = [];
  });

  afterEach(() => {
    for (const child of children.splice(0)) child.kill();
  });

  afterAll(async () => {
    await new Promise(done => receiver.close(done));
  });

  /** Starts the service; resolves with its URL and the lines it printed. */
  async function startService(env: Record<string, string>) {
    const child = spawn(
      process.execPath,
      ['--require', INSTRUMENTATION, SERVICE],
      {
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'development',
          // JSON, so that the stand-in receiver can read it; export at once.
          OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
          OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/json',
          OTEL_BSP_SCHEDULE_DELAY: '100',
          OTEL_BLRP_SCHEDULE_DELAY: '100',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    const lines: string[] = [];
    child.stderr!.on('data', chunk => lines.push(String(chunk)));
    const port = await new Promise<string>((found, failed) => {
      child.once('exit', code =>
        failed(new Error(`the service exited (${code}): ${lines.join('')}`)),
      );
      createInterface({ input: child.stdout! }).on('line', line => {
        lines.push(line);
        const match = /^listening on (\d+)$/.exec(line);
        if (match) found(match[1]);
      });
    });
    return { url: `http://127.0.0.1:${port}`, lines, child };
  }

  async function waitForSpans(count: number) {
    for (let i = 0; i < 300 && exported.length < count; i++) {
      await new Promise(done => setTimeout(done, 100));
    }
    return exported;
  }

  it('exports a request as a trace with the platform resource attributes, and logs its IDs', async () => {
    const service = await startService({
      TEMPO_OTLP_HTTP_ENDPOINT: receiverUrl,
      OTEL_SERVICE_NAME: 'hello-service',
      TRACE_CLUSTER_NAME: 'test-cluster',
      TRACE_ENVIRONMENT: 'test-env',
    });

    const response = await fetch(`${service.url}/hello`);
    expect(await response.json()).toEqual({ hello: 'world' });

    const spans = await waitForSpans(1);
    const server = spans.find(span => span.name === 'GET /hello');
    expect(server).toMatchObject({
      kind: 2, // SPAN_KIND_SERVER
      resource: {
        'service.name': 'hello-service',
        'k8s.cluster.name': 'test-cluster',
        'deployment.environment': 'test-env',
      },
    });
    const logLine = service.lines
      .filter(line => line.startsWith('{'))
      .map(line => JSON.parse(line))
      .find(entry => entry.message === 'said hello');
    expect(logLine).toMatchObject({ trace_id: server!.traceId });
    expect(logLine.span_id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('sends log lines as OTLP log records of their span when OTEL_LOGS_EXPORTER=otlp', async () => {
    const service = await startService({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
      OTEL_LOGS_EXPORTER: 'otlp',
    });

    await (await fetch(`${service.url}/hello`)).json();

    const spans = await waitForSpans(1);
    for (let i = 0; i < 300 && exportedLogs.length === 0; i++) {
      await new Promise(done => setTimeout(done, 100));
    }
    const [record] = exportedLogs;
    expect(record.body.stringValue).toBe('said hello');
    const span = spans.find(s => s.spanId === record.spanId);
    expect(span?.traceId).toBe(record.traceId);
  });

  it('keeps no new trace at TRACE_SAMPLING_PERCENTAGE=0, but follows a sampled caller', async () => {
    const service = await startService({
      TEMPO_OTLP_HTTP_ENDPOINT: receiverUrl,
      TRACE_SAMPLING_PERCENTAGE: '0',
    });

    for (let i = 0; i < 5; i++) {
      await (await fetch(`${service.url}/hello`)).json();
    }
    // A caller that sampled its trace: parent-based sampling keeps it, and it
    // is the only trace exported.
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await (
      await fetch(`${service.url}/hello`, {
        headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      })
    ).json();

    const spans = await waitForSpans(1);
    expect(spans.length).toBeGreaterThan(0);
    expect(new Set(spans.map(span => span.traceId))).toEqual(
      new Set([traceId]),
    );
  });

  it('keeps serving when the endpoint is unreachable or not a URL', async () => {
    for (const endpoint of ['http://127.0.0.1:1', 'not a url']) {
      const service = await startService({
        TEMPO_OTLP_HTTP_ENDPOINT: endpoint,
        OTEL_BSP_EXPORT_TIMEOUT: '1000',
      });
      for (let i = 0; i < 3; i++) {
        const response = await fetch(`${service.url}/hello`);
        expect(response.status).toBe(200);
        // Give the exporter time to try and fail between requests.
        await new Promise(done => setTimeout(done, 300));
      }
      expect(service.child.exitCode).toBeNull();
    }
  });

  it('still stops on SIGTERM after flushing', async () => {
    const service = await startService({
      TEMPO_OTLP_HTTP_ENDPOINT: receiverUrl,
      // Nothing is exported on schedule within the test: only the flush.
      OTEL_BSP_SCHEDULE_DELAY: '600000',
    });
    await (await fetch(`${service.url}/hello`)).json();

    const exited = new Promise(done => service.child.once('exit', done));
    service.child.kill('SIGTERM');
    await exited;
    expect(exported.some(span => span.name === 'GET /hello')).toBe(true);
  });
});
