import { coreApis } from '@backstage/frontend-plugin-api';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type {
  ServiceOwner,
  TraceSummary,
} from '@backstage-traces/plugin-traces-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { tracesPage } from '../../alpha';
import { tracesApiRef, type TracesApi } from '../../api';
import { fakeTracesApi, traceSummary } from '../../testing/fakeTracesApi';
import type { TraceViewProps } from '../TraceView';
import { giveScrollAreasHeight } from '../../testing/scrollAreaHeight';

// The trace view has its own tests; here only what the page passes it and shows around it.
jest.mock('../TraceView', () => {
  const { checkoutTrace: trace } = jest.requireActual(
    '../TraceView/testTraces',
  );
  return {
    TraceView: (props: TraceViewProps) => (
      <section aria-label="Trace view">
        <p>trace {props.traceId}</p>
        <p>span {props.selectedSpanId ?? 'none'}</p>
        <p>
          range{' '}
          {props.range ? `${props.range.start}-${props.range.end}` : 'none'}
        </p>
        <button onClick={() => props.onSelectSpan?.('00000000000000ab')}>
          select span
        </button>
        {props.aside?.(
          trace({
            traceId: props.traceId,
            resources: [
              {
                serviceName: 'frontend',
                attributes: {},
                owners: [
                  {
                    entityRef: 'component:default/web',
                    owner: 'group:default/web-team',
                  },
                ],
              },
              { serviceName: 'auth', attributes: {} },
              { serviceName: 'cart', attributes: {} },
            ],
          }),
        )}
      </section>
    ),
  };
});

const ORDERS: ServiceOwner = {
  entityRef: 'component:default/orders',
  owner: 'group:default/shop-team',
};
const ORDERS_V2: ServiceOwner = { entityRef: 'component:default/orders-v2' };

giveScrollAreasHeight();

function render(
  url: string,
  owners: ServiceOwner[] = [],
  traces: TraceSummary[] = [],
  overrides: Partial<TracesApi> = {},
) {
  const api = fakeTracesApi({
    ...overrides,
    getServiceOwners: jest.fn(async request => ({
      serviceName: request.serviceName,
      owners,
    })),
    searchTraces: jest.fn(async request => ({
      query: request.query ?? '{ }',
      traces,
      start: request.start ?? 0,
      end: request.end ?? 0,
      limit: request.limit ?? 20,
    })),
  });
  const result = renderTestApp({
    extensions: [tracesPage],
    apis: [[tracesApiRef, api]],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    initialRouteEntries: [url],
  });
  const history = result.apis.get(coreApis.appHistory)!;
  const location = () => history.getSnapshot().location;
  return { api, location, user: userEvent.setup() };
}

describe('traces page (new frontend system)', () => {
  it('opens a Grafana trace link with a stripped ID, its span and time range, and names the owners', async () => {
    const { api, location, user } = render(
      '/traces/trace/f067aa0ba902b7d0c6e1b8e4f3a2c1?spanId=00f067aa0ba902b7&from=1700000000000&to=1700000900500',
    );
    const view = await screen.findByRole('region', { name: 'Trace view' });
    expect(view).toHaveTextContent('trace 00f067aa0ba902b7d0c6e1b8e4f3a2c1');
    expect(view).toHaveTextContent('span 00f067aa0ba902b7');
    expect(view).toHaveTextContent('range 1700000000-1700000901');
    expect(api.health).toHaveBeenCalled();

    const owners = screen.getByLabelText('Services and owners');
    expect(within(owners).getByText('frontend')).toBeInTheDocument();
    expect(
      within(owners).getByRole('link', { name: 'Traces tab' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/web/traces?traceId=00f067aa0ba902b7d0c6e1b8e4f3a2c1',
    );
    expect(
      within(owners).getAllByText('No catalog entity claims this service'),
    ).toHaveLength(3); // auth, cart and payments

    await user.click(screen.getByRole('button', { name: 'select span' }));
    await waitFor(() =>
      expect(new URLSearchParams(location().search).get('spanId')).toBe(
        '00000000000000ab',
      ),
    );
  });

  it('says what a trace ID looks like instead of asking for a malformed one', async () => {
    render('/traces/trace/not-a-trace');
    expect(
      await screen.findByText(/'not-a-trace' is not a trace ID/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Trace view' })).toBeNull();
  });

  it('goes straight on to the Traces tab of the one entity that claims a service', async () => {
    const { api, location } = render('/traces/services/orders-api', [ORDERS]);
    await waitFor(() =>
      expect(location().pathname).toBe(
        '/catalog/default/component/orders/traces',
      ),
    );
    expect(api.getServiceOwners).toHaveBeenCalledWith({
      serviceName: 'orders-api',
      serviceNamespace: undefined,
    });
  });

  it('lets the user choose when several entities claim a service', async () => {
    const { api } = render('/traces/services/orders-api?namespace=shop', [
      ORDERS,
      ORDERS_V2,
    ]);
    expect(
      await screen.findByText(
        'Several entities claim the service shop/orders-api',
      ),
    ).toBeInTheDocument();
    expect(
      screen
        .getAllByRole('link', { name: 'Traces tab' })
        .map(a => a.getAttribute('href')),
    ).toEqual([
      '/catalog/default/component/orders/traces',
      '/catalog/default/component/orders-v2/traces',
    ]);
    expect(api.getServiceOwners).toHaveBeenCalledWith({
      serviceName: 'orders-api',
      serviceNamespace: 'shop',
    });
  });

  it('shows the annotation to add, service name filled in, when nobody claims it', async () => {
    render('/traces/services/payments');
    expect(
      await screen.findByText('No catalog entity claims the service payments'),
    ).toBeInTheDocument();
    // the snippet is highlighted, one element per token
    const snippet = await screen.findByText(
      (_text, element) =>
        element?.tagName === 'CODE' &&
        /opentelemetry\.io\/service-name: "payments"/.test(
          element.textContent ?? '',
        ),
    );
    expect(snippet).toBeInTheDocument();
  });

  it('compares two traces at /traces/compare, whole, and opens a span of one of them', async () => {
    const a = 'a'.repeat(32);
    const b = 'b'.repeat(32);
    const { checkoutTrace } = jest.requireActual('../TraceView/testTraces');
    const getTrace = jest.fn(async ({ traceId }: { traceId: string }) =>
      checkoutTrace({ traceId }),
    );
    const { location, user } = render(`/traces/compare?a=${a}&b=${b}`, [], [], {
      getTrace,
    });
    await screen.findByRole('treegrid', {
      name: 'Compared spans by service and operation',
    });
    expect(getTrace.mock.calls.map(([request]) => request)).toEqual(
      expect.arrayContaining([
        { traceId: a, entityRef: undefined, whole: true },
        { traceId: b, entityRef: undefined, whole: true },
      ]),
    );
    await user.click(
      screen.getByRole('button', { name: 'Open POST /pay in trace B' }),
    );
    expect(`${location().pathname}${location().search}`).toBe(
      `/traces/trace/${b}?spanId=aaaaaaaaaaaaaaa5`,
    );
  });

  it('searches traces across all services, without the entity-only dependency graph', async () => {
    const { api } = render('/traces');
    expect(
      await screen.findByRole('tab', { name: 'Traces' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('tab', { name: 'Dependencies' })).toBeNull();
    await waitFor(() => expect(api.searchTraces).toHaveBeenCalled());
    expect(api.searchTraces.mock.calls[0][0].entityRef).toBeUndefined();
  });

  it('names the entity that claims each root service and links to its Traces tab', async () => {
    const claimed = (name: string, o: ServiceOwner[]) => ({
      name,
      spanCount: 3,
      errorCount: 0,
      owners: o,
    });
    const traces = [
      // owners as the search answer carries them, per service
      traceSummary(1, {
        rootServiceName: 'orders-api',
        services: [claimed('orders-api', [ORDERS])],
      }),
      traceSummary(2, {
        rootServiceName: 'orders-api',
        services: [claimed('orders-api', [ORDERS])],
      }),
      traceSummary(3, {
        rootServiceName: 'batch',
        services: [claimed('batch', [])],
      }),
      // the answer's stats leave the root service out: looked up once for all its rows
      traceSummary(4, { rootServiceName: 'cart', services: [] }),
      traceSummary(5, { rootServiceName: 'cart', services: [] }),
    ];
    const { api } = render('/traces', [ORDERS_V2], traces);
    const grid = await screen.findByRole('grid', { name: 'Traces' });
    expect(
      within(grid).getByRole('columnheader', { name: 'Owner' }),
    ).toBeInTheDocument();
    const rows = within(grid).getAllByRole('row').slice(1);
    const ownerCell = (root: string) =>
      rows
        .filter(row => row.getAttribute('aria-label')?.startsWith(`${root} `))
        // pick-to-compare, start, root, owner
        .map(row => within(row).getAllByRole('gridcell')[3]);

    expect(ownerCell('orders-api')).toHaveLength(2);
    expect(ownerCell('cart')).toHaveLength(2);
    for (const cell of ownerCell('orders-api')) {
      expect(
        within(cell).getByRole('link', { name: 'orders' }),
      ).toHaveAttribute('href', '/catalog/default/component/orders/traces');
      expect(cell).toHaveTextContent('shop-team');
    }
    expect(ownerCell('batch')[0]).toHaveTextContent('Unclaimed');
    expect(within(ownerCell('batch')[0]).queryByRole('link')).toBeNull();
    for (const cell of ownerCell('cart')) {
      expect(
        await within(cell).findByRole('link', { name: 'orders-v2' }),
      ).toHaveAttribute('href', '/catalog/default/component/orders-v2/traces');
    }
    expect(api.getServiceOwners).toHaveBeenCalledTimes(1);
    expect(api.getServiceOwners).toHaveBeenCalledWith({ serviceName: 'cart' });
  });
});
