import type { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Route, Routes } from 'react-router-dom';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { tracesApiRef } from './api';
import { TeamTracesTab } from './components/TeamTab';
import { TracesTab } from './components/TracesTab';
import {
  EntityTeamTracesContent,
  EntityTracesContent,
  TracesPage,
  tracesPlugin,
} from './plugin';
import { tracesPageRouteRef } from './routes';
import { fakeTracesApi, traceSummary } from './testing/fakeTracesApi';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders',
    annotations: { 'opentelemetry.io/service-name': 'orders-api' },
  },
  spec: { type: 'service', owner: 'team-orders', lifecycle: 'production' },
};

describe('traces plugin (legacy frontend system)', () => {
  afterEach(() => jest.restoreAllMocks());

  it('registers the client factory under the plugin id', () => {
    expect(tracesPlugin.getId()).toBe('traces');
    expect(EntityTracesContent).toBeInstanceOf(Function);
    expect(EntityTeamTracesContent).toBeInstanceOf(Function);
    expect([...tracesPlugin.getApis()].map(f => f.api)).toEqual([tracesApiRef]);
  });

  // legacy apps have no app history API: the URL state must fall back to React Router
  it('renders the tab and keeps filters in the URL through React Router', async () => {
    jest
      .spyOn(HTMLElement.prototype, 'clientHeight', 'get')
      .mockReturnValue(560);
    const api = fakeTracesApi({
      searchTraces: async request => ({
        query: request.query!,
        traces: [traceSummary(1)],
        start: request.start!,
        end: request.end!,
        limit: request.limit!,
      }),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[tracesApiRef, api]]}>
        <EntityProvider entity={entity}>
          <TracesTab />
        </EntityProvider>
      </TestApiProvider>,
      { routeEntries: ['/catalog/default/component/orders/traces?range=24h'] },
    );

    await screen.findByRole('grid', { name: 'Traces' });
    const request = api.searchTraces.mock.calls.at(-1)![0];
    expect(request.end! - request.start!).toBe(24 * 3600);

    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Errors only' }),
    );
    await waitFor(() =>
      expect(api.searchTraces).toHaveBeenLastCalledWith(
        expect.objectContaining({ query: '{ status = error }' }),
      ),
    );
    expect(screen.getByRole('checkbox', { name: 'Errors only' })).toBeChecked();
  });

  it('renders the team view of a group with its range from the URL', async () => {
    const api = fakeTracesApi();
    await renderInTestApp(
      <TestApiProvider apis={[[tracesApiRef, api]]}>
        <EntityProvider
          entity={{
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Group',
            metadata: { name: 'shop-team' },
            spec: { type: 'team', children: [] },
          }}
        >
          <TeamTracesTab />
        </EntityProvider>
      </TestApiProvider>,
      { routeEntries: ['/catalog/default/group/shop-team/traces?range=6h'] },
    );
    expect(await screen.findByText('No traced components')).toBeInTheDocument();
    const request = api.getTeamTraces.mock.calls.at(-1)![0];
    expect(request.entityRef).toBe('group:default/shop-team');
    expect(request.end! - request.start!).toBe(6 * 3600);
  });

  it('mounts the traces page with its trace and service sub-pages', async () => {
    const api = fakeTracesApi();
    await renderInTestApp(
      <TestApiProvider apis={[[tracesApiRef, api]]}>
        <Routes>
          <Route path="/traces/*" element={<TracesPage />} />
        </Routes>
      </TestApiProvider>,
      {
        routeEntries: ['/traces/services/payments?namespace=shop'],
        mountedRoutes: {
          '/traces': tracesPageRouteRef,
          '/catalog/:namespace/:kind/:name': entityRouteRef,
        },
      },
    );
    expect(
      await screen.findByText(
        'No catalog entity claims the service shop/payments',
      ),
    ).toBeInTheDocument();
    expect(api.getServiceOwners).toHaveBeenCalledWith({
      serviceName: 'payments',
      serviceNamespace: 'shop',
    });
  });
});
