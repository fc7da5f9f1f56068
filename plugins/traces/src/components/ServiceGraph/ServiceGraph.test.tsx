import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { ServiceGraphResponse } from '@backstage-traces/plugin-traces-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { tracesApiRef } from '../../api';
import { fakeTracesApi } from '../../testing/fakeTracesApi';
import { ServiceGraph } from './ServiceGraph';

const RANGE = { start: 1_763_640_000, end: 1_763_643_600 };

const graph: ServiceGraphResponse = {
  source: 'prometheus',
  start: RANGE.start,
  end: RANGE.end,
  nodes: [
    {
      id: 'orders-api',
      isEntityService: true,
      owners: [
        {
          entityRef: 'component:default/orders',
          owner: 'group:default/team-orders',
        },
      ],
    },
    {
      id: 'web-shop',
      isEntityService: false,
      owners: [{ entityRef: 'component:default/web-shop', owner: 'team-web' }],
    },
    { id: 'payments', isEntityService: false, owners: [] },
  ],
  edges: [
    {
      source: 'web-shop',
      target: 'orders-api',
      requestCount: 12000,
      errorCount: 24,
      latencyP50Ms: 20,
      latencyP95Ms: 180,
      latencyP99Ms: 420,
    },
    {
      source: 'orders-api',
      target: 'payments',
      requestCount: 800,
      errorCount: 96,
      latencyP95Ms: 1250,
    },
  ],
};

function render(response: ServiceGraphResponse) {
  const api = fakeTracesApi({ getServiceGraph: async () => response });
  renderInTestApp(
    <ServiceGraph entityRef="component:default/orders" range={RANGE} />,
    {
      apis: [[tracesApiRef, api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
  return api;
}

describe('ServiceGraph', () => {
  it('draws callers, the entity service and callees with their owners', async () => {
    const api = render(graph);

    const orders = await screen.findByRole('group', {
      name: 'Service orders-api',
    });
    expect(within(orders).getByText('this entity')).toBeInTheDocument();
    expect(
      within(orders).getByRole('link', { name: 'orders' }),
    ).toHaveAttribute('href', '/catalog/default/component/orders');
    expect(
      within(orders).getByRole('link', { name: /team-orders/ }),
    ).toHaveAttribute('href', '/catalog/default/group/team-orders');

    // a short owner ref is read as a group in the default namespace
    const web = screen.getByRole('group', { name: 'Service web-shop' });
    expect(within(web).getByRole('link', { name: /team-web/ })).toHaveAttribute(
      'href',
      '/catalog/default/group/team-web',
    );

    const payments = screen.getByRole('group', { name: 'Service payments' });
    expect(
      within(payments).getByText('Not claimed by any catalog entity'),
    ).toBeInTheDocument();

    expect(
      screen.getByText(
        /From Tempo metrics-generator service graph metrics · 1 caller, 1 downstream service/,
      ),
    ).toBeInTheDocument();
    expect(api.getServiceGraph).toHaveBeenCalledWith({
      entityRef: 'component:default/orders',
      ...RANGE,
      depth: 1,
    });
  });

  it('asks for further hops upstream and downstream when the user picks a depth', async () => {
    const api = render(graph);
    await screen.findByRole('group', { name: 'Service orders-api' });
    const hops = screen.getByRole('group', {
      name: 'Hops upstream and downstream',
    });
    expect(within(hops).getByRole('button', { name: '1 hop' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );

    await userEvent.click(within(hops).getByRole('button', { name: '3 hops' }));
    await waitFor(() =>
      expect(api.getServiceGraph).toHaveBeenLastCalledWith({
        entityRef: 'component:default/orders',
        ...RANGE,
        depth: 3,
      }),
    );
    expect(
      await screen.findByRole('button', { name: '3 hops', pressed: true }),
    ).toBeInTheDocument();
  });

  it('labels edges with calls, error rate and p95, highlighting error-heavy ones', async () => {
    render(graph);
    await screen.findByRole('group', { name: 'Service orders-api' });

    const inbound = screen.getByTestId('edge-web-shop->orders-api');
    expect(inbound).toHaveTextContent('12k calls · 0.2% err');
    expect(inbound).toHaveTextContent('p95 180ms');
    expect(inbound.querySelector('path')).toHaveAttribute(
      'marker-end',
      'url(#traces-arrow-ok)',
    );

    const outbound = screen.getByTestId('edge-orders-api->payments');
    expect(outbound).toHaveTextContent('800 calls · 12% err');
    expect(outbound).toHaveTextContent('p95 1.25s');
    expect(outbound.querySelector('path')).toHaveAttribute(
      'marker-end',
      'url(#traces-arrow-error)',
    );
    expect(outbound.querySelector('title')).toHaveTextContent(
      'orders-api → payments: 800 calls · 12% errors · p95 1.25s',
    );
  });

  it('lists the calls as a table, worst error rate first', async () => {
    render(graph);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Table' }));

    const table = screen.getByRole('table', { name: 'Calls between services' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(
      rows.map(r =>
        within(r)
          .getAllByRole('cell')
          .map(c => c.textContent),
      ),
    ).toEqual([
      ['orders-api', 'payments', '800', '96', '12%', '–', '1.25s', '–'],
      ['web-shop', 'orders-api', '12k', '24', '0.2%', '20ms', '180ms', '420ms'],
    ]);
  });

  it('says when the graph was built from sampled traces, and when there are no calls', async () => {
    render({
      ...graph,
      source: 'traces',
      sampledTraces: 50,
      nodes: [graph.nodes[0]],
      edges: [],
    });
    expect(
      await screen.findByText(/From 50 sampled traces/),
    ).toBeInTheDocument();
    expect(screen.getByText('No calls observed')).toBeInTheDocument();
  });

  it('follows a first answer from part of the sample up for the whole sample', async () => {
    const api = fakeTracesApi({
      getServiceGraph: jest
        .fn()
        .mockResolvedValueOnce({
          ...graph,
          source: 'traces',
          sampledTraces: 20,
          pendingTraces: 30,
        })
        .mockResolvedValue({ ...graph, source: 'traces', sampledTraces: 50 }),
    });
    renderInTestApp(
      <ServiceGraph entityRef="component:default/orders" range={RANGE} />,
      {
        apis: [[tracesApiRef, api]],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByText(/From 20 sampled traces, 30 more loading/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/From 50 sampled traces \(/),
    ).toBeInTheDocument();
    expect(api.getServiceGraph).toHaveBeenCalledTimes(2);
  });

  it('zooms a graph wider than its container to fit, and offers full size', async () => {
    const width = jest
      .spyOn(Element.prototype, 'clientWidth', 'get')
      .mockReturnValue(300);
    (globalThis as any).ResizeObserver = class {
      observe() {}
      disconnect() {}
    };
    try {
      render(graph);
      const canvas = await screen.findByTestId('service-graph-canvas');
      await waitFor(() =>
        expect(canvas.style.transform).toMatch(/^scale\(0\.\d+\)$/),
      );
      await userEvent.click(screen.getByRole('button', { name: 'Full size' }));
      expect(canvas.style.transform).toBe('');
      expect(
        screen.getByRole('button', { name: 'Zoom to fit' }),
      ).toBeInTheDocument();
    } finally {
      width.mockRestore();
      delete (globalThis as any).ResizeObserver;
    }
  });

  it('pans the full-size graph by dragging it with the mouse', async () => {
    const width = jest
      .spyOn(Element.prototype, 'clientWidth', 'get')
      .mockReturnValue(300);
    (globalThis as any).ResizeObserver = class {
      observe() {}
      disconnect() {}
    };
    try {
      render(graph);
      const viewport = await screen.findByTestId('service-graph-viewport');
      await waitFor(() =>
        expect(
          screen.getByRole('button', { name: 'Full size' }),
        ).toBeInTheDocument(),
      );
      // Zoomed to fit there is nothing to pan: a drag does not scroll.
      fireEvent.pointerDown(viewport, {
        button: 0,
        clientX: 200,
        clientY: 100,
      });
      fireEvent.pointerMove(viewport, { clientX: 120, clientY: 60 });
      fireEvent.pointerUp(viewport);
      expect(viewport.scrollLeft).toBe(0);

      await userEvent.click(screen.getByRole('button', { name: 'Full size' }));
      fireEvent.pointerDown(viewport, {
        button: 0,
        clientX: 200,
        clientY: 100,
      });
      fireEvent.pointerMove(viewport, { clientX: 120, clientY: 60 });
      expect(viewport.scrollLeft).toBe(80);
      expect(viewport.scrollTop).toBe(40);
      fireEvent.pointerUp(viewport);
      // Released: moving the pointer no longer pans.
      fireEvent.pointerMove(viewport, { clientX: 0, clientY: 0 });
      expect(viewport.scrollLeft).toBe(80);
      // Keyboard users scroll the focusable viewport instead.
      expect(viewport).toHaveAttribute('tabindex', '0');
    } finally {
      width.mockRestore();
      delete (globalThis as any).ResizeObserver;
    }
  });

  it('names the other names of a folded peer on its node', async () => {
    render({
      ...graph,
      nodes: [
        ...graph.nodes,
        {
          id: 'orders-db',
          isEntityService: false,
          owners: [{ entityRef: 'resource:default/orders-db' }],
          aliases: ['shop', 'orders-db.shop.svc.cluster.local'],
        },
      ],
      edges: [
        ...graph.edges,
        {
          source: 'orders-api',
          target: 'orders-db',
          requestCount: 3,
          errorCount: 0,
        },
      ],
    });
    expect(
      await screen.findByTitle(
        'orders-db (also seen as shop, orders-db.shop.svc.cluster.local)',
      ),
    ).toBeInTheDocument();
  });

  it("shows the backend's error", async () => {
    const api = fakeTracesApi({
      getServiceGraph: async () => {
        throw new Error('Prometheus query failed: connection refused');
      },
    });
    renderInTestApp(
      <ServiceGraph entityRef="component:default/orders" range={RANGE} />,
      {
        apis: [[tracesApiRef, api]],
      },
    );
    expect(
      await screen.findByText(
        /Service graph failed: Prometheus query failed: connection refused/,
      ),
    ).toBeInTheDocument();
  });
});
