import type { Entity } from '@backstage/catalog-model';
import type {
  ServiceGraphEdge,
  ServiceGraphNode,
  ServiceGraphResponse,
} from '@backstage-traces/plugin-traces-common';
import type { EntityClaim } from '../owners/ServiceOwnerResolver';
import { compareDependencies } from './compareDependencies';
import { declaredDependencies } from './declaredDependencies';

const FRONTEND = 'component:shop/frontend';
const ORDERS = 'component:shop/orders-api';
const PAYMENTS = 'component:payments/payments-api';
const INVENTORY = 'component:shop/inventory-api';
const ORDERS_DB = 'resource:shop/orders-db';
const ORDERS_HTTP = 'api:shop/orders-http';

function entity(ref: string, relations: Array<[string, string]>): Entity {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace },
    relations: relations.map(([type, targetRef]) => ({ type, targetRef })),
  };
}

function byRef(...entities: Entity[]): Map<string, Entity> {
  return new Map(
    entities.map(e => [
      `${e.kind.toLocaleLowerCase('en-US')}:${e.metadata.namespace}/${
        e.metadata.name
      }`,
      e,
    ]),
  );
}

const edge = (
  source: string,
  target: string,
  requestCount = 10,
  extra: Partial<ServiceGraphEdge> = {},
): ServiceGraphEdge => ({
  source,
  target,
  requestCount,
  errorCount: 1,
  ...extra,
});

const node = (
  id: string,
  ownerRefs: string[],
  isEntityService = false,
): ServiceGraphNode => ({
  id,
  isEntityService,
  owners: ownerRefs.map(entityRef => ({ entityRef })),
});

function graphOf(
  nodes: ServiceGraphNode[],
  edges: ServiceGraphEdge[],
): ServiceGraphResponse {
  return { source: 'traces', start: 0, end: 3600, nodes, edges };
}

const claims: Record<string, EntityClaim> = {
  [INVENTORY]: {
    nodes: ['inventory-api'],
    owner: { entityRef: INVENTORY, title: 'Inventory API' },
  },
  [PAYMENTS]: { nodes: ['payments-api'], owner: { entityRef: PAYMENTS } },
};
const claimOf = (ref: string) => claims[ref];

describe('declaredDependencies', () => {
  it('takes dependsOn from either side and resolves consumed and provided APIs to the other side', () => {
    const declared = declaredDependencies(
      byRef(
        entity(FRONTEND, [
          ['dependsOn', INVENTORY],
          ['consumesApi', ORDERS_HTTP],
        ]),
        entity(ORDERS, [
          ['providesApi', ORDERS_HTTP],
          ['dependencyOf', FRONTEND],
          ['dependsOn', ORDERS_DB],
        ]),
      ),
      byRef(
        entity(ORDERS_HTTP, [
          ['apiProvidedBy', ORDERS],
          ['apiConsumedBy', FRONTEND],
          ['apiConsumedBy', 'component:mobile/app'],
        ]),
      ),
    );
    expect(declared).toEqual(
      expect.arrayContaining([
        { source: FRONTEND, target: INVENTORY, via: ['dependsOn'] },
        // Declared twice (dependsOn and the API): one dependency, both ways named.
        { source: FRONTEND, target: ORDERS, via: [ORDERS_HTTP, 'dependsOn'] },
        { source: ORDERS, target: ORDERS_DB, via: ['dependsOn'] },
        // A consumer of the API orders-api provides, found from the provider's side.
        { source: 'component:mobile/app', target: ORDERS, via: [ORDERS_HTTP] },
      ]),
    );
    expect(declared).toHaveLength(4);
  });

  it('ignores APIs the caller cannot read and dependencies on the entity itself', () => {
    expect(
      declaredDependencies(
        byRef(
          entity(FRONTEND, [
            ['consumesApi', ORDERS_HTTP],
            ['dependsOn', FRONTEND],
          ]),
        ),
        new Map(),
      ),
    ).toEqual([]);
  });
});

describe('compareDependencies', () => {
  const ordersGraph = graphOf(
    [
      node('orders-api', [ORDERS], true),
      node('frontend', [FRONTEND]),
      node('payments-api', [PAYMENTS]),
      node('redis', []),
    ],
    [
      edge('frontend', 'orders-api', 40, { lastSeen: 1000 }),
      edge('orders-api', 'payments-api', 12, { lastSeen: 1200 }),
      edge('orders-api', 'redis', 30),
    ],
  );
  const ordersDeclared = [
    { source: FRONTEND, target: ORDERS, via: [ORDERS_HTTP] },
    { source: ORDERS, target: INVENTORY, via: ['dependsOn'] },
    { source: ORDERS, target: ORDERS_DB, via: ['dependsOn'] },
  ];
  const compared = compareDependencies({
    graph: ordersGraph,
    entities: [{ entityRef: ORDERS, services: ['orders-api'] }],
    declared: ordersDeclared,
    claimOf,
  });

  it('marks every edge declared and observed', () => {
    expect(
      compared.edges.map(e => [e.source, e.target, e.declared, e.observed]),
    ).toEqual([
      ['frontend', 'orders-api', true, true],
      ['orders-api', 'payments-api', false, true],
      ['orders-api', 'redis', false, true],
      // declared, not seen: drawn with no calls
      ['orders-api', 'inventory-api', true, false],
      ['orders-api', ORDERS_DB, true, false],
    ]);
  });

  it('gives each dependency its state, counts and last call, undeclared ones first', () => {
    const rows = compared.dependencies!.dependencies;
    expect(
      rows.map(r => [
        r.state,
        r.source.entityRef ?? r.source.services[0],
        r.target.entityRef ?? r.target.services[0],
        r.requestCount,
      ]),
    ).toEqual([
      ['observed-not-declared', ORDERS, 'redis', 30],
      ['observed-not-declared', ORDERS, PAYMENTS, 12],
      ['declared-not-seen', ORDERS, INVENTORY, 0],
      ['declared-not-seen', ORDERS, ORDERS_DB, 0],
      ['declared-and-observed', FRONTEND, ORDERS, 40],
    ]);
    const consumed = rows[4];
    // An API the caller consumes and orders-api provides declares the call.
    expect(consumed.declaredVia).toEqual([ORDERS_HTTP]);
    expect(consumed.lastSeen).toBe(1000);
    expect(consumed.source.services).toEqual(['frontend']);
    expect(rows[0].target).toEqual({ services: ['redis'] });
    expect(compared.dependencies!.notSeen).toEqual(rows.slice(2, 4));
    expect(compared.dependencies!.entityRefs).toEqual([ORDERS]);
  });

  it('adds a node for a declared dependency not seen: its claimed service, else the entity', () => {
    const added = compared.nodes.filter(n => n.declaredOnly);
    expect(added).toEqual([
      {
        id: 'inventory-api',
        isEntityService: false,
        owners: [{ entityRef: INVENTORY, title: 'Inventory API' }],
        declaredOnly: true,
      },
      {
        id: ORDERS_DB,
        isEntityService: false,
        owners: [{ entityRef: ORDERS_DB }],
        declaredOnly: true,
      },
    ]);
    expect(compared.nodes).toHaveLength(ordersGraph.nodes.length + 2);
  });

  it('compares dependents too: a declared caller not seen, and an undeclared caller', () => {
    const result = compareDependencies({
      graph: graphOf(
        [node('payments-api', [PAYMENTS], true), node('orders-api', [ORDERS])],
        [edge('orders-api', 'payments-api', 5)],
      ),
      entities: [{ entityRef: PAYMENTS, services: ['payments-api'] }],
      declared: [{ source: INVENTORY, target: PAYMENTS, via: ['dependsOn'] }],
      claimOf,
    });
    expect(
      result.dependencies!.dependencies.map(r => [
        r.state,
        r.source.entityRef,
        r.target.entityRef,
      ]),
    ).toEqual([
      ['observed-not-declared', ORDERS, PAYMENTS],
      ['declared-not-seen', INVENTORY, PAYMENTS],
    ]);
    expect(result.edges.at(-1)).toEqual({
      source: 'inventory-api',
      target: 'payments-api',
      requestCount: 0,
      errorCount: 0,
      declared: true,
      observed: false,
    });
  });

  it('matches by entity ref, namespace included: the same name in another namespace is not declared', () => {
    const result = compareDependencies({
      graph: graphOf(
        [
          node('orders-api', [ORDERS], true),
          node('payments-api', ['component:shop/payments-api']),
        ],
        [edge('orders-api', 'payments-api')],
      ),
      entities: [{ entityRef: ORDERS, services: ['orders-api'] }],
      // declared on payments/payments-api, observed calls go to shop/payments-api
      declared: [{ source: ORDERS, target: PAYMENTS, via: ['dependsOn'] }],
      claimOf,
    });
    expect(result.edges[0].declared).toBe(false);
    expect(result.dependencies!.dependencies.map(r => r.state)).toEqual([
      'observed-not-declared',
      'declared-not-seen',
    ]);
  });

  it('leaves out calls within one entity and from outside the traced system (user)', () => {
    const result = compareDependencies({
      graph: graphOf(
        [
          node('orders-api', [ORDERS], true),
          node('orders-worker', [ORDERS], true),
          node('user', []),
        ],
        [edge('user', 'orders-api'), edge('orders-api', 'orders-worker')],
      ),
      entities: [
        { entityRef: ORDERS, services: ['orders-api', 'orders-worker'] },
      ],
      declared: [],
      claimOf,
    });
    expect(result.dependencies!.dependencies).toEqual([]);
    // neither declared nor undeclared: not drawn as an undeclared dependency
    expect(result.edges.map(e => [e.declared, e.observed])).toEqual([
      [undefined, true],
      [undefined, true],
    ]);
  });

  it('compares a system’s components: between them once, and to the outside', () => {
    const result = compareDependencies({
      graph: graphOf(
        [
          node('frontend', [FRONTEND], true),
          node('orders-api', [ORDERS], true),
          node('payments-api', [PAYMENTS]),
        ],
        [
          edge('frontend', 'orders-api', 8),
          edge('orders-api', 'payments-api', 3),
        ],
      ),
      entities: [
        { entityRef: FRONTEND, services: ['frontend'] },
        { entityRef: ORDERS, services: ['orders-api'] },
        // in the system, not instrumented: its declared dependency is drawn from the entity
        { entityRef: 'component:shop/payments-worker', services: [] },
      ],
      declared: [
        { source: FRONTEND, target: ORDERS, via: ['dependsOn'] },
        {
          source: 'component:shop/payments-worker',
          target: PAYMENTS,
          via: ['dependsOn'],
        },
      ],
      claimOf,
    });
    expect(
      result.dependencies!.dependencies.map(r => [
        r.state,
        r.source.entityRef,
        r.target.entityRef,
      ]),
    ).toEqual([
      ['observed-not-declared', ORDERS, PAYMENTS],
      ['declared-not-seen', 'component:shop/payments-worker', PAYMENTS],
      ['declared-and-observed', FRONTEND, ORDERS],
    ]);
    expect(result.nodes.find(n => n.declaredOnly)).toEqual({
      id: 'component:shop/payments-worker',
      isEntityService: true,
      owners: [{ entityRef: 'component:shop/payments-worker' }],
      declaredOnly: true,
    });
    expect(result.edges.at(-1)).toMatchObject({
      source: 'component:shop/payments-worker',
      target: 'payments-api',
      observed: false,
    });
  });
});
