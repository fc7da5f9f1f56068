import type { Server } from 'node:http';
import type { Entity } from '@backstage/catalog-model';
import type {
  BackendFeature,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import { tracesPlugin } from '../plugin';

export const TEMPO_URL = 'http://tempo.test:3200';

export const TEMPO_CONFIG = {
  traces: {
    tempo: { baseUrl: TEMPO_URL, auth: { bearerToken: 's3cr3t-token' } },
  },
};

function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/shop-team',
    },
  };
}

/** Catalog entities matching the services in the real Tempo fixtures. */
export const ENTITIES: Entity[] = [
  component('frontend', { 'opentelemetry.io/service-name': 'frontend' }),
  component('orders-api', {
    'opentelemetry.io/service-name': 'orders-api, orders-worker',
    'opentelemetry.io/service-namespace': 'shop',
    'grafana.com/tempo-tenant': 'team-shop',
  }),
  component('billing', { 'opentelemetry.io/service-name': 'billing' }),
  component('no-traces', {}),
];

export async function startTracesBackend(
  options: {
    config?: JsonObject;
    entities?: Entity[];
    /** Replaces the catalog built from `entities`. */
    catalog?: ServiceFactory;
    extraFeatures?: BackendFeature[];
  } = {},
): Promise<Server> {
  const { server } = await startTestBackend({
    features: [
      tracesPlugin,
      mockServices.rootConfig.factory({ data: options.config ?? TEMPO_CONFIG }),
      options.catalog ??
        catalogServiceMock.factory({ entities: options.entities ?? ENTITIES }),
      ...(options.extraFeatures ?? []),
    ],
  });
  return server;
}
