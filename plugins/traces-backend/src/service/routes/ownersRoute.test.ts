import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { startTracesBackend } from '../../__testUtils__/startTracesBackend';

describe('GET /api/traces/services/:serviceName/owners', () => {
  it('answers the entities that claim the service, with their owners', async () => {
    const app = await startTracesBackend();
    const res = await request(app).get(
      '/api/traces/services/orders-worker/owners?namespace=shop',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      serviceName: 'orders-worker',
      serviceNamespace: 'shop',
      owners: [
        {
          entityRef: 'component:default/orders-api',
          owner: 'group:default/shop-team',
        },
      ],
    });
  });

  it('answers no owners for a service nobody claims', async () => {
    const app = await startTracesBackend();
    const res = await request(app).get('/api/traces/services/unknown/owners');
    expect(res.status).toBe(200);
    expect(res.body.owners).toEqual([]);
  });

  it('leaves out claimants the caller may not read in the catalog', async () => {
    const claimant = (name: string): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        annotations: { 'opentelemetry.io/service-name': 'checkout' },
      },
      spec: { owner: `group:default/${name}-team` },
    });
    const base = catalogServiceMock({
      entities: [claimant('checkout'), claimant('checkout-secret')],
    });
    const hidden = 'component:default/checkout-secret';
    const readAll = base.getEntitiesByRefs.bind(base);
    base.getEntitiesByRefs = async (req, options) => {
      const { items } = await readAll(req, options);
      return {
        items: items.map((item, i) =>
          req.entityRefs[i] === hidden ? undefined : item,
        ),
      };
    };
    const catalog = createServiceFactory({
      service: catalogServiceRef,
      deps: {},
      factory: () => base,
    });
    const app = await startTracesBackend({ catalog });
    const res = await request(app).get('/api/traces/services/checkout/owners');
    expect(res.status).toBe(200);
    expect(res.body.owners).toEqual([
      {
        entityRef: 'component:default/checkout',
        owner: 'group:default/checkout-team',
      },
    ]);
  });

  it('needs Backstage credentials', async () => {
    const app = await startTracesBackend();
    const res = await request(app)
      .get('/api/traces/services/orders-api/owners')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });
});
