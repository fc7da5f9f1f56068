import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { ServiceGraphResponse } from '@backstage-traces/plugin-traces-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { tracesApiRef } from '../../api';
import { fakeTracesApi } from '../../testing/fakeTracesApi';
import { ServiceGraph } from './ServiceGraph';

const RANGE = { start: 1_763_640_000, end: 1_763_643_600 };
const ORDERS = 'component:shop/orders-api';
const FRONTEND = 'component:shop/frontend';
const INVENTORY = 'component:shop/inventory-api';

/** orders-api: called by frontend (declared), calls redis (not declared), inventory declared but silent. */
const graph: ServiceGraphResponse = {
  source: 'traces',
  sampledTraces: 50,
  ...RANGE,
  nodes: [
    {
      id: 'orders-api',
      isEntityService: true,
      owners: [{ entityRef: ORDERS }],
    },
    {
      id: 'frontend',
      isEntityService: false,
      owners: [{ entityRef: FRONTEND }],
    },
    { id: 'redis', isEntityService: false, owners: [] },
    {
      id: 'inventory-api',
      isEntityService: false,
      owners: [{ entityRef: INVENTORY }],
      declaredOnly: true,
    },
  ],
  edges: [
    {
      source: 'frontend',
      target: 'orders-api',
      requestCount: 7200,
      errorCount: 72,
      lastSeen: RANGE.end - 120,
      declared: true,
      observed: true,
    },
    {
      source: 'orders-api',
      target: 'redis',
      requestCount: 360,
      errorCount: 0,
      lastSeen: RANGE.end - 30,
      declared: false,
      observed: true,
    },
    {
      source: 'orders-api',
      target: 'inventory-api',
      requestCount: 0,
      errorCount: 0,
      declared: true,
      observed: false,
    },
  ],
  dependencies: {
    entityRefs: [ORDERS],
    dependencies: [
      {
        state: 'observed-not-declared',
        source: { entityRef: ORDERS, services: ['orders-api'] },
        target: { services: ['redis'] },
        requestCount: 360,
        errorCount: 0,
        lastSeen: RANGE.end - 30,
      },
      {
        state: 'declared-not-seen',
        source: { entityRef: ORDERS, services: ['orders-api'] },
        target: { entityRef: INVENTORY, services: ['inventory-api'] },
        declaredVia: ['dependsOn'],
        requestCount: 0,
        errorCount: 0,
      },
      {
        state: 'declared-and-observed',
        source: { entityRef: FRONTEND, services: ['frontend'] },
        target: { entityRef: ORDERS, services: ['orders-api'] },
        declaredVia: ['api:shop/orders-http'],
        requestCount: 7200,
        errorCount: 72,
        lastSeen: RANGE.end - 120,
      },
    ],
    notSeen: [],
  },
};
graph.dependencies!.notSeen = [graph.dependencies!.dependencies[1]];

function render(response: ServiceGraphResponse) {
  renderInTestApp(<ServiceGraph entityRef={ORDERS} range={RANGE} />, {
    apis: [
      [tracesApiRef, fakeTracesApi({ getServiceGraph: async () => response })],
    ],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

describe('declared against observed dependencies', () => {
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue((RANGE.end + 60) * 1000);
  });
  afterEach(() => jest.restoreAllMocks());

  it('draws each edge in the style of its state and explains the styles in a legend', async () => {
    render(graph);
    const legend = await screen.findByRole('list', {
      name: 'Dependency legend',
    });
    expect(
      within(legend)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual([
      'Observed, not declared (1)',
      'Declared, not seen (1)',
      'Declared and observed (1)',
    ]);

    const declared = screen.getByTestId('edge-frontend->orders-api');
    expect(declared).toHaveAttribute(
      'data-dependency',
      'declared-and-observed',
    );
    expect(declared.querySelectorAll('path')).toHaveLength(1);
    expect(declared.querySelector('path')).not.toHaveAttribute(
      'stroke-dasharray',
    );

    const undeclared = screen.getByTestId('edge-orders-api->redis');
    expect(undeclared).toHaveAttribute(
      'data-dependency',
      'observed-not-declared',
    );
    // the halo under the edge
    expect(undeclared.querySelectorAll('path')).toHaveLength(2);
    expect(undeclared).toHaveTextContent('not declared');
    expect(undeclared.querySelector('title')).toHaveTextContent(
      'orders-api → redis: 360 calls · 0% errors · not declared in the catalog',
    );

    const silent = screen.getByTestId('edge-orders-api->inventory-api');
    expect(silent).toHaveAttribute('data-dependency', 'declared-not-seen');
    expect(silent.querySelector('path')).toHaveAttribute(
      'stroke-dasharray',
      '6 5',
    );
    expect(silent).toHaveTextContent('declared, not seen');
  });

  it('lists every dependency with its state, calls, rate, last call and a link to the other entity', async () => {
    render(graph);
    const table = await screen.findByRole('table', {
      name: 'Declared and observed dependencies',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(
      rows.map(row =>
        within(row)
          .getAllByRole('cell')
          .map(cell => cell.textContent),
      ),
    ).toEqual([
      [
        'Observed, not declared',
        'Depends on',
        'redis (not in the catalog)',
        '–',
        '360',
        '0',
        '0.1/s',
        '1 minute ago',
      ],
      [
        'Declared, not seen',
        'Depends on',
        'shop/inventory-api',
        'dependsOn',
        '–',
        '–',
        '–',
        'not in this range',
      ],
      [
        'Declared and observed',
        'Dependent',
        'shop/frontend',
        'shop/orders-http',
        '7.2k',
        '72',
        '2/s',
        '3 minutes ago',
      ],
    ]);
    expect(
      within(rows[1]).getByRole('link', { name: 'shop/inventory-api' }),
    ).toHaveAttribute('href', '/catalog/shop/component/inventory-api');
    expect(
      within(rows[2]).getByRole('link', { name: 'shop/frontend' }),
    ).toHaveAttribute('href', '/catalog/shop/component/frontend');
    expect(
      within(rows[2]).getByRole('link', { name: 'shop/orders-http' }),
    ).toHaveAttribute('href', '/catalog/shop/api/orders-http');
    expect(
      screen.getByText(
        /1 declared and observed · 1 observed, not declared · 1 declared, not seen/,
      ),
    ).toBeInTheDocument();
  });

  it('names both sides for a system’s components, and keeps silent declared edges out of the calls table', async () => {
    render({
      ...graph,
      dependencies: { ...graph.dependencies!, entityRefs: [ORDERS, FRONTEND] },
    });
    const table = await screen.findByRole('table', {
      name: 'Declared and observed dependencies',
    });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual(expect.arrayContaining(['From', 'To']));

    await userEvent.click(screen.getByRole('button', { name: 'Table' }));
    const calls = screen.getByRole('table', { name: 'Calls between services' });
    expect(within(calls).getAllByRole('row')).toHaveLength(3); // header + two calls
    expect(
      screen.queryByRole('list', { name: 'Dependency legend' }),
    ).not.toBeInTheDocument();
  });

  it('draws declared dependencies even when no calls were seen at all', async () => {
    render({
      ...graph,
      nodes: [
        graph.nodes[0],
        graph.nodes[3],
        {
          id: 'resource:shop/orders-db',
          isEntityService: false,
          owners: [{ entityRef: 'resource:shop/orders-db' }],
          declaredOnly: true,
        },
      ],
      edges: [
        graph.edges[2],
        {
          source: 'orders-api',
          target: 'resource:shop/orders-db',
          requestCount: 0,
          errorCount: 0,
          declared: true,
          observed: false,
        },
      ],
      dependencies: {
        entityRefs: [ORDERS],
        dependencies: [graph.dependencies!.dependencies[1]],
        notSeen: [graph.dependencies!.dependencies[1]],
      },
    });
    expect(await screen.findByText('No calls observed')).toBeInTheDocument();
    // an entity that names no service: named by its ref, said to be unseen
    const db = screen.getByRole('group', {
      name: 'Service resource:shop/orders-db',
    });
    expect(
      within(db).getAllByTitle('resource:shop/orders-db')[0],
    ).toHaveTextContent(/^shop\/orders-db$/);
    expect(within(db).getByText('declared, no calls seen')).toBeInTheDocument();
    expect(
      screen.getByTestId('edge-orders-api->inventory-api'),
    ).toHaveAttribute('data-dependency', 'declared-not-seen');
  });
});
