import type { Entity } from '@backstage/catalog-model';
import { ApiBlueprint, coreApis } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import plugin, {
  entityTeamTracesContent,
  entitySystemDependenciesContent,
  entityTracesContent,
  tracesApi,
} from './alpha';
import { tracesApiRef } from './api';
import { TracesClient } from './api';
import { fakeTracesApi } from './testing/fakeTracesApi';

function entity(annotations: Record<string, string> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders', annotations },
    spec: { type: 'service', owner: 'team-orders', lifecycle: 'production' },
  };
}

describe('traces plugin (new frontend system)', () => {
  it('declares the tab as observability content at /traces', () => {
    const tester = createExtensionTester(entityTracesContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Traces');
    expect(tester.get(EntityContentBlueprint.dataRefs.group)).toBe(
      'observability',
    );
    expect(plugin.pluginId).toBe('traces');
  });

  it('filters on the service-name annotation, dots and slash included', () => {
    const filter = createExtensionTester(entityTracesContent).get(
      EntityContentBlueprint.dataRefs.filterFunction,
    )!;
    expect(
      filter(entity({ 'opentelemetry.io/service-name': 'orders-api' })),
    ).toBe(true);
    expect(filter(entity())).toBe(false);
    expect(
      filter(entity({ 'opentelemetry.io/service-namespace': 'shop' })),
    ).toBe(false);
  });

  it('puts the team view on Group entities only, at /traces', () => {
    const tester = createExtensionTester(entityTeamTracesContent);
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter({ ...entity(), kind: 'Group' })).toBe(true);
    expect(
      filter(entity({ 'opentelemetry.io/service-name': 'orders-api' })),
    ).toBe(false);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Traces');
  });

  it('renders the tab for an annotated entity', async () => {
    const api = fakeTracesApi();
    renderTestApp({
      extensions: [
        createTestEntityPage({
          entity: entity({ 'opentelemetry.io/service-name': 'orders-api' }),
        }),
        entityTracesContent,
      ],
      apis: [[tracesApiRef, api]],
    });

    expect(
      await screen.findByRole('tab', { name: 'Traces' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('region', { name: 'Span rate' }),
    ).toBeInTheDocument();
    expect(api.searchTraces).toHaveBeenCalledWith(
      expect.objectContaining({ entityRef: 'component:default/orders' }),
    );
  });

  it('leaves the tab out for an entity without the annotation', async () => {
    const api = fakeTracesApi();
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: entity() }),
        entityTracesContent,
      ],
      apis: [[tracesApiRef, api]],
    });

    expect(await screen.findByTestId('empty-entity-page')).toBeInTheDocument();
    expect(
      screen.queryByRole('tab', { name: 'Traces' }),
    ).not.toBeInTheDocument();
    expect(api.health).not.toHaveBeenCalled();
  });

  it('adds the traced dependencies tab to System entities only', async () => {
    const filter = createExtensionTester(entitySystemDependenciesContent).get(
      EntityContentBlueprint.dataRefs.filterFunction,
    )!;
    expect(filter({ ...entity(), kind: 'System' })).toBe(true);
    expect(
      filter(entity({ 'opentelemetry.io/service-name': 'orders-api' })),
    ).toBe(false);

    const api = fakeTracesApi({
      getServiceGraph: jest.fn(async request => ({
        source: 'traces' as const,
        sampledTraces: 3,
        start: request.start ?? 0,
        end: request.end ?? 0,
        nodes: [
          { id: 'orders-api', isEntityService: true, owners: [] },
          { id: 'payments-api', isEntityService: false, owners: [] },
        ],
        edges: [
          {
            source: 'orders-api',
            target: 'payments-api',
            requestCount: 4,
            errorCount: 0,
            declared: false,
            observed: true,
          },
        ],
        dependencies: {
          entityRefs: ['component:default/orders-api'],
          dependencies: [
            {
              state: 'observed-not-declared' as const,
              source: {
                entityRef: 'component:default/orders-api',
                services: ['orders-api'],
              },
              target: { services: ['payments-api'] },
              requestCount: 4,
              errorCount: 0,
            },
          ],
          notSeen: [],
        },
      })),
    });
    renderTestApp({
      extensions: [
        createTestEntityPage({
          entity: {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'System',
            metadata: { name: 'shop', namespace: 'default' },
            spec: { owner: 'team-orders' },
          },
        }),
        entitySystemDependenciesContent,
      ],
      apis: [[tracesApiRef, api]],
    });
    expect(
      createExtensionTester(entitySystemDependenciesContent).get(
        EntityContentBlueprint.dataRefs.title,
      ),
    ).toBe('Traced dependencies');
    expect(
      await screen.findByText('in this system', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(api.getServiceGraph).toHaveBeenCalledWith(
      expect.objectContaining({ entityRef: 'system:default/shop' }),
    );
  });

  it('provides a TracesClient built on discovery and fetch', async () => {
    const factory = createExtensionTester(tracesApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api).toBe(tracesApiRef);
    expect(Object.values(factory.deps)).toEqual(
      expect.arrayContaining([coreApis.discovery, coreApis.fetch]),
    );
    const fetchApi = mockApis.fetch({ baseImplementation: jest.fn() });
    const client = factory.factory({
      discoveryApi: { getBaseUrl: async () => 'http://x/api/traces' },
      fetchApi,
    });
    expect(client).toBeInstanceOf(TracesClient);
  });
});
