import { buildWaterfallModel } from './waterfallModel';
import { computeVisibleRows } from './visibleRows';
import { paintMinimap, parseColor, rasterizeMinimap } from './minimapRaster';
import { checkoutTrace } from './testTraces';

// Rows: 0 root 0..100, 1 auth 5..25, 2 cart 30..60 (error), 3 db 35..55, 4 pay 62..98
const model = buildWaterfallModel(checkoutTrace());
const rows = computeVisibleRows(model, new Set());

describe('rasterizeMinimap', () => {
  it('draws one line per row when there are as many lines as rows', () => {
    const r = rasterizeMinimap(model, rows, 10, 5);
    const line = (y: number) => Array.from(r.cover.slice(y * 10, y * 10 + 10));
    expect(line(0)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(line(1)).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(line(2)).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0]);
    expect(Array.from(r.errors.slice(20, 30))).toEqual([
      0, 0, 0, 1, 1, 1, 0, 0, 0, 0,
    ]);
    expect(r.maxCover).toBe(1);
  });

  it('sums overlapping spans when rows share a line', () => {
    const r = rasterizeMinimap(model, rows, 10, 1);
    expect(Array.from(r.cover)).toEqual([2, 2, 2, 3, 3, 3, 2, 2, 2, 2]);
    expect(r.maxCover).toBe(3);
  });

  it('follows the visible rows only', () => {
    const r = rasterizeMinimap(
      model,
      computeVisibleRows(model, new Set([0])),
      10,
      2,
    );
    expect(Array.from(r.cover)).toEqual(new Array(20).fill(1));
  });

  it('gives a span shorter than a pixel one pixel', () => {
    const r = rasterizeMinimap(model, rows, 2, 5);
    expect(r.cover[1 * 2]).toBe(1);
  });
});

describe('paintMinimap', () => {
  it('paints covered pixels, errors in the error colour', () => {
    const r = rasterizeMinimap(model, rows, 10, 5);
    const px = paintMinimap(r, [0, 0, 255], [255, 0, 0]);
    const at = (x: number, y: number) =>
      Array.from(px.slice((y * 10 + x) * 4, (y * 10 + x) * 4 + 4));
    expect(at(0, 0).slice(0, 3)).toEqual([0, 0, 255]);
    expect(at(0, 0)[3]).toBeGreaterThan(0);
    expect(at(4, 2)).toEqual([255, 0, 0, 255]);
    expect(at(9, 1)).toEqual([0, 0, 0, 0]);
  });
});

describe('parseColor', () => {
  it('reads hex and rgb colours', () => {
    expect(parseColor('#1f77b4')).toEqual([31, 119, 180]);
    expect(parseColor('#fff')).toEqual([255, 255, 255]);
    expect(parseColor('rgba(10, 20, 30, 0.5)')).toEqual([10, 20, 30]);
    expect(parseColor('red')).toEqual([128, 128, 128]);
  });
});
