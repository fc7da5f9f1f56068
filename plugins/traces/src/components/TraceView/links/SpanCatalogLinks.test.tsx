import type { Entity } from '@backstage/catalog-model';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  ScmIntegrationsApi,
  scmIntegrationsApiRef,
} from '@backstage/integration-react';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import { SpanCatalogLinks } from './SpanCatalogLinks';

function component(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders-api', namespace: 'default', annotations },
    spec: { type: 'service', owner: 'group:default/shop-team' },
  };
}

const SOURCE = {
  'backstage.io/source-location':
    'url:https://github.com/acme/shop/tree/main/services/orders/',
};

function render(
  props: {
    span?: Record<string, unknown>;
    resource?: Record<string, unknown>;
    ownerRef?: string;
  },
  entity: Entity,
) {
  const catalogApi = catalogApiMock.mock({
    getEntityByRef: jest.fn(async () => entity),
  });
  renderInTestApp(
    <SpanCatalogLinks
      spanAttributes={props.span ?? {}}
      resourceAttributes={props.resource ?? {}}
      ownerRef={
        'ownerRef' in props ? props.ownerRef : 'component:default/orders-api'
      }
    />,
    {
      apis: [
        [catalogApiRef, catalogApi],
        [
          scmIntegrationsApiRef,
          ScmIntegrationsApi.fromConfig(mockApis.config()),
        ],
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
  return catalogApi;
}

describe('SpanCatalogLinks', () => {
  it('links the span’s file and line in the owner’s repository', async () => {
    render(
      {
        span: {
          'code.file.path': '/builds/shop/services/orders/src/orders.js',
          'code.line.number': 42,
          'code.function.name': 'createOrder',
        },
      },
      component(SOURCE),
    );
    const link = await screen.findByRole('link', { name: /^orders\.js:42/ });
    expect(link).toHaveAttribute(
      'href',
      'https://github.com/acme/shop/tree/main/services/orders/src/orders.js#L42',
    );
    expect(screen.getByText('createOrder')).toBeInTheDocument();
  });

  it('reads the older attributes and the entity’s path prefix', async () => {
    render(
      { span: { 'code.filepath': '/app/lib/pay.js', 'code.lineno': 7 } },
      component({
        ...SOURCE,
        'backstage-traces.io/source-path-prefix': '/app',
      }),
    );
    expect(
      await screen.findByRole('link', { name: /^pay\.js:7/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/shop/tree/main/services/orders/lib/pay.js#L7',
    );
  });

  it('shows the location unlinked when the entity has no source location', async () => {
    const catalogApi = render(
      { span: { 'code.filepath': 'src/orders.js', 'code.lineno': 3 } },
      component({}),
    );
    expect(await screen.findByText('orders.js:3')).toBeInTheDocument();
    expect(catalogApi.getEntityByRef).toHaveBeenCalledWith(
      'component:default/orders-api',
    );
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });

  it('links the workload to the entity’s Kubernetes tab when it has one', async () => {
    render(
      {
        resource: {
          'k8s.pod.name': 'orders-7d9',
          'k8s.namespace.name': 'shop',
        },
      },
      component({ 'backstage.io/kubernetes-id': 'orders-api' }),
    );
    expect(
      await screen.findByRole('link', { name: 'Kubernetes tab' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/orders-api/kubernetes',
    );
    expect(
      screen.getByText(/pod orders-7d9 · namespace shop/),
    ).toBeInTheDocument();
  });

  it('names the workload without a link when the entity has no Kubernetes tab', async () => {
    render(
      { resource: { 'k8s.deployment.name': 'orders' } },
      component(SOURCE),
    );
    expect(await screen.findByText('deployment orders')).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'Kubernetes tab' }),
    ).not.toBeInTheDocument();
  });

  it('renders nothing and reads no entity for spans without code or Kubernetes attributes', async () => {
    const catalogApi = render(
      { span: { 'http.route': '/orders' } },
      component(SOURCE),
    );
    expect(
      screen.queryByRole('term', { name: 'Code' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByText('Code')).not.toBeInTheDocument();
    expect(catalogApi.getEntityByRef).not.toHaveBeenCalled();
  });
});
