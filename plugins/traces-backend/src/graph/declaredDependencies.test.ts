import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DeclaredDependencyReader } from './declaredDependencies';

const FRONTEND = 'component:default/frontend';
const ORDERS = 'component:default/orders-api';

const frontend: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'frontend', namespace: 'default' },
  relations: [{ type: 'dependsOn', targetRef: ORDERS }],
};
const FRONTEND_ON_ORDERS = {
  source: FRONTEND,
  target: ORDERS,
  via: ['dependsOn'],
};

function readerOn(cacheTtlMs: number) {
  const catalog = catalogServiceMock({ entities: [frontend] });
  const reads = jest.spyOn(catalog, 'getEntitiesByRefs');
  return {
    reader: new DeclaredDependencyReader({ catalog, cacheTtlMs }),
    reads,
  };
}

describe('DeclaredDependencyReader', () => {
  const alice = mockCredentials.user('user:default/alice');
  const bob = mockCredentials.user('user:default/bob');

  it('reads the catalog once per caller and entities within the time to live', async () => {
    const { reader, reads } = readerOn(60_000);
    expect(await reader.read(alice, [FRONTEND, ORDERS])).toEqual([
      FRONTEND_ON_ORDERS,
    ]);
    // The same entities in another order and repeated: the same read.
    expect(await reader.read(alice, [ORDERS, FRONTEND, ORDERS])).toEqual([
      FRONTEND_ON_ORDERS,
    ]);
    expect(reads).toHaveBeenCalledTimes(1);
    // Another caller reads with their own credentials.
    await reader.read(bob, [FRONTEND, ORDERS]);
    expect(reads).toHaveBeenCalledTimes(2);
    expect(reads.mock.calls[1][1]).toEqual({ credentials: bob });
    // Other entities are another read.
    await reader.read(alice, [FRONTEND]);
    expect(reads).toHaveBeenCalledTimes(3);
  });

  it('shares one read between concurrent requests', async () => {
    const { reader, reads } = readerOn(60_000);
    const answers = await Promise.all([
      reader.read(alice, [FRONTEND]),
      reader.read(alice, [FRONTEND]),
    ]);
    expect(answers).toEqual([[FRONTEND_ON_ORDERS], [FRONTEND_ON_ORDERS]]);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('does not keep a failed read', async () => {
    const { reader, reads } = readerOn(60_000);
    reads.mockRejectedValueOnce(new Error('catalog unavailable'));
    await expect(reader.read(alice, [FRONTEND])).rejects.toThrow(
      'catalog unavailable',
    );
    expect(await reader.read(alice, [FRONTEND])).toEqual([FRONTEND_ON_ORDERS]);
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('reads every time when the time to live is 0', async () => {
    const { reader, reads } = readerOn(0);
    await reader.read(alice, [FRONTEND]);
    await reader.read(alice, [FRONTEND]);
    expect(reads).toHaveBeenCalledTimes(2);
  });
});
