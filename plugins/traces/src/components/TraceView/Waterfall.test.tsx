import { useMemo, useState } from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ThemeProvider, createTheme } from '@mui/material/styles';
import { buildWaterfallModel } from './waterfallModel';
import { computeVisibleRows, toggleRow } from './visibleRows';
import { Waterfall } from './Waterfall';
import { checkoutTrace, makeTrace } from './testTraces';
import type {
  SpanLogCount,
  Trace,
} from '@backstage-traces/plugin-traces-common';
import type { TimeRange } from './timeAxis';

// jsdom has no layout: give the scroll container a size so the virtualizer renders rows.
beforeAll(() => {
  jest.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600);
  jest.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(1200);
});
afterAll(() => jest.restoreAllMocks());

function Harness(props: {
  trace: Trace;
  logCounts?: Record<string, SpanLogCount>;
  onSelect?: (row: number) => void;
  onOpenLogs?: (row: number) => void;
}) {
  const model = useMemo(() => buildWaterfallModel(props.trace), [props.trace]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set());
  const [selected, setSelected] = useState<number | undefined>();
  const [viewRange, setViewRange] = useState<TimeRange>();
  const rows = useMemo(
    () => computeVisibleRows(model, collapsed),
    [model, collapsed],
  );
  return (
    <ThemeProvider theme={createTheme()}>
      <Waterfall
        model={model}
        rows={rows}
        collapsed={collapsed}
        selectedRow={selected}
        showCriticalPath
        viewRange={viewRange}
        onViewRangeChange={setViewRange}
        logCounts={props.logCounts}
        height={600}
        onSelectRow={row => {
          setSelected(row);
          props.onSelect?.(row);
        }}
        onToggleRow={row => setCollapsed(c => toggleRow(c, row))}
        onOpenLogs={props.onOpenLogs}
      />
    </ThemeProvider>
  );
}

const rowNames = () =>
  screen
    .getAllByRole('row')
    .map(r => r.getAttribute('aria-label')!.split(',')[0]);

describe('Waterfall', () => {
  it('renders one row per span with an accessible name and tree level', () => {
    render(<Harness trace={checkoutTrace()} />);
    expect(
      screen.getByRole('treegrid', { name: 'Trace waterfall' }),
    ).toBeInTheDocument();
    expect(rowNames()).toEqual([
      'GET /checkout',
      'POST /auth/verify',
      'GET cart',
      'SELECT carts',
      'POST /pay',
    ]);
    const cart = screen.getByRole('row', {
      name: 'GET cart, cart, 30ms, error',
    });
    expect(cart).toHaveAttribute('aria-level', '2');
    expect(cart).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByRole('row', { name: /^SELECT carts/ })).toHaveAttribute(
      'aria-level',
      '3',
    );
  });

  it('collapses and expands a subtree with the toggle button', async () => {
    render(<Harness trace={checkoutTrace()} />);
    await userEvent.click(
      screen.getByRole('button', { name: 'Collapse GET cart (1 child)' }),
    );
    expect(rowNames()).toEqual([
      'GET /checkout',
      'POST /auth/verify',
      'GET cart',
      'POST /pay',
    ]);
    expect(screen.getByRole('row', { name: /^GET cart/ })).toHaveAttribute(
      'aria-expanded',
      'false',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Expand GET cart (1 child)' }),
    );
    expect(rowNames()).toHaveLength(5);
  });

  it('is operable with the keyboard', async () => {
    const onSelect = jest.fn();
    render(<Harness trace={checkoutTrace()} onSelect={onSelect} />);
    const grid = screen.getByRole('treegrid');
    grid.focus();
    const active = () =>
      document
        .getElementById(grid.getAttribute('aria-activedescendant')!)!
        .getAttribute('aria-label');
    expect(active()).toMatch(/^GET \/checkout/);
    await userEvent.keyboard('{ArrowDown}{ArrowDown}');
    expect(active()).toMatch(/^GET cart/);
    // Left collapses, Left again goes to the parent, Right expands.
    await userEvent.keyboard('{ArrowLeft}');
    expect(rowNames()).not.toContain('SELECT carts');
    await userEvent.keyboard('{ArrowRight}');
    expect(rowNames()).toContain('SELECT carts');
    await userEvent.keyboard('{ArrowRight}');
    expect(active()).toMatch(/^SELECT carts/);
    await userEvent.keyboard('{Enter}');
    expect(onSelect).toHaveBeenLastCalledWith(3);
    expect(screen.getByRole('row', { name: /^SELECT carts/ })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await userEvent.keyboard('{ArrowLeft}');
    expect(active()).toMatch(/^GET cart/);
    await userEvent.keyboard('{End}');
    expect(active()).toMatch(/^POST \/pay/);
    await userEvent.keyboard('{Home} ');
    expect(onSelect).toHaveBeenLastCalledWith(0);
  });

  it('selects a span on click', async () => {
    const onSelect = jest.fn();
    render(<Harness trace={checkoutTrace()} onSelect={onSelect} />);
    await userEvent.click(screen.getByText('POST /pay'));
    expect(onSelect).toHaveBeenCalledWith(4);
  });

  it('shows a log badge coloured by the highest severity and opens the logs', async () => {
    const onOpenLogs = jest.fn();
    render(
      <Harness
        trace={checkoutTrace()}
        logCounts={{
          aaaaaaaaaaaaaaa3: { count: 12, highestSeverity: 'ERROR' },
        }}
        onOpenLogs={onOpenLogs}
      />,
    );
    const badge = screen.getByRole('button', {
      name: '12 logs, highest severity ERROR',
    });
    expect(badge).toHaveStyle({ background: createTheme().palette.error.main });
    expect(badge).toHaveTextContent('12');
    expect(
      within(screen.getByRole('row', { name: /^GET cart/ })).getByRole(
        'button',
        { name: /logs/ },
      ),
    ).toBe(badge);
    await userEvent.click(badge);
    expect(onOpenLogs).toHaveBeenCalledWith(2);
  });

  it('marks orphan spans and errors hidden in collapsed subtrees', async () => {
    render(
      <Harness
        trace={makeTrace([
          { spanId: 'a', startMs: 0, durationMs: 10 },
          {
            spanId: 'b',
            parentSpanId: 'a',
            startMs: 1,
            durationMs: 5,
            status: { code: 'error' },
          },
          { spanId: 'c', parentSpanId: 'gone', startMs: 2, durationMs: 5 },
        ])}
      />,
    );
    expect(
      within(screen.getByRole('row', { name: /^op-c/ })).getByText('no parent'),
    ).toHaveAttribute('title', 'Parent span gone is not in this trace');
    await userEvent.click(
      screen.getByRole('button', { name: /^Collapse op-a/ }),
    );
    expect(
      screen.getByTitle('1 error spans below this collapsed span'),
    ).toHaveTextContent('1');
  });

  it('zooms the time axis to a span with "z", by dragging the axis, and resets', async () => {
    render(<Harness trace={checkoutTrace()} />);
    const bar = (name: RegExp) =>
      within(screen.getByRole('row', { name })).getByTitle(
        /at \+/,
      ) as HTMLElement;
    expect(bar(/^GET cart/).style.left).toBe('30%');
    screen.getByRole('treegrid').focus();
    await userEvent.keyboard('{ArrowDown}{ArrowDown}z');
    // GET cart spans 30..60 ms; with a 5% margin the view is 28.5..61.5 ms.
    expect(parseFloat(bar(/^GET cart/).style.left)).toBeCloseTo(
      (1.5 / 33) * 100,
      3,
    );
    expect(
      screen.queryByRole('row', { name: /^POST \/pay/ }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Reset zoom' }));
    expect(bar(/^GET cart/).style.left).toBe('30%');

    const axis = screen.getByTitle('Drag across the time axis to zoom');
    jest
      .spyOn(axis, 'getBoundingClientRect')
      .mockReturnValue({ left: 0, width: 1000 } as DOMRect);
    fireEvent.pointerDown(axis, { clientX: 500, button: 0 });
    fireEvent.pointerMove(axis, { clientX: 750 });
    fireEvent.pointerUp(axis, { clientX: 750 });
    // The view is now 50..75 ms: GET cart (30..60) starts before it, POST /pay at 62 ms.
    expect(bar(/^POST \/pay/).style.left).toBe('48%');
    screen.getByRole('treegrid').focus();
    await userEvent.keyboard('0');
    expect(bar(/^POST \/pay/).style.left).toBe('62%');
  });

  it('renders only a window of rows for a large trace', () => {
    const specs = [{ spanId: 'root', startMs: 0, durationMs: 1000 }];
    for (let i = 0; i < 5000; i++) {
      specs.push({
        spanId: `s${i}`,
        parentSpanId: 'root',
        startMs: i * 0.1,
        durationMs: 1,
      } as never);
    }
    render(<Harness trace={makeTrace(specs)} />);
    const rendered = screen.getAllByRole('row').length;
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(60);
    expect(screen.getByRole('treegrid')).toHaveAttribute(
      'aria-rowcount',
      '5001',
    );
    const grid = screen.getByRole('treegrid');
    grid.scrollTop = 28 * 2500;
    fireEvent.scroll(grid);
    expect(rowNames()).toContain('op-s2500');
  });
});
