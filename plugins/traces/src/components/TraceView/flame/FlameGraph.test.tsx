import { fireEvent, render, screen } from '@testing-library/react';
import { buildWaterfallModel } from '../waterfallModel';
import { checkoutTrace } from '../testTraces';
import { FlameGraph, flameLabel } from './FlameGraph';

// jsdom has no canvas: a 2D context that records the boxes and labels of the last drawing.
const drawn: Array<{ x: number; w: number; alpha: number }> = [];
const bands: number[] = [];
const labels: string[] = [];
beforeAll(() => {
  jest.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(1000);
  jest.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(400);
  jest
    .spyOn(HTMLCanvasElement.prototype, 'getContext')
    .mockImplementation(function context(this: HTMLCanvasElement) {
      const ctx: any = {
        globalAlpha: 1,
        setTransform() {},
        clearRect() {
          drawn.length = 0;
          bands.length = 0;
          labels.length = 0;
        },
        fillRect(x: number, _y: number, w: number) {
          // span boxes have their service's colour; the depth bands are a translucent grey
          if (String(ctx.fillStyle).startsWith('#')) {
            drawn.push({ x, w, alpha: ctx.globalAlpha });
          } else {
            bands.push(w);
          }
        },
        strokeRect() {},
        save() {},
        restore() {},
        beginPath() {},
        rect() {},
        clip() {},
        fillText(text: string) {
          labels.push(text);
        },
      };
      return ctx;
    });
  jest
    .spyOn(HTMLCanvasElement.prototype, 'getBoundingClientRect')
    .mockReturnValue({ left: 0, top: 0, width: 1000, height: 400 } as DOMRect);
});
afterAll(() => jest.restoreAllMocks());
beforeEach(() => {
  drawn.length = 0;
  labels.length = 0;
});

/*
 * checkoutTrace:
 *   root      frontend   GET /checkout        0..100
 *   ├ auth    auth       POST /auth/verify    5..25
 *   ├ cart    cart       GET cart             30..60   (error)
 *   │ └ db    cart       SELECT carts         35..55
 *   └ pay     payments   POST /pay            62..98
 */
const model = buildWaterfallModel(checkoutTrace());

function renderGraph(props: Partial<Parameters<typeof FlameGraph>[0]> = {}) {
  const onSelectRow = jest.fn();
  const onViewRangeChange = jest.fn();
  render(
    <FlameGraph
      model={model}
      onSelectRow={onSelectRow}
      onViewRangeChange={onViewRangeChange}
      height={400}
      {...props}
    />,
  );
  return { onSelectRow, onViewRangeChange };
}

describe('FlameGraph', () => {
  it('draws one box per span, on the time axis, with self time in the label', () => {
    renderGraph();
    expect(drawn).toHaveLength(model.size);
    // depth 1 (the root's children) on a full-width band
    expect(bands).toEqual([1000]);
    // the root spans the whole width
    expect(drawn[0]).toMatchObject({ x: 0 });
    expect(labels.some(l => l.startsWith('GET /checkout · 100ms (self '))).toBe(
      true,
    );
    // children cover 20 + 30 + 36 of the root's 100 ms
    expect(flameLabel(model, 0)).toBe('GET /checkout · 100ms (self 14ms)');
    expect(labels.some(l => l.startsWith('⚠ GET cart'))).toBe(true);
  });

  it('dims the spans that do not match the search', () => {
    const matches = new Uint8Array(model.size);
    matches[1] = 1;
    renderGraph({ matches });
    expect(drawn.filter(d => d.alpha === 1)).toHaveLength(1);
    expect(drawn.filter(d => d.alpha < 1)).toHaveLength(model.size - 1);
  });

  it('selects a span by click and by keyboard, and zooms to it', () => {
    const { onSelectRow, onViewRangeChange } = renderGraph({ selectedRow: 0 });
    const canvas = screen.getByTestId('flame-canvas');
    // lane 1 (y 20..40), 50 % of 100 ms: inside "GET cart"
    fireEvent.click(canvas, { clientX: 500, clientY: 30 });
    const cart = onSelectRow.mock.calls[0][0];
    expect(model.spans[cart].name).toBe('GET cart');
    fireEvent.doubleClick(canvas, { clientX: 500, clientY: 30 });
    expect(onViewRangeChange).toHaveBeenCalledWith({ startMs: 30, endMs: 60 });

    const graph = screen.getByRole('application', {
      name: /Flame graph of 5 spans/,
    });
    fireEvent.keyDown(graph, { key: 'ArrowDown' });
    expect(onSelectRow).toHaveBeenLastCalledWith(1);
    fireEvent.keyDown(graph, { key: 'z' });
    expect(onViewRangeChange).toHaveBeenLastCalledWith({
      startMs: 0,
      endMs: 100,
    });
    fireEvent.keyDown(graph, { key: '0' });
    expect(onViewRangeChange).toHaveBeenLastCalledWith(undefined);
  });

  it('describes the selected span in words', () => {
    const cart = model.spans.findIndex(s => s.name === 'GET cart');
    renderGraph({ selectedRow: cart });
    expect(
      screen.getByText('cart · GET cart · 30ms (self 10ms) · error'),
    ).toBeInTheDocument();
  });
});
