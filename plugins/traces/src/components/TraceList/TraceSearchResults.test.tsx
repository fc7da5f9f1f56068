import { ResponseError } from '@backstage/errors';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { SearchResponse } from '@backstage-traces/plugin-traces-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { tracesApiRef, TracesHealthProvider } from '../../api';
import type { GrafanaSettings } from '../../grafana';
import { fakeTracesApi, traceSummary } from '../../testing/fakeTracesApi';
import { DEFAULT_FILTERS, TraceFilters } from '../Filters';
import { DEFAULT_SORT, TraceSort } from './traceSort';
import { TraceSearchResults } from './TraceSearchResults';
import { giveScrollAreasHeight } from '../../testing/scrollAreaHeight';

const RANGE = { start: 1_763_640_000, end: 1_763_643_600 };
const NOW = RANGE.end * 1000;
const grafana: GrafanaSettings = {
  baseUrl: 'https://grafana.example.com',
  tempoDatasourceUid: 'tempo',
  logsDatasourceType: 'grafana-opensearch-datasource',
  logsTraceIdField: 'traceId',
};

giveScrollAreasHeight();

function Harness(props: {
  filters?: TraceFilters;
  onOpenTrace?: (id: string) => void;
  onFiltersChange?: (f: TraceFilters) => void;
  grafana?: GrafanaSettings;
  onCompareTraces?: (a: string, b: string) => void;
}) {
  const [sort, setSort] = useState<TraceSort>(DEFAULT_SORT);
  return (
    <TraceSearchResults
      entityRef="component:default/orders"
      filters={props.filters ?? DEFAULT_FILTERS}
      range={RANGE}
      nowMs={NOW}
      sort={sort}
      onSortChange={setSort}
      onOpenTrace={props.onOpenTrace ?? jest.fn()}
      onFiltersChange={props.onFiltersChange ?? jest.fn()}
      grafana={props.grafana}
      onCompareTraces={props.onCompareTraces}
    />
  );
}

function response(
  traces = [traceSummary(1), traceSummary(2), traceSummary(3)],
): SearchResponse {
  return {
    query: '{ resource.service.name = "orders-api" && status = error }',
    traces,
    start: RANGE.start,
    end: RANGE.end,
    limit: 100,
  };
}

/** Root service and span name of each rendered row, top to bottom. */
const rowNames = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map(r => r.getAttribute('aria-label')!.split(',')[0]);

describe('TraceSearchResults', () => {
  it('lists traces with their columns, newest first', async () => {
    const api = fakeTracesApi({
      searchTraces: async () =>
        response([
          traceSummary(1),
          traceSummary(2, {
            durationMs: 1500,
            errorCount: 2,
            services: [
              { name: 'orders-api', spanCount: 4, errorCount: 0 },
              { name: 'payments', spanCount: 3, errorCount: 2 },
            ],
          }),
        ]),
    });
    renderInTestApp(<Harness />, { apis: [[tracesApiRef, api]] });

    const grid = await screen.findByRole('grid', { name: 'Traces' });
    expect(grid).toHaveAttribute('aria-rowcount', '3');
    const row = screen.getByRole('row', { name: /GET \/orders\/2/ });
    expect(row).toHaveAccessibleName(
      'orders-api GET /orders/2, 2025-11-20 12:02:00, 1.5s, 7 spans, 2 errors',
    );
    expect(within(row).getByText('1.5s')).toBeInTheDocument();
    expect(within(row).getByLabelText('2 error spans')).toBeInTheDocument();
    expect(within(row).getByText('payments (2)')).toBeInTheDocument();
    expect(within(row).getByText('58 minutes ago')).toBeInTheDocument();
    expect(rowNames()).toEqual([
      'orders-api GET /orders/2',
      'orders-api GET /orders/1',
    ]);

    expect(api.searchTraces).toHaveBeenCalledWith({
      entityRef: 'component:default/orders',
      query: '{ }',
      start: RANGE.start,
      end: RANGE.end,
      limit: 100,
      environment: undefined,
    });
  });

  it('sorts by duration and span count from the column headers', async () => {
    const api = fakeTracesApi({
      searchTraces: async () =>
        response([
          traceSummary(1, { durationMs: 300, spanCount: 2 }),
          traceSummary(2, { durationMs: 100, spanCount: 50 }),
          traceSummary(3, { durationMs: 200, spanCount: 9 }),
        ]),
    });
    renderInTestApp(<Harness />, { apis: [[tracesApiRef, api]] });
    await screen.findByRole('grid');
    const user = userEvent.setup();

    await user.click(screen.getByRole('button', { name: 'Sort by duration' }));
    expect(rowNames()).toEqual([
      'orders-api GET /orders/1',
      'orders-api GET /orders/3',
      'orders-api GET /orders/2',
    ]);
    expect(
      screen.getByRole('columnheader', { name: /duration/i }),
    ).toHaveAttribute('aria-sort', 'descending');

    await user.click(screen.getByRole('button', { name: 'Sort by duration' }));
    expect(rowNames()[0]).toBe('orders-api GET /orders/2');
    expect(
      screen.getByRole('columnheader', { name: /duration/i }),
    ).toHaveAttribute('aria-sort', 'ascending');

    await user.click(screen.getByRole('button', { name: 'Sort by spans' }));
    expect(rowNames()).toEqual([
      'orders-api GET /orders/2',
      'orders-api GET /orders/3',
      'orders-api GET /orders/1',
    ]);
  });

  it('opens a trace by click, and by keyboard after moving with the arrow keys', async () => {
    const onOpenTrace = jest.fn();
    const api = fakeTracesApi({ searchTraces: async () => response() });
    renderInTestApp(<Harness onOpenTrace={onOpenTrace} />, {
      apis: [[tracesApiRef, api]],
    });
    const user = userEvent.setup();

    await user.click(
      await screen.findByRole('row', { name: /GET \/orders\/1,/ }),
    );
    expect(onOpenTrace).toHaveBeenLastCalledWith(traceSummary(1).traceId);

    const first = screen.getByRole('row', { name: /GET \/orders\/3,/ });
    act(() => first.focus());
    await user.keyboard('{ArrowDown}');
    await waitFor(() =>
      expect(
        screen.getByRole('row', { name: /GET \/orders\/2,/ }),
      ).toHaveFocus(),
    );
    await user.keyboard('{Enter}');
    expect(onOpenTrace).toHaveBeenLastCalledWith(traceSummary(2).traceId);
  });

  it('picks two traces to compare without opening them, the first picked as A', async () => {
    const api = fakeTracesApi({ searchTraces: async () => response() });
    const onOpenTrace = jest.fn();
    const onCompareTraces = jest.fn();
    renderInTestApp(
      <Harness onOpenTrace={onOpenTrace} onCompareTraces={onCompareTraces} />,
      { apis: [[tracesApiRef, api]] },
    );
    const compare = await screen.findByRole('button', {
      name: 'Compare (0 of 2 picked)',
    });
    expect(compare).toBeDisabled();
    const pick = (i: number) =>
      screen.getByRole('checkbox', {
        name: `Pick ${traceSummary(i).traceId} to compare`,
      });
    await userEvent.click(pick(3));
    await userEvent.click(pick(1));
    expect(pick(2)).toBeDisabled();
    expect(onOpenTrace).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Compare' }));
    expect(onCompareTraces).toHaveBeenCalledWith(
      traceSummary(3).traceId,
      traceSummary(1).traceId,
    );
  });

  it('virtualizes long lists: 500 results, a screenful of rows in the DOM', async () => {
    const traces = Array.from({ length: 500 }, (_, i) => traceSummary(i));
    const api = fakeTracesApi({
      searchTraces: async () => ({ ...response(traces), limit: 500 }),
    });
    renderInTestApp(<Harness />, { apis: [[tracesApiRef, api]] });

    const grid = await screen.findByRole('grid');
    expect(grid).toHaveAttribute('aria-rowcount', '501');
    const rendered = screen.getAllByRole('row').length - 1;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(40);
    expect(screen.getByText(/showing the first 500/)).toBeInTheDocument();
  });

  it('shows the exact TraceQL sent, copies it, and links to Grafana when configured', async () => {
    const api = fakeTracesApi({ searchTraces: async () => response() });
    renderInTestApp(<Harness grafana={grafana} />, {
      apis: [[tracesApiRef, api]],
    });
    const user = userEvent.setup();

    const code = await screen.findByLabelText('TraceQL sent to Tempo');
    expect(code).toHaveTextContent(response().query);

    const writeText = jest.spyOn(navigator.clipboard, 'writeText');
    await user.click(screen.getByRole('button', { name: 'Copy query' }));
    expect(writeText).toHaveBeenCalledWith(response().query);
    expect(screen.getByRole('button', { name: 'Copied' })).toBeInTheDocument();

    const link = screen.getByRole('link', { name: 'Open in Grafana' });
    const url = new URL(link.getAttribute('href')!);
    expect(url.origin + url.pathname).toBe(
      'https://grafana.example.com/explore',
    );
    const panes = JSON.parse(url.searchParams.get('panes')!);
    expect(panes.trc.queries[0].query).toBe(response().query);
    expect(panes.trc.range).toEqual({
      from: String(RANGE.start * 1000),
      to: String(RANGE.end * 1000),
    });
  });

  it('has no Grafana link when Grafana is not configured', async () => {
    const api = fakeTracesApi({ searchTraces: async () => response() });
    renderInTestApp(<Harness />, { apis: [[tracesApiRef, api]] });
    await screen.findByLabelText('TraceQL sent to Tempo');
    expect(
      screen.queryByRole('link', { name: 'Open in Grafana' }),
    ).not.toBeInTheDocument();
  });

  it('shows skeleton rows while loading', async () => {
    const api = fakeTracesApi({ searchTraces: () => new Promise(() => {}) });
    renderInTestApp(<Harness />, { apis: [[tracesApiRef, api]] });
    expect(
      await screen.findByRole('progressbar', { name: 'Loading traces' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('grid')).not.toBeInTheDocument();
  });

  it('suggests a wider time range when nothing matched, and widens it', async () => {
    const onFiltersChange = jest.fn();
    const filters = { ...DEFAULT_FILTERS, errorsOnly: true };
    const api = fakeTracesApi({ searchTraces: async () => response([]) });
    renderInTestApp(
      <Harness filters={filters} onFiltersChange={onFiltersChange} />,
      {
        apis: [[tracesApiRef, api]],
      },
    );
    const user = userEvent.setup();

    expect(await screen.findByText('No traces found')).toBeInTheDocument();
    expect(
      screen.getByText(/No traces matched in last hour/),
    ).toBeInTheDocument();
    await user.click(
      screen.getByRole('button', { name: 'Widen to last 6 hours' }),
    );
    expect(onFiltersChange).toHaveBeenLastCalledWith({
      ...filters,
      timeRange: { kind: 'preset', preset: '6h' },
    });

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(onFiltersChange).toHaveBeenLastCalledWith(
      expect.objectContaining({
        errorsOnly: false,
        timeRange: filters.timeRange,
      }),
    );
  });

  it('offers the closest service names Tempo has, with the annotation line to paste', async () => {
    const onFiltersChange = jest.fn();
    const api = fakeTracesApi({
      searchTraces: async () => ({
        ...response([]),
        unknownServices: {
          names: ['orders-apl'],
          closest: ['orders-api', 'orders-worker'],
        },
      }),
    });
    renderInTestApp(<Harness onFiltersChange={onFiltersChange} />, {
      apis: [[tracesApiRef, api]],
    });
    const user = userEvent.setup();
    // The snippet is syntax-highlighted: its text is split over several elements.
    const snippet = () => document.querySelector('pre code')?.textContent;

    expect(
      await screen.findByText('Tempo does not know the service “orders-apl”'),
    ).toBeInTheDocument();
    const names = screen.getByRole('listbox', {
      name: 'Service names Tempo has',
    });
    const options = within(names).getAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      'orders-api',
      'orders-worker',
    ]);
    expect(options[0]).toHaveAttribute('aria-selected', 'true');
    await waitFor(() =>
      expect(snippet()).toBe('opentelemetry.io/service-name: orders-api'),
    );

    await user.click(options[1]);
    await waitFor(() =>
      expect(snippet()).toBe('opentelemetry.io/service-name: orders-worker'),
    );
    await user.click(
      screen.getByRole('button', { name: 'Widen to last 6 hours' }),
    );
    expect(onFiltersChange).toHaveBeenCalled();
  });

  it('names the embedded store when it is the one that does not know the service', async () => {
    const api = fakeTracesApi({
      searchTraces: async () => ({
        ...response([]),
        unknownServices: { names: ['billing'], closest: [] },
      }),
    });
    renderInTestApp(
      <TracesHealthProvider
        value={{
          traces: { status: 'ok', store: 'Embedded store' },
          logs: { status: 'ok', store: 'Embedded store' },
        }}
      >
        <Harness />
      </TracesHealthProvider>,
      { apis: [[tracesApiRef, api]] },
    );
    expect(
      await screen.findByText(
        'The embedded store does not know the service “billing”',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /The embedded store has no service names at all in this range/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/tempo-tenant/)).not.toBeInTheDocument();
  });

  it("shows the backend's error message and retries", async () => {
    const error = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'Error',
            message: 'Tempo search failed: 504 Gateway Timeout',
          },
          response: { statusCode: 504 },
        }),
        { status: 504, headers: { 'content-type': 'application/json' } },
      ) as any,
    );
    const searchTraces = jest
      .fn()
      .mockRejectedValueOnce(error)
      .mockResolvedValue(response());
    const api = fakeTracesApi();
    api.searchTraces = searchTraces;
    renderInTestApp(<Harness />, { apis: [[tracesApiRef, api]] });
    const user = userEvent.setup();

    expect(
      await screen.findByText(
        /Trace search failed: Tempo search failed: 504 Gateway Timeout/,
      ),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('grid')).toBeInTheDocument();
  });
});
