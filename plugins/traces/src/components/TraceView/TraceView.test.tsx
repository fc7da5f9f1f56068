import { renderInTestApp } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Trace } from '@backstage-traces/plugin-traces-common';
import type { TracesApi } from '../../api';
import { tracesApiRef, TracesHealthProvider } from '../../api';
import { fakeTracesApi } from '../../testing/fakeTracesApi';
import {
  TraceView,
  TRACE_NOT_FOUND_TITLE,
  type TraceViewProps,
} from './TraceView';
import {
  checkoutTrace,
  detailedCheckoutTrace,
  makeTrace,
  TRACE_ID,
  windowedCheckout,
} from './testTraces';

// jsdom has no layout or canvas: give elements a size so the virtualizer renders rows, and a
// 2D context that records what the minimap draws.
const putImageData = jest.fn();
beforeAll(() => {
  jest.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600);
  jest.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(1200);
  jest.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(
    () =>
      ({
        createImageData: (w: number, h: number) => ({
          data: new Uint8ClampedArray(w * h * 4),
        }),
        putImageData,
      } as any),
  );
});
// jsdom does not scroll: make scrollTo move scrollTop and fire the scroll event, as browsers do.
const scrollTo = jest.fn(function fakeScrollTo(
  this: HTMLElement,
  options: ScrollToOptions,
) {
  if (options.top !== undefined) this.scrollTop = options.top;
  // Browsers fire scroll events asynchronously, never inside the scrollTo call.
  setTimeout(() => this.dispatchEvent(new Event('scroll')), 0);
});
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'scrollTo', {
    value: scrollTo,
    configurable: true,
  });
  // The scrolled content's height, as layout would give it.
  jest
    .spyOn(HTMLElement.prototype, 'scrollHeight', 'get')
    .mockImplementation(function height(this: HTMLElement) {
      return (
        parseFloat(
          (this.firstElementChild as HTMLElement | null)?.style.height ?? '',
        ) || 0
      );
    });
});
// Full renders of the view with MUI in jsdom; typing re-renders it per key.
afterAll(() => {
  jest.restoreAllMocks();
  delete (HTMLElement.prototype as Partial<HTMLElement>).scrollTo;
});

async function responseError(status: number, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'Error', message },
        response: { statusCode: status },
      }),
      { status, headers: { 'content-type': 'application/json' } },
    ) as any,
  );
}

function renderView(
  api: jest.Mocked<TracesApi>,
  props: Partial<TraceViewProps> = {},
) {
  return renderInTestApp(
    <TraceView
      traceId={TRACE_ID}
      entityRef="component:default/checkout"
      {...props}
    />,
    {
      apis: [[tracesApiRef, api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

const withTrace = (trace: Trace, overrides: Partial<TracesApi> = {}) =>
  fakeTracesApi({ getTrace: async () => trace, ...overrides });

const rowNames = () =>
  within(screen.getByRole('treegrid'))
    .getAllByRole('row')
    .map(r => r.getAttribute('aria-label')!.split(',')[0]);

describe('TraceView', () => {
  it('shows a skeleton, then the trace with header, minimap and waterfall', async () => {
    const api = withTrace(checkoutTrace(), {
      getLogCounts: async () => ({
        counts: { aaaaaaaaaaaaaaa3: { count: 4, highestSeverity: 'WARN' } },
      }),
    });
    renderView(api);
    expect(
      screen.getByRole('region', { name: `Loading trace ${TRACE_ID}` }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('heading', { name: 'frontend: GET /checkout' }),
    ).toBeInTheDocument();
    expect(screen.getByText(TRACE_ID)).toBeInTheDocument();
    expect(screen.getByText('Spans').nextElementSibling).toHaveTextContent('5');
    expect(screen.getByText('Errors').nextElementSibling).toHaveTextContent(
      '1',
    );
    expect(screen.getByText('Duration').nextElementSibling).toHaveTextContent(
      '100ms',
    );
    expect(
      screen.getByRole('button', { name: 'cart: 2 spans, 1 error' }),
    ).toBeInTheDocument();
    expect(rowNames()).toEqual([
      'GET /checkout',
      'POST /auth/verify',
      'GET cart',
      'SELECT carts',
      'POST /pay',
    ]);
    expect(
      await screen.findByRole('button', {
        name: '4 logs, highest severity WARN',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('slider', { name: /Trace overview/ }),
    ).toBeInTheDocument();
    expect(putImageData).toHaveBeenCalled();
    expect(api.getTrace).toHaveBeenCalledWith({
      traceId: TRACE_ID,
      entityRef: 'component:default/checkout',
    });
    expect(api.getLogCounts).toHaveBeenCalledWith({
      traceId: TRACE_ID,
      entityRef: 'component:default/checkout',
    });
  });

  it('explains a trace that is not found (404)', async () => {
    const error = await responseError(
      404,
      `Trace ${TRACE_ID} not found in Tempo`,
    );
    renderView(fakeTracesApi({ getTrace: async () => Promise.reject(error) }));
    expect(
      await screen.findByText(`Warning: ${TRACE_NOT_FOUND_TITLE}`),
    ).toBeInTheDocument();
    expect(
      screen.getByText(`Trace ${TRACE_ID} not found in Tempo`),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Try again' }),
    ).not.toBeInTheDocument();
  });

  it("shows the backend's message for other errors and retries", async () => {
    const error = await responseError(504, 'Tempo did not answer within 30s');
    let calls = 0;
    const api = fakeTracesApi({
      getTrace: async () => {
        calls++;
        if (calls === 1) throw error;
        return checkoutTrace();
      },
    });
    renderView(api);
    expect(
      await screen.findByText(/Tempo did not answer within 30s/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(
      await screen.findByRole('heading', { name: 'frontend: GET /checkout' }),
    ).toBeInTheDocument();
  });

  it("warns about a partial trace with Tempo's reason", async () => {
    renderView(
      withTrace(
        checkoutTrace({
          partial: true,
          partialMessage: 'trace exceeds max size (max bytes: 5000000)',
          spanCount: 9000,
        }),
      ),
    );
    expect(
      await screen.findByText(
        'Warning: Partial trace: Tempo returned only part of this trace',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('trace exceeds max size (max bytes: 5000000)'),
    ).toBeInTheDocument();
    expect(screen.getByText('Spans').nextElementSibling).toHaveTextContent(
      '5 of 9,000',
    );
  });

  it('keeps working when log counts fail, and says why badges are missing', async () => {
    const error = await responseError(503, 'OpenSearch is not configured');
    renderView(
      withTrace(checkoutTrace(), {
        getLogCounts: async () => Promise.reject(error),
      }),
    );
    expect(
      await screen.findByText(
        'Log badges are off: OpenSearch is not configured',
      ),
    ).toBeInTheDocument();
    expect(rowNames()).toHaveLength(5);
    expect(
      screen.queryByRole('button', { name: /logs, highest/ }),
    ).not.toBeInTheDocument();
  });

  it('asks for no log counts when /health said there is no log store', async () => {
    const api = withTrace(checkoutTrace());
    renderInTestApp(
      <TracesHealthProvider
        value={{
          traces: { status: 'ok', store: 'Tempo' },
          logs: {
            store: 'OpenSearch',
            status: 'disabled',
            message: 'OpenSearch is not configured',
          },
        }}
      >
        <TraceView traceId={TRACE_ID} entityRef="component:default/checkout" />
      </TracesHealthProvider>,
      {
        apis: [[tracesApiRef, api]],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByText(
        'Log badges are off: OpenSearch is not configured',
      ),
    ).toBeInTheDocument();
    expect(rowNames()).toHaveLength(5);
    expect(api.getLogCounts).not.toHaveBeenCalled();
  });

  it('selects a span: details beside the waterfall, reported to the host; Escape closes', async () => {
    const onSelectSpan = jest.fn();
    renderView(withTrace(detailedCheckoutTrace()), { onSelectSpan });
    await userEvent.click(await screen.findByText('GET cart'));
    expect(onSelectSpan).toHaveBeenCalledWith('aaaaaaaaaaaaaaa3');
    const panel = screen.getByRole('complementary', { name: 'Span GET cart' });
    expect(
      within(panel).getByRole('link', { name: 'Cart Service' }),
    ).toBeInTheDocument();
    expect(within(panel).getAllByText('masked')).toHaveLength(2);
    fireEvent.keyDown(screen.getByRole('treegrid'), { key: 'Escape' });
    expect(screen.queryByRole('complementary')).not.toBeInTheDocument();
    expect(onSelectSpan).toHaveBeenLastCalledWith(undefined);
  });

  it('opens on the span given by the host, expanding its ancestors', async () => {
    renderView(withTrace(detailedCheckoutTrace()), {
      selectedSpanId: 'aaaaaaaaaaaaaaa4',
    });
    expect(
      await screen.findByRole('complementary', { name: 'Span SELECT carts' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('row', { name: /^SELECT carts/ })).toHaveAttribute(
      'aria-selected',
      'true',
    );
  });

  it('goes to a linked span, revealing it, and opens a linked trace', async () => {
    const onOpenTrace = jest.fn();
    renderView(withTrace(detailedCheckoutTrace()), {
      selectedSpanId: 'aaaaaaaaaaaaaaa3',
      onOpenTrace,
    });
    const panel = await screen.findByRole('complementary', {
      name: 'Span GET cart',
    });
    await userEvent.click(
      within(panel).getByRole('button', { name: 'Open linked trace' }),
    );
    expect(onOpenTrace).toHaveBeenCalledWith(
      '11111111111111111111111111111111',
      'bbbbbbbbbbbbbbbb',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Collapse all' }));
    expect(rowNames()).toEqual(['GET /checkout']);
    await userEvent.click(
      within(panel).getByRole('button', { name: 'Go to span POST /pay' }),
    );
    expect(
      await screen.findByRole('complementary', { name: 'Span POST /pay' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('row', { name: /^POST \/pay/ })).toHaveAttribute(
      'aria-selected',
      'true',
    );
  });

  it('opens the logs of a span from its log badge', async () => {
    const api = withTrace(checkoutTrace(), {
      getLogCounts: async () => ({
        counts: { aaaaaaaaaaaaaaa5: { count: 1, highestSeverity: 'INFO' } },
      }),
      getLogs: async () => ({
        logs: [
          {
            id: 'l1',
            timestamp: '2026-11-24T12:00:00.070Z',
            severity: 'INFO',
            message: 'payment captured',
            fields: {},
          },
        ],
        start: '',
        end: '',
      }),
    });
    renderView(api);
    await userEvent.click(
      await screen.findByRole('button', {
        name: '1 logs, highest severity INFO',
      }),
    );
    expect(await screen.findByText('payment captured')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Logs (1)' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(api.getLogs).toHaveBeenCalledWith(
      expect.objectContaining({ spanId: 'aaaaaaaaaaaaaaa5' }),
    );
  });

  it('searches within the trace, expanding the ancestors of matches', async () => {
    renderView(withTrace(checkoutTrace()));
    await screen.findByRole('treegrid');
    await userEvent.click(screen.getByRole('button', { name: 'Collapse all' }));
    expect(rowNames()).toEqual(['GET /checkout']);
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Search spans' }),
      'postgres',
    );
    expect(await screen.findByText('1 of 1')).toBeInTheDocument();
    expect(rowNames()).toEqual([
      'GET /checkout',
      'POST /auth/verify',
      'GET cart',
      'SELECT carts',
      'POST /pay',
    ]);
    expect(screen.getByRole('row', { name: /^SELECT carts/ })).toHaveClass(
      'tv-current',
    );

    await userEvent.clear(
      screen.getByRole('textbox', { name: 'Search spans' }),
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Search spans' }),
      'POST /',
    );
    expect(await screen.findByText('1 of 2')).toBeInTheDocument();
    expect(screen.getByRole('row', { name: /^POST \/auth/ })).toHaveClass(
      'tv-current',
    );
    await userEvent.keyboard('{Enter}');
    expect(screen.getByText('2 of 2')).toBeInTheDocument();
    expect(screen.getByRole('row', { name: /^POST \/pay/ })).toHaveClass(
      'tv-current',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Previous match' }),
    );
    expect(screen.getByText('1 of 2')).toBeInTheDocument();

    await userEvent.type(
      screen.getByRole('textbox', { name: 'Search spans' }),
      'zzz',
    );
    expect(await screen.findByText('No matches')).toBeInTheDocument();
  });

  it('collapses and expands all, to a level, and by service', async () => {
    renderView(withTrace(checkoutTrace()));
    await screen.findByRole('treegrid');
    await userEvent.click(screen.getByRole('button', { name: 'Collapse all' }));
    expect(rowNames()).toEqual(['GET /checkout']);
    await userEvent.click(screen.getByRole('button', { name: 'Expand all' }));
    expect(rowNames()).toHaveLength(5);

    await userEvent.click(
      screen.getByRole('combobox', { name: 'Expand to level' }),
    );
    await userEvent.click(screen.getByRole('option', { name: 'Level 2' }));
    expect(rowNames()).toEqual([
      'GET /checkout',
      'POST /auth/verify',
      'GET cart',
      'POST /pay',
    ]);
    await userEvent.click(screen.getByRole('button', { name: 'Expand all' }));

    const cart = screen.getByRole('button', { name: 'cart: 2 spans, 1 error' });
    expect(cart).toHaveAttribute('aria-pressed', 'false');
    await userEvent.click(cart);
    expect(cart).toHaveAttribute('aria-pressed', 'true');
    expect(rowNames()).not.toContain('SELECT carts');
    await userEvent.click(cart);
    expect(rowNames()).toContain('SELECT carts');
  });

  it('shows only errors or one service, keeping ancestors as context', async () => {
    renderView(withTrace(checkoutTrace()));
    await screen.findByRole('treegrid');
    await userEvent.click(screen.getByRole('combobox', { name: 'Show' }));
    await userEvent.click(
      screen.getByRole('option', { name: 'Errors only (1)' }),
    );
    expect(rowNames()).toEqual(['GET /checkout', 'GET cart']);
    expect(screen.getByRole('row', { name: /^GET \/checkout/ })).toHaveClass(
      'tv-context',
    );

    await userEvent.click(screen.getByRole('combobox', { name: 'Show' }));
    await userEvent.click(screen.getByRole('option', { name: 'payments' }));
    expect(rowNames()).toEqual(['GET /checkout', 'POST /pay']);
  });

  it('toggles the critical path', async () => {
    const { container } = renderView(withTrace(checkoutTrace()));
    await screen.findByRole('treegrid');
    expect(container.querySelectorAll('.tv-critical').length).toBeGreaterThan(
      0,
    );
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Critical path' }),
    );
    expect(container.querySelectorAll('.tv-critical')).toHaveLength(0);
  });

  it('focuses the search with "/" and closes with the close button', async () => {
    const onClose = jest.fn();
    renderView(withTrace(checkoutTrace()), { onClose });
    const grid = await screen.findByRole('treegrid');
    grid.focus();
    await userEvent.keyboard('/');
    expect(screen.getByRole('textbox', { name: 'Search spans' })).toHaveFocus();
    await userEvent.click(screen.getByRole('button', { name: 'Close trace' }));
    expect(onClose).toHaveBeenCalled();
  });

  it('scrolls the waterfall from the minimap and follows the waterfall', async () => {
    const specs = [{ spanId: 'root', startMs: 0, durationMs: 1000 }];
    for (let i = 0; i < 400; i++) {
      specs.push({
        spanId: `s${i}`,
        parentSpanId: 'root',
        startMs: i,
        durationMs: 2,
      } as never);
    }
    renderView(withTrace(makeTrace(specs)));
    const minimap = await screen.findByRole('slider', {
      name: /Trace overview/,
    });
    await waitFor(() =>
      expect(minimap.getAttribute('aria-valuetext')).toMatch(
        /^Rows 1 to \d+ of 401$/,
      ),
    );
    minimap.focus();
    await userEvent.keyboard('{End}');
    await waitFor(() =>
      expect(minimap.getAttribute('aria-valuetext')).toMatch(/ to 401 of 401$/),
    );
    expect(rowNames()).toContain('op-s399');
    expect(rowNames()).not.toContain('op-s0');
    expect(Number(minimap.getAttribute('aria-valuenow'))).toBeGreaterThan(350);
  });

  describe('a windowed (large) trace', () => {
    it('says what is loaded and loads the spans below a row on request', async () => {
      const api = withTrace(windowedCheckout.first(), {
        getTraceSubtree: async ({ spanId }) =>
          spanId === 'aaaaaaaaaaaaaaa1'
            ? windowedCheckout.belowRoot()
            : windowedCheckout.belowCart(),
      });
      renderView(api);
      expect(
        await screen.findByText('Large trace: 2 of 5 spans loaded'),
      ).toBeInTheDocument();
      expect(screen.getByTestId('trace-window')).toHaveTextContent(
        '3 spans (1 with errors) are not loaded yet',
      );
      expect(screen.getByText('Spans').nextElementSibling).toHaveTextContent(
        '2 of 5',
      );
      expect(screen.getByText('Errors').nextElementSibling).toHaveTextContent(
        '0 of 1',
      );
      expect(rowNames()).toEqual(['GET /checkout', 'POST /pay']);

      await userEvent.click(
        screen.getByRole('button', {
          name: 'Load 3 spans not loaded below GET /checkout',
        }),
      );
      await waitFor(() =>
        expect(rowNames()).toEqual([
          'GET /checkout',
          'POST /auth/verify',
          'GET cart',
          'POST /pay',
        ]),
      );
      expect(api.getTraceSubtree).toHaveBeenCalledWith({
        traceId: TRACE_ID,
        spanId: 'aaaaaaaaaaaaaaa1',
        entityRef: 'component:default/checkout',
        from: undefined,
      });
      expect(
        screen.getByText('Large trace: 4 of 5 spans loaded'),
      ).toBeInTheDocument();

      // The cart's own toggle loads its missing child (keyboard: ArrowRight does the same).
      await userEvent.click(
        screen.getByRole('button', {
          name: 'Load the spans below GET cart (1 not loaded)',
        }),
      );
      await waitFor(() => expect(rowNames()).toContain('SELECT carts'));
      expect(
        screen.queryByRole('button', { name: /not loaded below/ }),
      ).not.toBeInTheDocument();
    });

    it('asks for a linked span in the first window', async () => {
      const api = withTrace(windowedCheckout.first());
      renderView(api, { selectedSpanId: 'aaaaaaaaaaaaaaa4' });
      await screen.findByText('Large trace: 2 of 5 spans loaded');
      expect(api.getTrace).toHaveBeenCalledWith({
        traceId: TRACE_ID,
        entityRef: 'component:default/checkout',
        focusSpanId: 'aaaaaaaaaaaaaaa4',
      });
    });

    it('reports a subtree that fails to load, and retries it', async () => {
      let fail = true;
      const api = withTrace(windowedCheckout.first(), {
        getTraceSubtree: async () => {
          if (fail)
            throw await responseError(504, 'Tempo: no answer within 120000 ms');
          return windowedCheckout.belowRoot();
        },
      });
      renderView(api);
      await screen.findByText('Large trace: 2 of 5 spans loaded');
      await userEvent.click(
        screen.getByRole('button', { name: /Load 3 spans not loaded/ }),
      );
      expect(
        await screen.findByText(
          /Could not load the spans below GET \/checkout: Tempo: no answer within 120000 ms/,
        ),
      ).toBeInTheDocument();
      fail = false;
      await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
      await waitFor(() => expect(rowNames()).toContain('GET cart'));
      expect(screen.queryByText(/Could not load/)).not.toBeInTheDocument();
    });
  });
});
