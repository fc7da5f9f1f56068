import type {
  AttributeValue,
  ServiceGraphEdge,
  Span,
  Trace,
} from '@backstage-traces/plugin-traces-common';
import { roundMs, sortEdges } from './serviceGraph';

/** Caller of root SERVER/CONSUMER spans: requests from outside the traced system. */
export const USER_NODE = 'user';

/** Span attributes that mark a database call. */
const DATABASE_ATTRIBUTES = [
  'db.system.name',
  'db.system',
  'db.namespace',
  'db.name',
];
/**
 * What names the database a client span called, best first: the name the team gave it
 * (`peer.service`), the logical database (stable across replicas and addresses), then where it
 * runs. Instrumentations fill different subsets, so one database can still show under two
 * names: a catalog entity folds them into one node (`backstage-traces.io/peer-names`).
 */
const DATABASE_NAME_ATTRIBUTES = [
  'peer.service',
  'service.peer.name',
  'db.namespace',
  'db.name',
  'server.address',
  'net.peer.name',
  'network.peer.address',
];
/** Span attributes that mark a messaging call (to a queue or topic). */
const MESSAGING_ATTRIBUTES = ['messaging.system', 'messaging.destination.name'];
const MESSAGING_NAME_ATTRIBUTES = [
  'peer.service',
  'service.peer.name',
  'messaging.destination.name',
  'server.address',
];
/** Names an uninstrumented callee of any other client span (an external API, a cache). */
const PEER_ATTRIBUTES = ['peer.service', 'service.peer.name', 'server.address'];

export interface AggregateOptions {
  /** When given, only edges with one end among these services are kept; else all edges. */
  services?: readonly string[];
}

interface Call {
  caller: string;
  callee: string;
  /** Milliseconds; the callee side's span duration where there is one. */
  latencyMs: number;
  failed: boolean;
  /** Epoch seconds the call started (the caller's span). */
  at: number;
}

/**
 * Turns sampled traces into service graph edges, following the model of Tempo's
 * metrics-generator so that both graph sources agree:
 *
 * - A CLIENT (or PRODUCER) span with children in another service is one call per callee
 *   service; its SERVER (or CONSUMER) child gives the latency. It failed when either side
 *   has status error.
 * - Any other parent → child pair where the service changes (an uninstrumented client
 *   side) is one call, with the child's duration and status.
 * - A CLIENT/PRODUCER span without a callee span is a call to an uninstrumented node when
 *   its attributes name one: a database (`db.*`), a queue or topic (`messaging.*`), or a
 *   `peer.service` / `server.address`.
 * - A root SERVER/CONSUMER span is a call from `user`.
 *
 * Calls within a service are not edges. Percentiles are exact over the sample
 * (nearest rank).
 */
export function aggregateTraces(
  traces: readonly Trace[],
  options: AggregateOptions = {},
): ServiceGraphEdge[] {
  const own = options.services && new Set(options.services);
  const edges = new Map<
    string,
    {
      source: string;
      target: string;
      requests: number;
      errors: number;
      latencies: number[];
      lastSeen: number;
    }
  >();

  for (const trace of traces) {
    for (const call of callsOf(trace)) {
      if (call.caller === call.callee) continue;
      if (own && !own.has(call.caller) && !own.has(call.callee)) continue;
      const key = JSON.stringify([call.caller, call.callee]);
      let edge = edges.get(key);
      if (!edge) {
        edge = {
          source: call.caller,
          target: call.callee,
          requests: 0,
          errors: 0,
          latencies: [],
          lastSeen: call.at,
        };
        edges.set(key, edge);
      }
      edge.requests += 1;
      if (call.failed) edge.errors += 1;
      edge.latencies.push(call.latencyMs);
      edge.lastSeen = Math.max(edge.lastSeen, call.at);
    }
  }

  return sortEdges(
    [...edges.values()].map(edge => {
      const sorted = edge.latencies.sort((a, b) => a - b);
      return {
        source: edge.source,
        target: edge.target,
        requestCount: edge.requests,
        errorCount: edge.errors,
        latencyP50Ms: roundMs(percentile(sorted, 0.5)),
        latencyP95Ms: roundMs(percentile(sorted, 0.95)),
        latencyP99Ms: roundMs(percentile(sorted, 0.99)),
        lastSeen: edge.lastSeen,
      };
    }),
  );
}

/** The `service.namespace` each service reported (the first one seen). */
export function serviceNamespaces(
  traces: readonly Trace[],
): Map<string, string> {
  const namespaces = new Map<string, string>();
  for (const trace of traces) {
    for (const { serviceName, serviceNamespace } of trace.resources) {
      if (serviceNamespace && !namespaces.has(serviceName)) {
        namespaces.set(serviceName, serviceNamespace);
      }
    }
  }
  return namespaces;
}

/** Nearest-rank percentile of an ascending, non-empty list: always an observed value. */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Every service-to-service call in one trace. */
export function callsOf(trace: Trace): Call[] {
  const spanIds = new Set(trace.spans.map(span => span.spanId));
  const children = new Map<string, Span[]>();
  for (const span of trace.spans) {
    if (span.parentSpanId && spanIds.has(span.parentSpanId)) {
      const list = children.get(span.parentSpanId);
      if (list) list.push(span);
      else children.set(span.parentSpanId, [span]);
    }
  }

  const calls: Call[] = [];
  for (const span of trace.spans) {
    const kids = children.get(span.spanId) ?? [];
    if (isCallerKind(span)) {
      calls.push(...clientCalls(trace, span, kids));
    } else {
      for (const child of kids) {
        if (child.serviceName !== span.serviceName) {
          calls.push(callTo(span, child, false));
        }
      }
    }
    if (!span.parentSpanId && isCalleeKind(span)) {
      calls.push({
        caller: USER_NODE,
        callee: span.serviceName,
        latencyMs: span.durationMs,
        failed: isError(span),
        at: startSeconds(span),
      });
    }
  }
  return calls;
}

function clientCalls(trace: Trace, client: Span, kids: Span[]): Call[] {
  const byService = new Map<string, Span[]>();
  for (const child of kids) {
    if (child.serviceName === client.serviceName) continue;
    const list = byService.get(child.serviceName);
    if (list) list.push(child);
    else byService.set(child.serviceName, [child]);
  }
  if (byService.size > 0) {
    // One request per callee service, however many spans its instrumentation parented here.
    return [...byService.values()].map(spans =>
      callTo(client, spans.find(isCalleeKind) ?? spans[0], true),
    );
  }
  // A SERVER child in the same service is a self-call, not an unanswered request.
  if (kids.some(isCalleeKind)) return [];
  const callee = uninstrumentedCallee(trace, client);
  return callee
    ? [
        {
          caller: client.serviceName,
          callee,
          latencyMs: client.durationMs,
          failed: isError(client),
          at: startSeconds(client),
        },
      ]
    : [];
}

function callTo(parent: Span, child: Span, parentIsClient: boolean): Call {
  return {
    caller: parent.serviceName,
    callee: child.serviceName,
    latencyMs: child.durationMs,
    failed: isError(child) || (parentIsClient && isError(parent)),
    at: startSeconds(parent),
  };
}

/** Whole seconds are all `lastSeen` needs; a double holds epoch nanoseconds to well under that. */
function startSeconds(span: Span): number {
  return Math.floor(Number(span.startTimeUnixNano) / 1e9);
}

/** The database, queue or other uninstrumented peer a client span called, when it names one. */
function uninstrumentedCallee(trace: Trace, span: Span): string | undefined {
  const resource = trace.resources[span.resourceIndex]?.attributes ?? {};
  const attribute = (key: string) =>
    text(span.attributes[key] ?? resource[key]);
  const first = (keys: string[]) => {
    for (const key of keys) {
      const value = attribute(key);
      if (!value) continue;
      const port =
        key === 'network.peer.address'
          ? attribute('network.peer.port')
          : undefined;
      return port ? `${value}:${port}` : value;
    }
    return undefined;
  };

  if (DATABASE_ATTRIBUTES.some(key => attribute(key))) {
    return (
      first(DATABASE_NAME_ATTRIBUTES) ??
      attribute('db.system.name') ??
      attribute('db.system')
    );
  }
  if (MESSAGING_ATTRIBUTES.some(key => attribute(key))) {
    return first(MESSAGING_NAME_ATTRIBUTES);
  }
  return first(PEER_ATTRIBUTES);
}

function text(value: AttributeValue | undefined): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return undefined;
}

function isCallerKind(span: Span): boolean {
  return span.kind === 'client' || span.kind === 'producer';
}

function isCalleeKind(span: Span): boolean {
  return span.kind === 'server' || span.kind === 'consumer';
}

function isError(span: Span): boolean {
  return span.status.code === 'error';
}
