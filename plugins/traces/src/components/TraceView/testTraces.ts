import type {
  Span,
  Trace,
  TraceResource,
} from '@backstage-traces/plugin-traces-common';

/* Builders of small hand-made traces for the TraceView tests (not used by the plugin itself). */

export const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

export interface SpanSpec
  extends Partial<Omit<Span, 'spanId' | 'startMs' | 'durationMs'>> {
  spanId: string;
  parentSpanId?: string;
  startMs: number;
  durationMs: number;
}

const BASE_NS = 1764000000000000000n;
const nanos = (ms: number) => String(BASE_NS + BigInt(Math.round(ms * 1e6)));

export function makeSpan(spec: SpanSpec, resources: TraceResource[]): Span {
  const serviceName = spec.serviceName ?? 'frontend';
  let resourceIndex = resources.findIndex(r => r.serviceName === serviceName);
  if (resourceIndex < 0) {
    resources.push({
      serviceName,
      attributes: { 'service.name': serviceName },
    });
    resourceIndex = resources.length - 1;
  }
  return {
    name: `op-${spec.spanId}`,
    kind: 'internal',
    status: { code: 'unset' },
    attributes: {},
    events: [],
    links: [],
    ...spec,
    serviceName,
    resourceIndex,
    startTimeUnixNano: nanos(spec.startMs),
    endTimeUnixNano: nanos(spec.startMs + spec.durationMs),
  };
}

/** A trace from span specs; spans are sorted by start as the API sends them. */
export function makeTrace(
  specs: SpanSpec[],
  overrides: Partial<Trace> = {},
): Trace {
  const resources: TraceResource[] = overrides.resources
    ? overrides.resources.map(r => ({ ...r }))
    : [];
  const spans = specs
    .map(s => makeSpan(s, resources))
    .sort((a, b) => a.startMs - b.startMs);
  const end = spans.reduce((m, s) => Math.max(m, s.startMs + s.durationMs), 0);
  const services: string[] = [];
  for (const s of spans)
    if (!services.includes(s.serviceName)) services.push(s.serviceName);
  return {
    traceId: TRACE_ID,
    startTimeUnixNano: nanos(0),
    endTimeUnixNano: nanos(end),
    durationMs: end,
    spanCount: spans.length,
    services,
    resources,
    spans,
    ...overrides,
    ...(overrides.resources ? { resources } : {}),
  };
}

/**
 * A small checkout trace used across the component tests:
 *
 *   root      frontend   GET /checkout        0..100
 *   ├ auth    auth       POST /auth/verify    5..25
 *   ├ cart    cart       GET cart            30..60  (error)
 *   │ └ db    cart       SELECT carts        35..55
 *   └ pay     payments   POST /pay           62..98
 */
export function checkoutTrace(overrides: Partial<Trace> = {}): Trace {
  return makeTrace(
    [
      {
        spanId: 'aaaaaaaaaaaaaaa1',
        name: 'GET /checkout',
        serviceName: 'frontend',
        kind: 'server',
        startMs: 0,
        durationMs: 100,
      },
      {
        spanId: 'aaaaaaaaaaaaaaa2',
        parentSpanId: 'aaaaaaaaaaaaaaa1',
        name: 'POST /auth/verify',
        serviceName: 'auth',
        kind: 'client',
        startMs: 5,
        durationMs: 20,
      },
      {
        spanId: 'aaaaaaaaaaaaaaa3',
        parentSpanId: 'aaaaaaaaaaaaaaa1',
        name: 'GET cart',
        serviceName: 'cart',
        kind: 'server',
        startMs: 30,
        durationMs: 30,
        status: { code: 'error', message: 'cart is locked' },
        attributes: { 'http.response.status_code': 500, 'cart.id': 'c-42' },
      },
      {
        spanId: 'aaaaaaaaaaaaaaa4',
        parentSpanId: 'aaaaaaaaaaaaaaa3',
        name: 'SELECT carts',
        serviceName: 'cart',
        kind: 'client',
        startMs: 35,
        durationMs: 20,
        attributes: { 'db.system.name': 'postgresql' },
      },
      {
        spanId: 'aaaaaaaaaaaaaaa5',
        parentSpanId: 'aaaaaaaaaaaaaaa1',
        name: 'POST /pay',
        serviceName: 'payments',
        kind: 'client',
        startMs: 62,
        durationMs: 36,
      },
    ],
    overrides,
  );
}

/** The checkout trace with what the details panel shows: owners, masking, events and links. */
export function detailedCheckoutTrace(overrides: Partial<Trace> = {}): Trace {
  const trace = checkoutTrace(overrides);
  const cart = trace.spans.find(s => s.spanId === 'aaaaaaaaaaaaaaa3')!;
  trace.resources[cart.resourceIndex] = {
    serviceName: 'cart',
    attributes: { 'service.name': 'cart', 'k8s.pod.name': 'cart-7d9f-x1' },
    owners: [
      {
        entityRef: 'component:default/cart-service',
        title: 'Cart Service',
        owner: 'group:default/team-checkout',
      },
    ],
  };
  Object.assign(cart, {
    attributes: {
      ...cart.attributes,
      'http.request.header.authorization': '[masked]',
      'db.connection_string': 'postgres://cart@db/cart',
      'cart.items': ['sku-1', 'sku-2'],
      'cart.gift': false,
    },
    redactedKeys: ['db.connection_string'],
    scope: { name: 'io.opentelemetry.dotnet', version: '1.9.0' },
    events: [
      {
        name: 'cache.miss',
        timeUnixNano: '1764000000032000000',
        offsetMs: 32,
        attributes: { message: 'key not found, loading from db' },
      },
      {
        name: 'exception',
        timeUnixNano: '1764000000058000000',
        offsetMs: 58,
        attributes: {
          'exception.type': 'System.InvalidOperationException',
          'exception.message': 'Sequence contains no elements',
          'exception.stacktrace':
            'System.InvalidOperationException: Sequence contains no elements\n   at Cart.Load()',
        },
      },
    ],
    links: [
      { traceId: TRACE_ID, spanId: 'aaaaaaaaaaaaaaa5', attributes: {} },
      {
        traceId: '11111111111111111111111111111111',
        spanId: 'bbbbbbbbbbbbbbbb',
        attributes: { 'messaging.operation.type': 'process' },
      },
    ],
  });
  return trace;
}

const CHECKOUT_RESOURCES: TraceResource[] = [
  'frontend',
  'auth',
  'cart',
  'payments',
].map(serviceName => ({
  serviceName,
  attributes: { 'service.name': serviceName },
}));

/**
 * The checkout trace as a backend over its window threshold sends it: `first()` holds the
 * root and the critical `POST /pay`; `belowRoot()` the root's children (the cart's database
 * call still missing); `belowCart()` that call.
 */
export const windowedCheckout = {
  first(): Trace {
    const all = checkoutTrace().spans;
    const counts: Record<string, Span['subtree']> = {
      aaaaaaaaaaaaaaa1: { children: 3, descendants: 4, errors: 1 },
      aaaaaaaaaaaaaaa5: { children: 0, descendants: 0, errors: 0 },
    };
    return windowOf(all, counts, [
      { spanId: 'aaaaaaaaaaaaaaa1', startMs: 98, endMs: 100 },
      { spanId: 'aaaaaaaaaaaaaaa5', startMs: 62, endMs: 98 },
      { spanId: 'aaaaaaaaaaaaaaa1', startMs: 0, endMs: 62 },
    ]);
  },
  belowRoot(): Trace {
    return windowOf(checkoutTrace().spans, {
      aaaaaaaaaaaaaaa2: { children: 0, descendants: 0, errors: 0 },
      aaaaaaaaaaaaaaa3: { children: 1, descendants: 1, errors: 0 },
      aaaaaaaaaaaaaaa5: { children: 0, descendants: 0, errors: 0 },
    });
  },
  belowCart(): Trace {
    return windowOf(checkoutTrace().spans, {
      aaaaaaaaaaaaaaa4: { children: 0, descendants: 0, errors: 0 },
    });
  },
};

function windowOf(
  all: Span[],
  counts: Record<string, Span['subtree']>,
  criticalPath: NonNullable<Trace['window']>['criticalPath'] = [],
): Trace {
  const spans = all
    .filter(span => counts[span.spanId])
    .map(span => ({ ...span, subtree: counts[span.spanId] }));
  return makeTrace(spans, {
    resources: CHECKOUT_RESOURCES,
    durationMs: 100,
    endTimeUnixNano: nanos(100),
    spanCount: 5,
    services: ['frontend', 'auth', 'cart', 'payments'],
    window: {
      totalSpans: 5,
      errorCount: 1,
      windowSpans: 3,
      services: [
        { name: 'frontend', spanCount: 1, errorCount: 0 },
        { name: 'auth', spanCount: 1, errorCount: 0 },
        { name: 'cart', spanCount: 2, errorCount: 1 },
        { name: 'payments', spanCount: 1, errorCount: 0 },
      ],
      criticalPath,
    },
  });
}
