import {
  ancestorPath,
  buildWaterfallModel,
  childrenOf,
  FLAG_CRITICAL,
  FLAG_CYCLE,
  FLAG_ERROR,
  FLAG_ORPHAN,
  WaterfallModel,
} from './waterfallModel';
import { checkoutTrace, makeTrace, SpanSpec } from './testTraces';

const ids = (model: WaterfallModel, rows: ArrayLike<number>) =>
  Array.from(rows, r => model.spans[r].spanId);

/** Critical-path sections per span ID, as [start, end] pairs in ms. */
function criticalSections(model: WaterfallModel) {
  const out: Record<string, Array<[number, number]>> = {};
  const { offsets, startMs, endMs } = model.criticalPath;
  for (let r = 0; r < model.size; r++) {
    for (let k = offsets[r]; k < offsets[r + 1]; k++) {
      (out[model.spans[r].spanId] ??= []).push([startMs[k], endMs[k]]);
    }
  }
  for (const list of Object.values(out)) list.sort((a, b) => a[0] - b[0]);
  return out;
}

describe('buildWaterfallModel', () => {
  it('orders spans depth-first with children by start time', () => {
    const model = buildWaterfallModel(checkoutTrace());
    expect(
      ids(
        model,
        model.spans.map((_, r) => r),
      ),
    ).toEqual([
      'aaaaaaaaaaaaaaa1',
      'aaaaaaaaaaaaaaa2',
      'aaaaaaaaaaaaaaa3',
      'aaaaaaaaaaaaaaa4',
      'aaaaaaaaaaaaaaa5',
    ]);
    expect(Array.from(model.depth)).toEqual([0, 1, 1, 2, 1]);
    expect(Array.from(model.parent)).toEqual([-1, 0, 0, 2, 0]);
    expect(Array.from(model.subtreeEnd)).toEqual([5, 2, 4, 4, 5]);
    expect(Array.from(model.childCount)).toEqual([3, 0, 1, 0, 0]);
    expect(Array.from(model.roots)).toEqual([0]);
    expect(model.maxDepth).toBe(2);
    expect(childrenOf(model, 0)).toEqual([1, 2, 4]);
    expect(ancestorPath(model, 3)).toEqual([0, 2, 3]);
    expect(model.indexOf('aaaaaaaaaaaaaaa4')).toBe(3);
    expect(model.indexOf('ffffffffffffffff')).toBeUndefined();
  });

  it('sorts spans that arrive out of start order', () => {
    const trace = makeTrace([
      { spanId: 'r', startMs: 0, durationMs: 10 },
      { spanId: 'late', parentSpanId: 'r', startMs: 6, durationMs: 1 },
      { spanId: 'early', parentSpanId: 'r', startMs: 2, durationMs: 1 },
    ]);
    trace.spans.reverse();
    const model = buildWaterfallModel(trace);
    expect(ids(model, [0, 1, 2])).toEqual(['r', 'early', 'late']);
  });

  it('shows spans whose parent is missing as marked roots, alongside real roots', () => {
    const model = buildWaterfallModel(
      makeTrace([
        { spanId: 'root', startMs: 0, durationMs: 50 },
        { spanId: 'child', parentSpanId: 'root', startMs: 1, durationMs: 5 },
        { spanId: 'orphan', parentSpanId: 'gone', startMs: 10, durationMs: 5 },
        {
          spanId: 'orphan-kid',
          parentSpanId: 'orphan',
          startMs: 11,
          durationMs: 2,
        },
        { spanId: 'second-root', startMs: 20, durationMs: 5 },
      ]),
    );
    expect(ids(model, model.roots)).toEqual(['root', 'orphan', 'second-root']);
    const orphan = model.indexOf('orphan')!;
    expect(model.flags[orphan] & FLAG_ORPHAN).toBeTruthy();
    expect(model.depth[orphan]).toBe(0);
    expect(model.parent[model.indexOf('orphan-kid')!]).toBe(orphan);
    expect(model.flags[model.indexOf('second-root')!] & FLAG_ORPHAN).toBe(0);
    expect(model.orphanCount).toBe(1);
  });

  it('treats a span naming itself as parent as an orphan', () => {
    const model = buildWaterfallModel(
      makeTrace([
        { spanId: 'self', parentSpanId: 'self', startMs: 0, durationMs: 1 },
      ]),
    );
    expect(model.flags[0] & FLAG_ORPHAN).toBeTruthy();
    expect(Array.from(model.roots)).toEqual([0]);
  });

  it('cuts parent cycles so that every span is shown exactly once', () => {
    const model = buildWaterfallModel(
      makeTrace([
        { spanId: 'below', parentSpanId: 'b', startMs: 0, durationMs: 1 },
        { spanId: 'a', parentSpanId: 'b', startMs: 1, durationMs: 5 },
        { spanId: 'b', parentSpanId: 'a', startMs: 2, durationMs: 3 },
      ]),
    );
    expect(model.size).toBe(3);
    expect(new Set(ids(model, [0, 1, 2]))).toEqual(
      new Set(['a', 'b', 'below']),
    );
    expect(model.roots).toHaveLength(1);
    const root = model.roots[0];
    expect(model.flags[root] & FLAG_CYCLE).toBeTruthy();
    expect(model.subtreeEnd[root]).toBe(3);
  });

  it('keeps spans with duplicate IDs and attaches children to the first', () => {
    const model = buildWaterfallModel(
      makeTrace([
        { spanId: 'dup', startMs: 0, durationMs: 10 },
        { spanId: 'dup', startMs: 1, durationMs: 2 },
        { spanId: 'kid', parentSpanId: 'dup', startMs: 3, durationMs: 1 },
      ]),
    );
    expect(model.size).toBe(3);
    expect(model.parent[model.indexOf('kid')!]).toBe(model.indexOf('dup'));
  });

  it('assigns service colour indexes in the order of trace.services', () => {
    const trace = checkoutTrace();
    trace.services = ['payments', 'frontend', 'auth', 'cart'];
    trace.spans[0] = { ...trace.spans[0], serviceName: 'not-listed' };
    const model = buildWaterfallModel(trace);
    expect(model.services).toEqual([
      'payments',
      'frontend',
      'auth',
      'cart',
      'not-listed',
    ]);
    expect(model.service[model.indexOf('aaaaaaaaaaaaaaa5')!]).toBe(0);
    expect(model.service[0]).toBe(4);
    expect(Array.from(model.serviceSpanCount)).toEqual([1, 0, 1, 2, 1]);
    expect(Array.from(model.serviceErrorCount)).toEqual([0, 0, 0, 1, 0]);
  });

  it('flags errors and counts errors hidden below each span', () => {
    const model = buildWaterfallModel(checkoutTrace());
    expect(model.errorCount).toBe(1);
    expect(model.flags[2] & FLAG_ERROR).toBeTruthy();
    expect(model.flags[3] & FLAG_ERROR).toBe(0);
    expect(Array.from(model.descendantErrors)).toEqual([1, 0, 0, 0, 0]);
  });

  it('computes self time from the union of child intervals', () => {
    const model = buildWaterfallModel(
      makeTrace([
        { spanId: 'p', startMs: 0, durationMs: 100 },
        { spanId: 'c1', parentSpanId: 'p', startMs: 10, durationMs: 30 },
        { spanId: 'c2', parentSpanId: 'p', startMs: 20, durationMs: 30 },
        { spanId: 'c3', parentSpanId: 'p', startMs: 90, durationMs: 30 },
      ]),
    );
    // Children cover 10..50 and 90..100 (clipped): 50 ms of 100.
    expect(model.selfMs[0]).toBeCloseTo(50);
    expect(model.selfMs[model.indexOf('c1')!]).toBeCloseTo(30);
  });

  it('sizes the time axis to the trace and never to zero', () => {
    expect(buildWaterfallModel(checkoutTrace()).durationMs).toBe(100);
    const empty = buildWaterfallModel(
      makeTrace([{ spanId: 'x', startMs: 0, durationMs: 0 }]),
    );
    expect(empty.durationMs).toBeGreaterThan(0);
    const overflowing = buildWaterfallModel(
      makeTrace([{ spanId: 'x', startMs: 0, durationMs: 30 }], {
        durationMs: 20,
      }),
    );
    expect(overflowing.durationMs).toBe(30);
  });

  it('handles an empty trace', () => {
    const model = buildWaterfallModel(makeTrace([]));
    expect(model.size).toBe(0);
    expect(model.roots).toHaveLength(0);
    expect(model.criticalPath.offsets).toEqual(new Int32Array([0]));
  });
});

describe('critical path', () => {
  /*
   *   R  [0, 100]
   *   ├ A  [10, 40]
   *   │ └ A1 [15, 35]
   *   ├ B  [30, 80]
   *   │ ├ B1 [35, 50]
   *   │ └ B2 [55, 75]
   *   └ C  [85, 95]
   *
   * Walking back from R's end: C is the last to finish (95); R waits 95..100. Before C started
   * (85) the last child to finish is B (80): R owns 80..85. Inside B: B2 (75) then, before 55,
   * B1 (50); B owns 75..80, 50..55 and 30..35. Back in R before 30 no child has finished
   * (A ends at 40), so R owns 0..30. A and A1 are not on the path.
   */
  const specs: SpanSpec[] = [
    { spanId: 'R', startMs: 0, durationMs: 100 },
    { spanId: 'A', parentSpanId: 'R', startMs: 10, durationMs: 30 },
    { spanId: 'A1', parentSpanId: 'A', startMs: 15, durationMs: 20 },
    { spanId: 'B', parentSpanId: 'R', startMs: 30, durationMs: 50 },
    { spanId: 'B1', parentSpanId: 'B', startMs: 35, durationMs: 15 },
    { spanId: 'B2', parentSpanId: 'B', startMs: 55, durationMs: 20 },
    { spanId: 'C', parentSpanId: 'R', startMs: 85, durationMs: 10 },
  ];

  it('follows the last-finishing overlapping child, as Jaeger UI does', () => {
    const model = buildWaterfallModel(makeTrace(specs));
    expect(criticalSections(model)).toEqual({
      R: [
        [0, 30],
        [80, 85],
        [95, 100],
      ],
      B: [
        [30, 35],
        [50, 55],
        [75, 80],
      ],
      B1: [[35, 50]],
      B2: [[55, 75]],
      C: [[85, 95]],
    });
    const critical = model.spans
      .filter((_, r) => model.flags[r] & FLAG_CRITICAL)
      .map(s => s.spanId);
    expect(critical).toEqual(['R', 'B', 'B1', 'B2', 'C']);
  });

  it('clips children to their parent and ignores children outside it', () => {
    const model = buildWaterfallModel(
      makeTrace([
        { spanId: 'P', startMs: 0, durationMs: 50 },
        { spanId: 'over', parentSpanId: 'P', startMs: 20, durationMs: 100 },
        { spanId: 'after', parentSpanId: 'P', startMs: 60, durationMs: 100 },
      ]),
    );
    expect(criticalSections(model)).toEqual({
      P: [[0, 20]],
      over: [[20, 50]],
    });
  });

  it('runs from every real root but not from orphan fragments', () => {
    const model = buildWaterfallModel(
      makeTrace([
        { spanId: 'root', startMs: 0, durationMs: 10 },
        {
          spanId: 'orphan',
          parentSpanId: 'missing',
          startMs: 2,
          durationMs: 3,
        },
      ]),
    );
    expect(criticalSections(model)).toEqual({ root: [[0, 10]] });
  });

  it('falls back to orphan roots when the trace has no real root', () => {
    const model = buildWaterfallModel(
      makeTrace([
        {
          spanId: 'orphan',
          parentSpanId: 'missing',
          startMs: 2,
          durationMs: 3,
        },
      ]),
    );
    expect(criticalSections(model)).toEqual({ orphan: [[2, 5]] });
  });

  it('covers the whole root on long chains and wide fan-outs without recursion', () => {
    const chain: SpanSpec[] = [];
    for (let i = 0; i < 20000; i++) {
      chain.push({
        spanId: `c${i}`,
        parentSpanId: i ? `c${i - 1}` : undefined,
        startMs: i * 0.001,
        durationMs: 100 - i * 0.002,
      });
    }
    const deep = buildWaterfallModel(makeTrace(chain));
    expect(deep.maxDepth).toBe(19999);
    const fan: SpanSpec[] = [{ spanId: 'root', startMs: 0, durationMs: 30000 }];
    for (let i = 0; i < 30000; i++) {
      fan.push({
        spanId: `k${i}`,
        parentSpanId: 'root',
        startMs: i,
        durationMs: 0.5,
      });
    }
    const wide = buildWaterfallModel(makeTrace(fan));
    for (const model of [deep, wide]) {
      const { startMs, endMs } = model.criticalPath;
      let total = 0;
      for (let k = 0; k < startMs.length; k++) total += endMs[k] - startMs[k];
      expect(total).toBeCloseTo(model.endMs[0] - model.startMs[0], 6);
    }
    // Every sequential child of the wide root is on the path.
    expect(wide.criticalPath.startMs.length).toBe(30000 * 2);
  });
});

describe('buildWaterfallModel of a window of a large trace', () => {
  it('counts what is not loaded and takes the critical path from the window', () => {
    const trace = makeTrace(
      [
        {
          spanId: 'a',
          startMs: 0,
          durationMs: 10,
          subtree: { children: 3, descendants: 7, errors: 2 },
        },
        {
          spanId: 'b',
          parentSpanId: 'a',
          startMs: 1,
          durationMs: 5,
          subtree: { children: 2, descendants: 2, errors: 1 },
        },
      ],
      {
        window: {
          totalSpans: 8,
          errorCount: 2,
          windowSpans: 2,
          services: [{ name: 'frontend', spanCount: 8, errorCount: 2 }],
          criticalPath: [
            { spanId: 'a', startMs: 9, endMs: 10 },
            { spanId: 'zz', startMs: 6, endMs: 9 },
            { spanId: 'b', startMs: 1, endMs: 6 },
          ],
        },
      },
    );
    const model = buildWaterfallModel(trace);
    const [a, b] = [model.indexOf('a')!, model.indexOf('b')!];
    expect(model.hiddenChildren![a]).toBe(2);
    expect(model.hiddenSpans![a]).toBe(6);
    expect(model.hiddenErrors![a]).toBe(2);
    expect(model.hiddenChildren![b]).toBe(2);
    expect(model.hiddenSpans![b]).toBe(2);
    // Sections of spans not loaded ('zz') are left out; no path is computed locally.
    const { offsets, startMs, endMs } = model.criticalPath;
    expect(Array.from(offsets)).toEqual([0, 1, 2]);
    expect([startMs[offsets[a]], endMs[offsets[a]]]).toEqual([9, 10]);
    expect([startMs[offsets[b]], endMs[offsets[b]]]).toEqual([1, 6]);
    expect(model.flags[b] & FLAG_CRITICAL).toBeTruthy();
  });

  it('has no hidden counts for a whole trace', () => {
    const model = buildWaterfallModel(
      makeTrace([{ spanId: 'a', startMs: 0, durationMs: 1 }]),
    );
    expect(model.hiddenSpans).toBeUndefined();
  });
});
