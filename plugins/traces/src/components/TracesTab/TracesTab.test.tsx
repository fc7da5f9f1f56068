import type { Entity } from '@backstage/catalog-model';
import { coreApis } from '@backstage/frontend-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TracesApi, tracesApiRef } from '../../api';
import { fakeTracesApi, traceSummary } from '../../testing/fakeTracesApi';
import type { TraceViewProps } from '../TraceView';
import { TracesTab } from './TracesTab';
import { giveScrollAreasHeight } from '../../testing/scrollAreaHeight';

// The trace view is its own feature with its own tests; here only its wiring to the URL matters.
jest.mock('../TraceView', () => ({
  TraceView: (props: TraceViewProps) => (
    <section aria-label="Trace view">
      <p>trace {props.traceId}</p>
      <p>entity {props.entityRef}</p>
      <p>span {props.selectedSpanId ?? 'none'}</p>
      <button onClick={() => props.onSelectSpan?.('00000000000000ab')}>
        select span
      </button>
      <button onClick={() => props.onClose?.()}>close trace</button>
    </section>
  ),
}));

giveScrollAreasHeight();

const annotated: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders',
    annotations: { 'opentelemetry.io/service-name': 'orders-api' },
  },
  spec: { type: 'service', owner: 'team-orders', lifecycle: 'production' },
};

function render(
  options: { entity?: Entity; api?: TracesApi; url?: string } = {},
) {
  const api =
    options.api ??
    fakeTracesApi({
      searchTraces: async request => ({
        query: `{ resource.service.name = "orders-api" } && ${request.query}`,
        traces: [traceSummary(1), traceSummary(2)],
        start: request.start!,
        end: request.end!,
        limit: request.limit!,
      }),
    });
  const result = renderInTestApp(
    <EntityProvider entity={options.entity ?? annotated}>
      <TracesTab />
    </EntityProvider>,
    {
      apis: [[tracesApiRef, api]],
      initialRouteEntries: [
        options.url ?? '/catalog/default/component/orders/traces',
      ],
    },
  );
  const history = result.apis.get(coreApis.appHistory)!;
  const params = () =>
    new URLSearchParams(history.getSnapshot().location.search);
  return {
    api: api as jest.Mocked<TracesApi>,
    params,
    user: userEvent.setup(),
  };
}

describe('TracesTab', () => {
  it('explains the annotation to add when the entity names no service', async () => {
    const api = fakeTracesApi();
    render({
      api,
      entity: { ...annotated, metadata: { name: 'orders', annotations: {} } },
    });
    expect(await screen.findByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(
      screen.getAllByText(/opentelemetry\.io\/service-name/).length,
    ).toBeGreaterThan(0);
    expect(api.health).not.toHaveBeenCalled();
  });

  it('says so when the backend has no Tempo configured', async () => {
    const api = fakeTracesApi({
      health: async () => ({
        traces: {
          store: 'Tempo',
          status: 'disabled',
          message: 'traces.tempo.baseUrl is not set',
        },
        logs: { store: 'OpenSearch', status: 'disabled' },
      }),
    });
    render({ api });
    expect(
      await screen.findByText('Tempo is not configured'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('traces.tempo.baseUrl is not set'),
    ).toBeInTheDocument();
    expect(api.searchTraces).not.toHaveBeenCalled();
    expect(api.queryMetrics).not.toHaveBeenCalled();
  });

  it('warns when the trace store is down, naming it, but still shows the tab', async () => {
    const api = fakeTracesApi({
      health: async () => ({
        traces: {
          store: 'Tempo',
          status: 'down',
          message: 'Tempo: connection refused',
        },
        logs: { store: 'OpenSearch', status: 'ok' },
      }),
    });
    render({ api });
    expect(
      await screen.findByText(/Tempo is not responding/),
    ).toBeInTheDocument();
    expect(screen.getByText('Tempo: connection refused')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Traces' })).toBeInTheDocument();
  });

  it('shows the summary and searches with the filters from the URL', async () => {
    const { api } = render({
      url: '/catalog/default/component/orders/traces?range=6h&errors=1&env=*&limit=50',
    });
    expect(
      await screen.findByRole('region', { name: 'Span rate' }),
    ).toBeInTheDocument();
    await screen.findByRole('grid', { name: 'Traces' });

    const request = api.searchTraces.mock.calls.at(-1)![0];
    expect(request).toMatchObject({
      entityRef: 'component:default/orders',
      query: '{ status = error }',
      limit: 50,
      environment: '',
    });
    expect(request.end! - request.start!).toBe(6 * 3600);
    expect(screen.getByRole('checkbox', { name: 'Errors only' })).toBeChecked();
    expect(screen.getByLabelText('TraceQL sent to Tempo')).toHaveTextContent(
      '{ resource.service.name = "orders-api" } && { status = error }',
    );
  });

  it('puts filter changes in the URL and searches again', async () => {
    const { api, params, user } = render();
    await screen.findByRole('grid', { name: 'Traces' });
    expect(api.searchTraces).toHaveBeenLastCalledWith(
      expect.objectContaining({ query: '{ }' }),
    );

    await user.click(screen.getByRole('checkbox', { name: 'Errors only' }));
    await waitFor(() => expect(params().get('errors')).toBe('1'));
    await waitFor(() =>
      expect(api.searchTraces).toHaveBeenLastCalledWith(
        expect.objectContaining({ query: '{ status = error }' }),
      ),
    );

    await user.click(screen.getByRole('button', { name: 'Sort by duration' }));
    await waitFor(() => expect(params().get('sort')).toBe('duration'));
    expect(params().get('errors')).toBe('1');
  });

  it('opens a trace from the list with its ID in the URL, and closes it back to the list', async () => {
    const { params, user } = render();
    await user.click(
      await screen.findByRole('row', { name: /GET \/orders\/1,/ }),
    );

    await waitFor(() =>
      expect(params().get('traceId')).toBe(traceSummary(1).traceId),
    );
    const view = await screen.findByRole('region', { name: 'Trace view' });
    expect(view).toHaveTextContent(`trace ${traceSummary(1).traceId}`);
    expect(view).toHaveTextContent('entity component:default/orders');
    expect(
      screen.queryByRole('grid', { name: 'Traces' }),
    ).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'close trace' }));
    await waitFor(() => expect(params().has('traceId')).toBe(false));
    expect(await screen.findByRole('grid', { name: 'Traces' })).toBeVisible();
  });

  it('opens the trace of an exemplar clicked in the RED summary, with its span', async () => {
    const traceId = '5e83952e04758c861b0962d04f4f74ac';
    const api = fakeTracesApi({
      queryMetrics: async request => ({
        query: request.query,
        start: request.start,
        end: request.end,
        series: [
          {
            labels: { __name__: 'rate' },
            name: '{__name__="rate"}',
            samples: [{ timestampMs: request.start * 1000, value: 2 }],
            exemplars: [
              {
                traceId,
                spanId: '00000000000000ef',
                timestampMs: request.start * 1000 + 1000,
                value: 2,
              },
            ],
          },
        ],
      }),
    });
    const { params, user } = render({ api });
    const rate = await screen.findByRole('region', { name: 'Span rate' });
    await user.click(
      await within(rate).findByRole('button', { name: /^Open trace 5e83952e/ }),
    );

    await waitFor(() => expect(params().get('traceId')).toBe(traceId));
    expect(params().get('spanId')).toBe('00000000000000ef');
    expect(
      await screen.findByRole('region', { name: 'Trace view' }),
    ).toHaveTextContent(`trace ${traceId}`);
  });

  it('restores a shared trace view link with its span, and keeps the span in the URL', async () => {
    const traceId = 'abcdefabcdefabcdefabcdefabcdef12';
    const { params, user } = render({
      url: `/catalog/default/component/orders/traces?traceId=${traceId}&spanId=00000000000000cd`,
    });
    const view = await screen.findByRole('region', { name: 'Trace view' });
    expect(view).toHaveTextContent(`trace ${traceId}`);
    expect(view).toHaveTextContent('span 00000000000000cd');

    await user.click(screen.getByRole('button', { name: 'select span' }));
    await waitFor(() =>
      expect(params().get('spanId')).toBe('00000000000000ab'),
    );
    expect(
      screen.getByRole('region', { name: 'Trace view' }),
    ).toHaveTextContent('span 00000000000000ab');
  });

  it('loads the summary and the search behind a shared trace only once the trace is closed', async () => {
    const traceId = 'abcdefabcdefabcdefabcdefabcdef12';
    const { api, params, user } = render({
      url: `/catalog/default/component/orders/traces?traceId=${traceId}`,
    });
    await screen.findByRole('region', { name: 'Trace view' });
    expect(api.searchTraces).not.toHaveBeenCalled();
    expect(api.queryMetrics).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'close trace' }));
    await waitFor(() => expect(params().has('traceId')).toBe(false));
    expect(await screen.findByRole('grid', { name: 'Traces' })).toBeVisible();
    expect(api.searchTraces).toHaveBeenCalled();
    expect(api.queryMetrics).toHaveBeenCalled();
  });

  it('opens a trace pasted by ID', async () => {
    const { params, user } = render();
    const input = await screen.findByRole('textbox', { name: 'Trace ID' });
    await user.type(input, 'not-a-trace{Enter}');
    expect(
      screen.getByText('A trace ID is 1 to 32 hexadecimal characters'),
    ).toBeInTheDocument();
    expect(params().has('traceId')).toBe(false);

    await user.clear(input);
    await user.type(input, '5B8EFFF798038103D269B633813FC60C{Enter}');
    await waitFor(() =>
      expect(params().get('traceId')).toBe('5b8efff798038103d269b633813fc60c'),
    );

    // as Tempo's search and Grafana show it, leading zeros stripped
    await user.type(input, 'f067aa0ba902b7d0c6e1b8e4f3a2c1{Enter}');
    await waitFor(() =>
      expect(params().get('traceId')).toBe('00f067aa0ba902b7d0c6e1b8e4f3a2c1'),
    );
  });

  it('shows the dependency graph in its own tab, remembered in the URL', async () => {
    const { api, params, user } = render();
    await user.click(await screen.findByRole('tab', { name: 'Dependencies' }));
    await waitFor(() => expect(params().get('view')).toBe('dependencies'));
    await waitFor(() =>
      expect(api.getServiceGraph).toHaveBeenCalledWith(
        expect.objectContaining({ entityRef: 'component:default/orders' }),
      ),
    );
    expect(await screen.findByText('No calls observed')).toBeInTheDocument();
  });
});
