import type {
  Attributes,
  Span,
  SpanKind,
  Trace,
} from '@backstage-traces/plugin-traces-common';
import {
  aggregateTraces,
  callsOf,
  percentile,
  serviceNamespaces,
} from './aggregateTraces';

interface SpanSpec {
  id: string;
  parent?: string;
  service: string;
  kind: SpanKind;
  ms: number;
  error?: boolean;
  attributes?: Attributes;
}

/** A normalised Trace (what normalizeTrace produces) from compact span specs. */
function trace(
  specs: SpanSpec[],
  namespaces: Record<string, string> = {},
): Trace {
  const services = [...new Set(specs.map(spec => spec.service))];
  const spans: Span[] = specs.map((spec, index) => ({
    spanId: spec.id.padStart(16, '0'),
    ...(spec.parent && { parentSpanId: spec.parent.padStart(16, '0') }),
    name: `${spec.service} ${spec.kind}`,
    serviceName: spec.service,
    resourceIndex: services.indexOf(spec.service),
    kind: spec.kind,
    status: { code: spec.error ? 'error' : 'unset' },
    startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(index)),
    endTimeUnixNano: String(
      1_700_000_000_000_000_000n + BigInt(index) + BigInt(spec.ms * 1e6),
    ),
    startMs: index * 0.001,
    durationMs: spec.ms,
    attributes: spec.attributes ?? {},
    events: [],
    links: [],
  }));
  return {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    startTimeUnixNano: spans[0].startTimeUnixNano,
    endTimeUnixNano: spans[0].endTimeUnixNano,
    durationMs: specs[0].ms,
    spanCount: spans.length,
    services,
    resources: services.map(serviceName => ({
      serviceName,
      ...(namespaces[serviceName] && {
        serviceNamespace: namespaces[serviceName],
      }),
      attributes: { 'service.name': serviceName },
    })),
    spans,
  };
}

/**
 * A diamond: frontend calls orders and payments; both call inventory. Each call is an
 * instrumented CLIENT span with a SERVER child in the callee.
 */
function diamond(options: {
  inventoryMs: [number, number];
  paymentsFails?: boolean;
}): Trace {
  return trace([
    { id: '1', service: 'frontend', kind: 'server', ms: 200 },
    { id: '2', parent: '1', service: 'frontend', kind: 'client', ms: 150 },
    { id: '3', parent: '2', service: 'orders', kind: 'server', ms: 140 },
    {
      id: '4',
      parent: '1',
      service: 'frontend',
      kind: 'client',
      ms: 60,
      error: options.paymentsFails,
    },
    {
      id: '5',
      parent: '4',
      service: 'payments',
      kind: 'server',
      ms: 50,
      error: options.paymentsFails,
    },
    { id: '6', parent: '3', service: 'orders', kind: 'client', ms: 45 },
    {
      id: '7',
      parent: '6',
      service: 'inventory',
      kind: 'server',
      ms: options.inventoryMs[0],
    },
    { id: '8', parent: '5', service: 'payments', kind: 'client', ms: 35 },
    {
      id: '9',
      parent: '8',
      service: 'inventory',
      kind: 'server',
      ms: options.inventoryMs[1],
    },
  ]);
}

describe('aggregateTraces', () => {
  it('keeps the one-hop neighbourhood of the entity’s service in a diamond', () => {
    const edges = aggregateTraces(
      [
        diamond({ inventoryMs: [40, 30] }),
        diamond({ inventoryMs: [20, 10], paymentsFails: true }),
      ],
      { services: ['orders'] },
    );
    expect(edges).toEqual([
      {
        source: 'frontend',
        target: 'orders',
        requestCount: 2,
        errorCount: 0,
        latencyP50Ms: 140,
        latencyP95Ms: 140,
        latencyP99Ms: 140,
        lastSeen: 1_700_000_000,
      },
      {
        source: 'orders',
        target: 'inventory',
        requestCount: 2,
        errorCount: 0,
        latencyP50Ms: 20,
        latencyP95Ms: 40,
        latencyP99Ms: 40,
        lastSeen: 1_700_000_000,
      },
    ]);
  });

  it('gives each edge the second of its latest call', () => {
    const later = (t: Trace, seconds: number): Trace => ({
      ...t,
      spans: t.spans.map(span => ({
        ...span,
        startTimeUnixNano: String(
          BigInt(span.startTimeUnixNano) + BigInt(seconds) * 1_000_000_000n,
        ),
      })),
    });
    const edges = aggregateTraces(
      [
        later(diamond({ inventoryMs: [40, 30] }), 90),
        diamond({ inventoryMs: [20, 10] }),
      ],
      { services: ['orders'] },
    );
    expect(edges.map(e => e.lastSeen)).toEqual([1_700_000_090, 1_700_000_090]);
  });

  it('sees both paths into the bottom of the diamond, and errors on either side of a call', () => {
    const edges = aggregateTraces(
      [
        diamond({ inventoryMs: [40, 30] }),
        diamond({ inventoryMs: [20, 10], paymentsFails: true }),
      ],
      { services: ['inventory', 'payments'] },
    );
    const byPair = Object.fromEntries(
      edges.map(e => [`${e.source}->${e.target}`, e]),
    );
    expect(Object.keys(byPair).sort()).toEqual([
      'frontend->payments',
      'orders->inventory',
      'payments->inventory',
    ]);
    expect(byPair['frontend->payments']).toMatchObject({
      requestCount: 2,
      errorCount: 1,
    });
    expect(byPair['payments->inventory']).toMatchObject({
      requestCount: 2,
      errorCount: 0,
      latencyP50Ms: 10,
      latencyP99Ms: 30,
    });
  });

  it('counts a failed call when only the client span has an error (the server never answered)', () => {
    const edges = aggregateTraces(
      [
        trace([
          { id: '1', service: 'a', kind: 'client', ms: 5000, error: true },
          { id: '2', parent: '1', service: 'b', kind: 'server', ms: 20 },
        ]),
      ],
      { services: ['a'] },
    );
    expect(edges).toEqual([
      expect.objectContaining({
        source: 'a',
        target: 'b',
        requestCount: 1,
        errorCount: 1,
        latencyP50Ms: 20,
      }),
    ]);
  });

  it('counts a callee error even when the caller did not mark its span', () => {
    const edges = aggregateTraces(
      [
        trace([
          { id: '1', service: 'a', kind: 'client', ms: 30 },
          {
            id: '2',
            parent: '1',
            service: 'b',
            kind: 'server',
            ms: 20,
            error: true,
          },
        ]),
      ],
      { services: ['b'] },
    );
    expect(edges[0]).toMatchObject({ source: 'a', target: 'b', errorCount: 1 });
  });

  it('counts one call per client span even when the callee parented several spans to it', () => {
    const edges = aggregateTraces(
      [
        trace([
          { id: '1', service: 'a', kind: 'client', ms: 30 },
          { id: '2', parent: '1', service: 'b', kind: 'internal', ms: 3 },
          { id: '3', parent: '1', service: 'b', kind: 'server', ms: 25 },
        ]),
      ],
      { services: ['a'] },
    );
    expect(edges).toEqual([
      expect.objectContaining({ requestCount: 1, latencyP50Ms: 25 }),
    ]);
  });

  it('treats PRODUCER → CONSUMER as a call, with the consumer’s duration', () => {
    const edges = aggregateTraces(
      [
        trace([
          { id: '1', service: 'orders', kind: 'producer', ms: 2 },
          {
            id: '2',
            parent: '1',
            service: 'mailer',
            kind: 'consumer',
            ms: 300,
            error: true,
          },
        ]),
      ],
      { services: ['orders'] },
    );
    expect(edges).toEqual([
      expect.objectContaining({
        source: 'orders',
        target: 'mailer',
        requestCount: 1,
        errorCount: 1,
        latencyP50Ms: 300,
      }),
    ]);
  });

  it('counts a service change without a client span (uninstrumented caller side)', () => {
    const edges = aggregateTraces(
      [
        trace([
          { id: '1', service: 'legacy', kind: 'internal', ms: 100 },
          { id: '2', parent: '1', service: 'billing', kind: 'server', ms: 70 },
        ]),
      ],
      { services: ['billing'] },
    );
    expect(edges).toEqual([
      expect.objectContaining({
        source: 'legacy',
        target: 'billing',
        requestCount: 1,
        latencyP50Ms: 70,
      }),
    ]);
  });

  it('names uninstrumented databases, queues and peers by the standard attributes', () => {
    const edges = aggregateTraces(
      [
        trace([
          { id: '1', service: 'orders', kind: 'internal', ms: 100 },
          {
            id: '2',
            parent: '1',
            service: 'orders',
            kind: 'client',
            ms: 60,
            error: true,
            attributes: {
              'db.system': 'postgresql',
              'db.name': 'shop',
              'server.address': 'db',
            },
          },
          {
            id: '3',
            parent: '1',
            service: 'orders',
            kind: 'client',
            ms: 8,
            attributes: {
              'db.system': 'redis',
              'network.peer.address': '10.0.0.7',
              'network.peer.port': 6379,
            },
          },
          {
            id: '4',
            parent: '1',
            service: 'orders',
            kind: 'client',
            ms: 12,
            attributes: { 'peer.service': 'stripe' },
          },
          // A message nobody traced consuming: the topic is the callee.
          {
            id: '6',
            parent: '1',
            service: 'orders',
            kind: 'producer',
            ms: 2,
            attributes: {
              'messaging.system': 'kafka',
              'messaging.destination.name': 'payments',
              'server.address': 'kafka-0',
            },
          },
          // An external HTTP API.
          {
            id: '7',
            parent: '1',
            service: 'orders',
            kind: 'client',
            ms: 30,
            attributes: { 'server.address': 'api.example.com' },
          },
          // No name for the callee: not an edge.
          {
            id: '5',
            parent: '1',
            service: 'orders',
            kind: 'client',
            ms: 3,
            attributes: { 'http.request.method': 'GET' },
          },
        ]),
      ],
      { services: ['orders'] },
    );
    expect(
      edges.map(e => [e.target, e.requestCount, e.errorCount, e.latencyP50Ms]),
    ).toEqual([
      ['10.0.0.7:6379', 1, 0, 8],
      ['api.example.com', 1, 0, 30],
      ['payments', 1, 0, 2],
      // The logical database before the address it runs at.
      ['shop', 1, 1, 60],
      ['stripe', 1, 0, 12],
    ]);
    expect(edges.every(e => e.source === 'orders')).toBe(true);
  });

  it('adds `user` as the caller of root SERVER spans', () => {
    const edges = aggregateTraces(
      [
        trace([
          { id: '1', service: 'frontend', kind: 'server', ms: 80, error: true },
        ]),
      ],
      { services: ['frontend'] },
    );
    expect(edges).toEqual([
      expect.objectContaining({
        source: 'user',
        target: 'frontend',
        requestCount: 1,
        errorCount: 1,
        latencyP50Ms: 80,
      }),
    ]);
  });

  it('ignores calls within a service and spans whose parent is missing from the trace', () => {
    const edges = aggregateTraces(
      [
        trace([
          { id: '1', parent: 'f00', service: 'a', kind: 'server', ms: 10 },
          {
            id: '2',
            parent: '1',
            service: 'a',
            kind: 'client',
            ms: 5,
            attributes: { 'peer.service': 'a' },
          },
          { id: '3', parent: '2', service: 'a', kind: 'server', ms: 4 },
          { id: '4', parent: 'f01', service: 'b', kind: 'server', ms: 4 },
        ]),
      ],
      { services: ['a', 'b'] },
    );
    expect(edges).toEqual([]);
  });

  it('answers exact nearest-rank percentiles over the sample', () => {
    const traces = Array.from({ length: 100 }, (_, i) =>
      trace([
        { id: '1', service: 'a', kind: 'client', ms: 200 },
        { id: '2', parent: '1', service: 'b', kind: 'server', ms: 100 - i },
      ]),
    );
    const [edge] = aggregateTraces(traces, { services: ['b'] });
    expect(edge).toMatchObject({
      requestCount: 100,
      latencyP50Ms: 50,
      latencyP95Ms: 95,
      latencyP99Ms: 99,
    });
  });

  it('lists busiest edges first', () => {
    const edges = aggregateTraces(
      [
        trace([
          { id: '1', service: 'a', kind: 'server', ms: 10 },
          { id: '2', parent: '1', service: 'b', kind: 'server', ms: 5 },
          { id: '3', parent: '1', service: 'c', kind: 'server', ms: 5 },
          { id: '4', parent: '1', service: 'c', kind: 'server', ms: 5 },
        ]),
      ],
      { services: ['a'] },
    );
    expect(edges.map(e => [e.source, e.target, e.requestCount])).toEqual([
      ['a', 'c', 2],
      ['a', 'b', 1],
      ['user', 'a', 1],
    ]);
  });
});

describe('callsOf', () => {
  it('finds every call of the diamond once', () => {
    const calls = callsOf(diamond({ inventoryMs: [1, 2] }));
    expect(calls.map(c => `${c.caller}->${c.callee}`).sort()).toEqual([
      'frontend->orders',
      'frontend->payments',
      'orders->inventory',
      'payments->inventory',
      'user->frontend',
    ]);
  });
});

describe('percentile', () => {
  it.each([
    [[7], 0.5, 7],
    [[7], 0.99, 7],
    [[1, 2], 0.5, 1],
    [[1, 2], 0.51, 2],
    [[1, 2, 3, 4], 0.95, 4],
    [[1, 2, 3, 4], 0, 1],
  ])('percentile(%j, %s) = %s', (sorted, p, expected) => {
    expect(percentile(sorted, p)).toBe(expected);
  });
});

describe('serviceNamespaces', () => {
  it('reports the first namespace seen for each service', () => {
    const a = trace([{ id: '1', service: 'orders', kind: 'server', ms: 1 }], {
      orders: 'shop',
    });
    const b = trace([{ id: '1', service: 'orders', kind: 'server', ms: 1 }], {
      orders: 'other',
    });
    const c = trace([{ id: '1', service: 'billing', kind: 'server', ms: 1 }]);
    expect(serviceNamespaces([a, b, c])).toEqual(new Map([['orders', 'shop']]));
  });
});
