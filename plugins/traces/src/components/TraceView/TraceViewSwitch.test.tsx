import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { tracesApiRef } from '../../api';
import { fakeTracesApi } from '../../testing/fakeTracesApi';
import { TraceView } from './TraceView';
import { checkoutTrace, TRACE_ID } from './testTraces';

// jsdom has no layout or canvas: sizes for the virtualizer, a 2D context that draws nothing.
beforeAll(() => {
  jest.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600);
  jest.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(1200);
  const noop = () => {};
  jest.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(
    () =>
      new Proxy(
        {
          createImageData: (w: number, h: number) => ({
            data: new Uint8ClampedArray(w * h * 4),
          }),
        },
        { get: (target: any, key) => (key in target ? target[key] : noop) },
      ),
  );
});
afterAll(() => jest.restoreAllMocks());

describe('TraceView views', () => {
  it('switches between waterfall, flame graph and statistics, sharing the selection', async () => {
    const onSelectSpan = jest.fn();
    await renderInTestApp(
      <TraceView traceId={TRACE_ID} onSelectSpan={onSelectSpan} />,
      {
        apis: [
          [
            tracesApiRef,
            fakeTracesApi({ getTrace: async () => checkoutTrace() }),
          ],
        ],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    const views = await screen.findByRole('group', { name: 'Trace view' });
    expect(
      within(views).getByRole('button', { name: 'Waterfall' }),
    ).toHaveAttribute('aria-pressed', 'true');
    expect(
      screen.getByRole('treegrid', { name: 'Trace waterfall' }),
    ).toBeInTheDocument();

    await userEvent.click(
      within(views).getByRole('button', { name: 'Statistics' }),
    );
    expect(
      screen.queryByRole('treegrid', { name: 'Trace waterfall' }),
    ).not.toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Span statistics' });
    await userEvent.click(
      within(table).getByRole('button', { name: 'payments' }),
    );
    expect(onSelectSpan).toHaveBeenLastCalledWith('aaaaaaaaaaaaaaa5');

    await userEvent.click(
      within(views).getByRole('button', { name: 'Flame graph' }),
    );
    // the span selected in the statistics is the flame graph's selection
    expect(
      screen.getByText('payments · POST /pay · 36ms (self 36ms)'),
    ).toBeInTheDocument();
    const graph = screen.getByRole('application', {
      name: /Flame graph of 5 spans/,
    });
    graph.focus();
    await userEvent.keyboard('{ArrowUp}');
    expect(onSelectSpan).toHaveBeenLastCalledWith('aaaaaaaaaaaaaaa1');

    await userEvent.click(
      within(views).getByRole('button', { name: 'Waterfall' }),
    );
    expect(
      screen.getByRole('treegrid', { name: 'Trace waterfall' }),
    ).toBeInTheDocument();
  });
});
