/*
 * Sends traces of the example catalog's services (examples/entities.yaml) to a real Tempo's
 * OTLP/HTTP receiver, for trying the Traces tab, the RED summary and the service graph against
 * the real thing (e.g. the Tempo of ../shared/upstreams/start.sh).
 *
 * Run (after `source .ci/bootstrap.sh`):
 *   yarn workspace @backstage-traces/plugin-traces-backend send-example-traces \
 *     [--otlp http://127.0.0.1:4318] [--traces 300] [--minutes 10] [--seed 1]
 *
 * Each trace: frontend `GET /checkout` (SERVER) → orders-api `POST /orders` over HTTP →
 * PostgreSQL queries (instrumented three ways: old and new semantic conventions, some with
 * `peer.service`) and a Kafka `payments` message that payments-worker consumes. About one trace
 * in twelve fails with an exception event. The traces are sent in real time, spread over the
 * next `--minutes` (0: all at once), so a longer range has empty steps.
 */
import { randomBytes } from 'node:crypto';

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
}

const otlp = argument('otlp', 'http://127.0.0.1:4318').replace(/\/$/, '');
const count = Number(argument('traces', '300'));
const minutes = Number(argument('minutes', '10'));
let seed = Number(argument('seed', '1')) >>> 0;

/** mulberry32: the same seed sends the same shapes (IDs stay random so reruns add traces). */
function random(): number {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const between = (min: number, max: number) => min + random() * (max - min);

type Value = string | number | boolean;
const attributes = (record: Record<string, Value | undefined>) =>
  Object.entries(record)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ({
      key,
      value: anyValue(value!),
    }));

/** An OTLP AnyValue; int64s are strings in OTLP/JSON. */
function anyValue(value: Value) {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Number.isInteger(value)) return { intValue: String(value) };
  return { doubleValue: value };
}

interface SpanSpec {
  service: string;
  name: string;
  kind: 1 | 2 | 3 | 4 | 5; // INTERNAL, SERVER, CLIENT, PRODUCER, CONSUMER
  parent?: SpanSpec;
  startMs: number;
  durationMs: number;
  attributes?: Record<string, Value | undefined>;
  error?: string;
  id?: string;
}

const RESOURCES: Record<string, Record<string, Value>> = {
  frontend: {
    'service.name': 'frontend',
    'service.namespace': 'shop',
    'telemetry.sdk.language': 'nodejs',
  },
  'orders-api': {
    'service.name': 'orders-api',
    'service.namespace': 'shop',
    'telemetry.sdk.language': 'java',
    'k8s.pod.name': 'orders-api-7f9c6d5b8-x2x4q',
  },
  'payments-worker': {
    'service.name': 'payments-worker',
    'service.namespace': 'shop',
    'telemetry.sdk.language': 'go',
  },
};

/** The three ways instrumentations describe the same PostgreSQL call. */
const DB_FLAVOURS: Array<Record<string, Value>> = [
  {
    'db.system.name': 'postgresql',
    'db.namespace': 'shop',
    'server.address': 'orders-db.shop.svc.cluster.local',
    'server.port': 5432,
  },
  {
    'db.system': 'postgresql',
    'db.name': 'shop',
    'net.peer.name': 'orders-db',
  },
  {
    'db.system': 'postgresql',
    'peer.service': 'orders-db',
    'network.peer.address': '10.0.3.7',
    'network.peer.port': 5432,
  },
];

function oneTrace(startMs: number): SpanSpec[] {
  const failed = random() < 1 / 12;
  const slow = random() < 0.05;
  const dbMs = slow ? between(200, 700) : between(2, 40);
  const spans: SpanSpec[] = [];
  const root: SpanSpec = {
    service: 'frontend',
    name: 'GET /checkout',
    kind: 2,
    startMs,
    durationMs: 0,
    attributes: {
      'http.request.method': 'GET',
      'http.route': '/checkout',
      'url.path': '/checkout',
    },
  };
  const client: SpanSpec = {
    service: 'frontend',
    name: 'POST',
    kind: 3,
    parent: root,
    startMs: startMs + between(1, 5),
    durationMs: 0,
    attributes: {
      'http.request.method': 'POST',
      'server.address': 'orders-api',
      'url.full': 'http://orders-api/orders',
    },
  };
  const server: SpanSpec = {
    service: 'orders-api',
    name: 'POST /orders',
    kind: 2,
    parent: client,
    startMs: client.startMs + between(0.5, 2),
    durationMs: 0,
    attributes: { 'http.request.method': 'POST', 'http.route': '/orders' },
  };
  spans.push(root, client, server);
  let t = server.startMs + between(0.5, 2);
  const queries = 1 + Math.floor(random() * 3);
  for (let q = 0; q < queries; q++) {
    const duration = dbMs / queries;
    const flavour = DB_FLAVOURS[Math.floor(random() * DB_FLAVOURS.length)];
    spans.push({
      service: 'orders-api',
      name: q === 0 ? 'SELECT shop.orders' : 'INSERT shop.order_items',
      kind: 3,
      parent: server,
      startMs: t,
      durationMs: duration,
      attributes: {
        ...flavour,
        'db.query.text':
          q === 0
            ? 'SELECT * FROM orders WHERE customer_id = $1'
            : 'INSERT INTO order_items VALUES ($1, $2, $3)',
      },
    });
    t += duration + between(0.2, 1);
  }
  const producer: SpanSpec = {
    service: 'orders-api',
    name: 'payments publish',
    kind: 4,
    parent: server,
    startMs: t,
    durationMs: between(1, 4),
    attributes: {
      'messaging.system': 'kafka',
      'messaging.destination.name': 'payments',
      'messaging.operation.type': 'publish',
    },
  };
  spans.push(producer);
  t += producer.durationMs;
  if (failed) {
    server.error = 'payment declined: card expired';
  }
  server.durationMs = t - server.startMs + between(1, 20);
  client.durationMs = server.startMs - client.startMs + server.durationMs + 1;
  root.durationMs =
    client.startMs - startMs + client.durationMs + between(1, 10);
  if (failed) client.error = 'HTTP 502';
  spans.push({
    service: 'payments-worker',
    name: 'payments process',
    kind: 5,
    parent: producer,
    startMs: producer.startMs + between(2, 30),
    durationMs: between(5, 80),
    attributes: {
      'messaging.system': 'kafka',
      'messaging.destination.name': 'payments',
      'messaging.operation.type': 'process',
    },
  });
  return spans;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const nanos = (ms: number) => String(BigInt(Math.round(ms * 1000)) * 1000n);

function request(spans: SpanSpec[]) {
  const traceId = hex(16);
  for (const span of spans) span.id = hex(8);
  const byService = new Map<string, SpanSpec[]>();
  for (const span of spans) {
    const list = byService.get(span.service) ?? [];
    list.push(span);
    byService.set(span.service, list);
  }
  return {
    resourceSpans: [...byService].map(([service, list]) => ({
      resource: { attributes: attributes(RESOURCES[service]) },
      scopeSpans: [
        {
          scope: { name: 'send-example-traces' },
          spans: list.map(span => ({
            traceId,
            spanId: span.id,
            ...(span.parent && { parentSpanId: span.parent.id }),
            name: span.name,
            kind: span.kind,
            startTimeUnixNano: nanos(span.startMs),
            endTimeUnixNano: nanos(span.startMs + span.durationMs),
            attributes: attributes(span.attributes ?? {}),
            ...(span.error && {
              status: { code: 2, message: span.error },
              events: [
                {
                  name: 'exception',
                  timeUnixNano: nanos(span.startMs + span.durationMs),
                  attributes: attributes({
                    'exception.type': 'PaymentDeclinedException',
                    'exception.message': span.error,
                  }),
                },
              ],
            }),
          })),
        },
      ],
    })),
  };
}

async function send(body: ReturnType<typeof request>) {
  const response = await fetch(`${otlp}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(
      `OTLP receiver answered ${response.status}: ${await response.text()}`,
    );
  }
}

/**
 * Sends each trace when it ends, spread evenly over `--minutes`: Tempo's metrics-generator
 * (RED metrics, service graph series) drops spans that end more than 30 s before they arrive.
 */
async function main() {
  const begin = Date.now();
  const gapMs = (minutes * 60_000) / Math.max(1, count);
  for (let i = 0; i < count; i++) {
    const due = begin + i * gapMs;
    const wait = due - Date.now();
    if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait));
    const spans = oneTrace(0);
    const end = Math.max(...spans.map(s => s.startMs + s.durationMs));
    const shift = Date.now() - end;
    for (const span of spans) span.startMs += shift;
    await send(request(spans));
  }
  console.log(JSON.stringify({ sent: count, otlp, minutes }));
}

main().catch(error => {
  console.error(String(error));
  process.exitCode = 1;
});
