import { decodeCompactTrace } from '@backstage-traces/plugin-traces-common';
import { compactTraceOf, wideTree } from '../../__testUtils__/compactTraces';
import { buildTraceTree } from './TraceTree';
import { selectInitialWindow, selectSubtreeWindow } from './selectWindow';
import { sliceCompactTrace } from './sliceCompactTrace';

const id = (n: number) => n.toString(16).padStart(16, '0');

describe('sliceCompactTrace', () => {
  const spans = wideTree(5, 3, n => n === 40).map((span, i) => ({
    ...span,
    attributes: { 'http.route': `/orders/${i % 3}`, 'retry.count': i },
  }));
  const compact = compactTraceOf(spans);
  const tree = buildTraceTree(compact);
  const whole = decodeCompactTrace(compact);
  const byId = new Map(whole.spans.map(span => [span.spanId, span]));

  it('decodes to exactly the selected spans of the whole trace, in start order', () => {
    const selection = selectInitialWindow(tree, 20);
    const window = decodeCompactTrace(
      sliceCompactTrace(compact, tree, selection, 20),
    );
    expect(window.spans.length).toBe(20);
    for (const span of window.spans) {
      const { subtree, ...rest } = span;
      expect(rest).toEqual(byId.get(span.spanId));
      expect(subtree).toEqual({
        children:
          tree.childStart[tree.rowOf(span.spanId) + 1] -
          tree.childStart[tree.rowOf(span.spanId)],
        descendants: tree.descendants[tree.rowOf(span.spanId)],
        errors: tree.descendantErrors[tree.rowOf(span.spanId)],
      });
    }
    const starts = window.spans.map(span => span.startMs);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('describes the whole trace in the window', () => {
    const window = decodeCompactTrace(
      sliceCompactTrace(compact, tree, selectInitialWindow(tree, 20), 20),
    );
    expect(window.spanCount).toBe(156);
    expect(window.services).toEqual(whole.services);
    expect(window.window).toMatchObject({
      totalSpans: 156,
      errorCount: 1,
      windowSpans: 20,
      services: [
        { name: 'frontend', spanCount: 26, errorCount: 1 },
        { name: 'orders-api', spanCount: 130, errorCount: 0 },
      ],
    });
    // Every section of a loaded span is there, with its times in ms.
    const loaded = new Set(window.spans.map(span => span.spanId));
    const expected = Array.from(tree.critical.rows)
      .map((row, i) => ({
        spanId: compact.spans.ids.slice(row * 16, row * 16 + 16),
        startMs: tree.critical.startNs[i] / 1e6,
        endMs: tree.critical.endNs[i] / 1e6,
      }))
      .filter(section => loaded.has(section.spanId));
    expect(window.window!.criticalPath).toEqual(expected);
  });

  it('keeps only the strings the window uses', () => {
    const sliced = sliceCompactTrace(
      compact,
      tree,
      selectSubtreeWindow(tree, tree.rowOf(id(2)), 0, 3),
      3,
    );
    expect(sliced.strings.length).toBeLessThan(compact.strings.length);
    expect(new Set(sliced.strings).size).toBe(sliced.strings.length);
  });

  it('names the parent of a subtree window by ID and where it continues', () => {
    const root = tree.rowOf(id(1));
    const sliced = sliceCompactTrace(
      compact,
      tree,
      selectSubtreeWindow(tree, root, 1, 2),
      2,
    );
    const window = decodeCompactTrace(sliced);
    expect(window.spans.map(span => span.parentSpanId)).toEqual([id(1), id(1)]);
    expect(window.window!.continuation).toEqual({ spanId: id(1), from: 3 });
  });
});
