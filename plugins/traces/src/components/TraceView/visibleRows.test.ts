import { buildWaterfallModel } from './waterfallModel';
import {
  collapseAll,
  collapseBelowLevel,
  collapsedServices,
  computeVisibleRows,
  errorFilter,
  expandAncestors,
  FILTER_CONTEXT,
  FILTER_HIDDEN,
  FILTER_MATCH,
  filterWithAncestors,
  positionOfRow,
  serviceFilter,
  setServiceCollapsed,
  toggleRow,
} from './visibleRows';
import { checkoutTrace, makeTrace } from './testTraces';

// Rows of checkoutTrace(): 0 root(frontend) 1 auth 2 cart(error) 3 db(cart) 4 payments
const model = buildWaterfallModel(checkoutTrace());
const rows = (set: ReadonlySet<number>, filter?: Uint8Array) =>
  Array.from(computeVisibleRows(model, set, filter));

describe('computeVisibleRows', () => {
  it('shows every row when nothing is collapsed', () => {
    expect(rows(new Set())).toEqual([0, 1, 2, 3, 4]);
  });

  it('skips the subtree of a collapsed row but keeps the row', () => {
    expect(rows(new Set([2]))).toEqual([0, 1, 2, 4]);
    expect(rows(new Set([0]))).toEqual([0]);
    expect(rows(toggleRow(new Set([2]), 2))).toEqual([0, 1, 2, 3, 4]);
  });

  it('collapses everything, or below a level', () => {
    expect(rows(collapseAll(model))).toEqual([0]);
    expect(rows(collapseBelowLevel(model, 1))).toEqual([0]);
    expect(rows(collapseBelowLevel(model, 2))).toEqual([0, 1, 2, 4]);
    expect(rows(collapseBelowLevel(model, 3))).toEqual([0, 1, 2, 3, 4]);
    // Deeper rows stay collapsed too, so expanding one level down reveals one level.
    expect(collapseBelowLevel(model, 1)).toEqual(new Set([0, 2]));
  });

  it('handles forests with multiple roots', () => {
    const forest = buildWaterfallModel(
      makeTrace([
        { spanId: 'a', startMs: 0, durationMs: 5 },
        { spanId: 'a1', parentSpanId: 'a', startMs: 1, durationMs: 1 },
        { spanId: 'b', parentSpanId: 'missing', startMs: 2, durationMs: 5 },
        { spanId: 'b1', parentSpanId: 'b', startMs: 3, durationMs: 1 },
      ]),
    );
    expect(Array.from(computeVisibleRows(forest, collapseAll(forest)))).toEqual(
      [0, 2],
    );
  });
});

describe('collapse by service', () => {
  it('collapses and expands every span of a service that has children', () => {
    const cart = model.services.indexOf('cart');
    const collapsed = setServiceCollapsed(model, new Set(), cart, true);
    expect(collapsed).toEqual(new Set([2]));
    expect(collapsedServices(model, collapsed)).toEqual(
      model.services.map(s => s === 'cart'),
    );
    expect(setServiceCollapsed(model, collapsed, cart, false)).toEqual(
      new Set(),
    );
  });

  it('reports a service without parent spans as never collapsed', () => {
    const auth = model.services.indexOf('auth');
    expect(setServiceCollapsed(model, new Set(), auth, true)).toEqual(
      new Set(),
    );
    expect(collapsedServices(model, collapseAll(model))[auth]).toBe(false);
  });

  it('shows only one service, with its ancestors as context', () => {
    const filter = serviceFilter(model, model.services.indexOf('cart'));
    expect(Array.from(filter)).toEqual([
      FILTER_CONTEXT,
      FILTER_HIDDEN,
      FILTER_MATCH,
      FILTER_MATCH,
      FILTER_HIDDEN,
    ]);
    expect(rows(new Set(), filter)).toEqual([0, 2, 3]);
    expect(rows(new Set([2]), filter)).toEqual([0, 2]);
  });
});

describe('filters', () => {
  it('keeps only error spans and their ancestors', () => {
    expect(rows(new Set(), errorFilter(model))).toEqual([0, 2]);
  });

  it('marks every ancestor of a deep match as context', () => {
    const mask = new Uint8Array(model.size);
    mask[3] = 1;
    expect(Array.from(filterWithAncestors(model, mask))).toEqual([
      2, 0, 2, 1, 0,
    ]);
  });
});

describe('expandAncestors', () => {
  it('uncollapses the path to each row and nothing else', () => {
    const collapsed = collapseAll(model); // {0, 2}
    expect(expandAncestors(model, collapsed, [3])).toEqual(new Set());
    expect(expandAncestors(model, collapsed, [1])).toEqual(new Set([2]));
  });

  it('returns the same set when no ancestor was collapsed', () => {
    const collapsed = new Set([2]);
    expect(expandAncestors(model, collapsed, [1, 4])).toBe(collapsed);
  });
});

describe('positionOfRow', () => {
  it('finds a row in the visible list or returns -1', () => {
    const visible = computeVisibleRows(model, new Set([2]));
    expect(positionOfRow(visible, 4)).toBe(3);
    expect(positionOfRow(visible, 3)).toBe(-1);
  });
});
