import { buildServiceGraph, sortEdges } from './serviceGraph';
import { attachGraphOwners } from './owners';

const edge = (source: string, target: string, requestCount = 1) => ({
  source,
  target,
  requestCount,
  errorCount: 0,
});

describe('buildServiceGraph', () => {
  it('has a node per service in the edges plus every entity service, entity services first', () => {
    const graph = buildServiceGraph(
      {
        source: 'traces',
        sampledTraces: 7,
        edges: [
          edge('user', 'frontend'),
          edge('frontend', 'orders-api'),
          edge('orders-api', 'db'),
        ],
      },
      ['orders-api', 'orders-worker'],
      { start: 100, end: 200 },
    );
    expect(graph).toEqual({
      source: 'traces',
      sampledTraces: 7,
      start: 100,
      end: 200,
      nodes: [
        { id: 'orders-api', isEntityService: true, owners: [] },
        { id: 'orders-worker', isEntityService: true, owners: [] },
        { id: 'db', isEntityService: false, owners: [] },
        { id: 'frontend', isEntityService: false, owners: [] },
        { id: 'user', isEntityService: false, owners: [] },
      ],
      edges: [
        edge('user', 'frontend'),
        edge('frontend', 'orders-api'),
        edge('orders-api', 'db'),
      ],
    });
  });

  it('leaves sampledTraces out for Prometheus', () => {
    const graph = buildServiceGraph(
      { source: 'prometheus', edges: [] },
      ['a'],
      { start: 1, end: 2 },
    );
    expect(graph).not.toHaveProperty('sampledTraces');
    expect(graph.nodes).toEqual([
      { id: 'a', isEntityService: true, owners: [] },
    ]);
  });
});

describe('sortEdges', () => {
  it('orders by request count, then caller, then callee', () => {
    expect(
      sortEdges([
        edge('b', 'x'),
        edge('a', 'y'),
        edge('a', 'x'),
        edge('z', 'z', 5),
      ]),
    ).toEqual([
      edge('z', 'z', 5),
      edge('a', 'x'),
      edge('a', 'y'),
      edge('b', 'x'),
    ]);
  });
});

describe('attachGraphOwners', () => {
  it('looks up every node, with its namespace where known', () => {
    const asked: Array<[string, string | undefined]> = [];
    const graph = buildServiceGraph(
      { source: 'prometheus', edges: [edge('frontend', 'orders-api')] },
      ['orders-api'],
      { start: 1, end: 2 },
    );
    const withOwners = attachGraphOwners(
      graph,
      {
        ownersOf: (name, namespace) => {
          asked.push([name, namespace]);
          return name === 'orders-api'
            ? [
                {
                  entityRef: 'component:default/orders-api',
                  owner: 'group:default/shop-team',
                },
              ]
            : [];
        },
        peerOf: () => undefined,
        claimOf: () => undefined,
      },
      new Map([['orders-api', 'shop']]),
    );
    expect(asked).toEqual([
      ['orders-api', 'shop'],
      ['frontend', undefined],
    ]);
    expect(withOwners.nodes).toEqual([
      {
        id: 'orders-api',
        isEntityService: true,
        owners: [
          {
            entityRef: 'component:default/orders-api',
            owner: 'group:default/shop-team',
          },
        ],
      },
      { id: 'frontend', isEntityService: false, owners: [] },
    ]);
    expect(graph.nodes[0].owners).toEqual([]);
  });

  it('folds the names of one claimed peer into one node owned by the claiming entity', () => {
    const ordersDb = {
      entityRef: 'resource:default/orders-db',
      title: 'Orders database',
      owner: 'group:default/shop-team',
    };
    const names = ['orders-db', 'shop', 'orders-db.shop.svc.cluster.local'];
    const graph = buildServiceGraph(
      {
        source: 'traces',
        edges: [
          { ...edge('orders-api', 'shop', 9), latencyP95Ms: 40 },
          { ...edge('orders-api', 'orders-db', 7), latencyP95Ms: 12 },
          edge('orders-api', 'orders-db.shop.svc.cluster.local', 5),
          edge('orders-api', 'redis', 3),
        ],
      },
      ['orders-api'],
      { start: 1, end: 2 },
    );
    const folded = attachGraphOwners(
      graph,
      {
        ownersOf: () => [],
        peerOf: name =>
          names.includes(name)
            ? { node: 'orders-db', owner: ordersDb }
            : undefined,
        claimOf: () => undefined,
      },
      new Map(),
    );
    expect(folded.nodes).toEqual([
      { id: 'orders-api', isEntityService: true, owners: [] },
      {
        id: 'orders-db',
        isEntityService: false,
        owners: [ordersDb],
        aliases: ['orders-db.shop.svc.cluster.local', 'shop'],
      },
      { id: 'redis', isEntityService: false, owners: [] },
    ]);
    // Counts add up; the worse percentile is kept.
    expect(folded.edges).toEqual([
      { ...edge('orders-api', 'orders-db', 21), latencyP95Ms: 40 },
      edge('orders-api', 'redis', 3),
    ]);
  });

  it('never renames the entity’s own services', () => {
    const graph = buildServiceGraph(
      { source: 'prometheus', edges: [edge('frontend', 'orders-api')] },
      ['orders-api'],
      { start: 1, end: 2 },
    );
    const result = attachGraphOwners(
      graph,
      {
        ownersOf: () => [],
        peerOf: () => ({
          node: 'something-else',
          owner: { entityRef: 'resource:default/x' },
        }),
        claimOf: () => undefined,
      },
      new Map(),
    );
    expect(result.nodes.map(n => n.id)).toEqual([
      'orders-api',
      'something-else',
    ]);
    expect(result.edges).toEqual([edge('something-else', 'orders-api')]);
  });
});
