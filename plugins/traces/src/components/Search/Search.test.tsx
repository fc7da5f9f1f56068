import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  MockSearchApi,
  searchApiRef,
  SearchContextProvider,
} from '@backstage/plugin-search-react';
import type { TracesSearchDocument } from '@backstage-traces/plugin-traces-common';
import { screen, within } from '@testing-library/react';
import { tracesPageRouteRef } from '../../routes';
import {
  TraceIdSearchSuggestion,
  traceIdOfSearchTerm,
} from './TraceIdSearchSuggestion';
import { TracesSearchResultListItem } from './TracesSearchResultListItem';

const DOC: TracesSearchDocument = {
  title: 'shop/orders-api',
  text: '',
  location: '/catalog/default/component/orders/traces',
  serviceName: 'orders-api',
  serviceNamespace: 'shop',
  entityRef: 'component:default/orders',
  entityTitle: 'Orders',
  owner: 'group:default/shop-team',
  spanNames: ['GET /api/orders/{id}'],
  httpRoutes: ['/a', '/b', '/c', '/d', '/e', '/api/orders/{id}'],
  requestRate: 12.34,
  errorRate: 0.25,
  lookbackMinutes: 60,
  authorization: { resourceRef: 'component:default/orders' },
};

const mountedRoutes = {
  '/traces': tracesPageRouteRef,
  '/catalog/:namespace/:kind/:name': entityRouteRef,
};

describe('TracesSearchResultListItem', () => {
  it('shows the service, its entity and owner, routes and rates, linked to the Traces tab', async () => {
    await renderInTestApp(<TracesSearchResultListItem result={DOC} />, {
      mountedRoutes,
    });
    expect(
      await screen.findByRole('link', { name: 'shop/orders-api' }),
    ).toHaveAttribute('href', '/catalog/default/component/orders/traces');
    expect(
      screen.getByText(/12 req\/s · 2 % errors \(last 60 min\)/),
    ).toBeInTheDocument();
    const routes = screen.getByRole('list', { name: 'HTTP routes' });
    expect(within(routes).getByText('/a')).toBeInTheDocument();
    expect(within(routes).queryByText('/api/orders/{id}')).toBeNull();
    expect(within(routes).getByText('+1 more')).toBeInTheDocument();
  });

  it('leaves rates out when they were not indexed', async () => {
    await renderInTestApp(
      <TracesSearchResultListItem
        result={
          {
            ...DOC,
            requestRate: undefined,
            errorRate: undefined,
          } as TracesSearchDocument
        }
      />,
      { mountedRoutes },
    );
    await screen.findByRole('link', { name: 'shop/orders-api' });
    expect(screen.queryByText(/req\/s/)).toBeNull();
  });
});

describe('trace IDs in the search box', () => {
  it.each([
    ['f067aa0ba902b7d0c6e1b8e4f3a2c1', '00f067aa0ba902b7d0c6e1b8e4f3a2c1'],
    [' 4BF92F3577B34DA6A3CE929D0E0E4736 ', '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['abc123', '00000000000000000000000000abc123'],
  ])('reads %j as a trace ID', (term, id) => {
    expect(traceIdOfSearchTerm(term)).toBe(id);
  });

  it.each(['cafe', 'add', 'orders api', '', '/api/orders/{id}'])(
    'does not read %j as one',
    term => expect(traceIdOfSearchTerm(term)).toBeUndefined(),
  );

  it('offers to open the trace a pasted ID names', async () => {
    await renderInTestApp(
      <SearchContextProvider
        initialState={{
          term: 'f067aa0ba902b7d0c6e1b8e4f3a2c1',
          types: [],
          filters: {},
        }}
      >
        <TraceIdSearchSuggestion />
      </SearchContextProvider>,
      { mountedRoutes, apis: [[searchApiRef, new MockSearchApi()]] },
    );
    expect(
      await screen.findByRole('link', { name: /Open trace/ }),
    ).toHaveAttribute('href', '/traces/trace/00f067aa0ba902b7d0c6e1b8e4f3a2c1');
  });
});
