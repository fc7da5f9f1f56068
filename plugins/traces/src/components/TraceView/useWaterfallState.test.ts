import { act, renderHook } from '@testing-library/react';
import { makeTrace } from './testTraces';
import { useWaterfallState } from './useWaterfallState';
import { buildWaterfallModel } from './waterfallModel';

describe('useWaterfallState', () => {
  it('carries collapsed rows over by span ID when the model is rebuilt', () => {
    const a = { spanId: 'a', startMs: 0, durationMs: 10 };
    const b = { spanId: 'b', parentSpanId: 'a', startMs: 5, durationMs: 5 };
    const c = { spanId: 'c', parentSpanId: 'b', startMs: 6, durationMs: 1 };
    const early = { spanId: 'e', parentSpanId: 'a', startMs: 1, durationMs: 1 };
    const before = buildWaterfallModel(makeTrace([a, b, c]));
    // A merged window adds a span that starts first: 'b' moves from row 1 to row 2.
    const after = buildWaterfallModel(makeTrace([a, early, b, c]));

    const { result, rerender } = renderHook(
      ({ model }) => useWaterfallState(model),
      { initialProps: { model: before } },
    );
    act(() => result.current.toggleRow(before.indexOf('b')!));
    expect(result.current.collapsed).toEqual(new Set([1]));

    rerender({ model: after });
    expect(result.current.collapsed).toEqual(new Set([after.indexOf('b')]));
    expect(Array.from(result.current.rows, r => after.spans[r].spanId)).toEqual(
      ['a', 'e', 'b'],
    );
    // Later changes build on the carried-over set.
    act(() => result.current.toggleRow(after.indexOf('a')!));
    expect(result.current.collapsed).toEqual(new Set([0, 2]));
    act(() => result.current.expandRow(after.indexOf('b')!));
    expect(result.current.collapsed).toEqual(new Set([0]));
  });
});
