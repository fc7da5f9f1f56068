import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ServiceOwnerResolver } from './ServiceOwnerResolver';

function component(
  name: string,
  annotations: Record<string, string>,
  owner = 'group:default/team',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner },
  };
}

describe('ServiceOwnerResolver', () => {
  const entities = [
    component(
      'checkout',
      { 'opentelemetry.io/service-name': 'checkout, checkout-worker' },
      'group:default/payments',
    ),
    component(
      'checkout-v2',
      { 'opentelemetry.io/service-name': 'checkout' },
      'group:default/payments-next',
    ),
    component('orders', {
      'opentelemetry.io/service-name': 'orders',
      'opentelemetry.io/service-namespace': 'shop',
    }),
    component('unrelated', {}),
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'orders-db',
        namespace: 'default',
        title: 'Orders database',
        annotations: {
          'backstage-traces.io/peer-names':
            'orders-db, shop, orders-db.shop.svc.cluster.local',
        },
      },
      spec: { type: 'database', owner: 'group:default/shop-team' },
    },
  ];

  function resolver(options: { ttlMs?: number; catalog?: any } = {}) {
    return new ServiceOwnerResolver({
      catalog: options.catalog ?? catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      ttlMs: options.ttlMs,
    });
  }

  it('maps every peer name an entity claims to one node named by the first', async () => {
    const lookup = await resolver().lookup();
    const claim = {
      node: 'orders-db',
      owner: {
        entityRef: 'resource:default/orders-db',
        title: 'Orders database',
        owner: 'group:default/shop-team',
      },
    };
    expect(lookup.peerOf('shop')).toEqual(claim);
    expect(lookup.peerOf('orders-db.shop.svc.cluster.local')).toEqual(claim);
    expect(lookup.peerOf('orders-db')).toEqual(claim);
    expect(lookup.peerOf('checkout')).toBeUndefined();
    // A peer claim is not a service claim.
    expect(lookup.ownersOf('orders-db')).toEqual([]);
  });

  it('lists every entity claiming a service, with its owner', async () => {
    const lookup = await resolver().lookup();
    expect(lookup.ownersOf('checkout')).toEqual([
      {
        entityRef: 'component:default/checkout',
        owner: 'group:default/payments',
      },
      {
        entityRef: 'component:default/checkout-v2',
        owner: 'group:default/payments-next',
      },
    ]);
    expect(lookup.ownersOf('checkout-worker')).toEqual([
      {
        entityRef: 'component:default/checkout',
        owner: 'group:default/payments',
      },
    ]);
    expect(lookup.ownersOf('nobody')).toEqual([]);
  });

  it('matches namespaced claims only within their namespace', async () => {
    const lookup = await resolver().lookup();
    expect(lookup.ownersOf('orders', 'shop')).toEqual([
      { entityRef: 'component:default/orders', owner: 'group:default/team' },
    ]);
    expect(lookup.ownersOf('orders', 'other')).toEqual([]);
    expect(lookup.ownersOf('orders')).toEqual([]);
  });

  it('caches the mapping and refreshes it after the TTL', async () => {
    const catalog = catalogServiceMock({ entities });
    const getEntities = jest.spyOn(catalog, 'getEntities');
    const cached = resolver({ catalog, ttlMs: 60_000 });
    await cached.lookup();
    await cached.lookup();
    expect(getEntities).toHaveBeenCalledTimes(1);

    const expiring = resolver({ catalog, ttlMs: 0 });
    await expiring.lookup();
    await expiring.lookup();
    expect(getEntities).toHaveBeenCalledTimes(3);
  });

  it('keeps the last good mapping when the catalog fails', async () => {
    const catalog = catalogServiceMock({ entities });
    const subject = resolver({ catalog, ttlMs: 0 });
    await subject.lookup();
    jest
      .spyOn(catalog, 'getEntities')
      .mockRejectedValue(new Error('catalog down'));
    const lookup = await subject.lookup();
    expect(lookup.ownersOf('checkout-worker')).toHaveLength(1);
  });
});
