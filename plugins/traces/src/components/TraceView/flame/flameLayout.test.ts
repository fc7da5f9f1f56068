import { buildWaterfallModel } from '../waterfallModel';
import { makeTrace } from '../testTraces';
import {
  buildFlameLayout,
  hitTest,
  neighbourInLane,
  type FlameLayout,
} from './flameLayout';

/*
 *   root            0..100
 *   ├ a  (seq)      0..20
 *   ├ b  (seq)     20..40      a and b share a lane
 *   ├ c  (par)     10..30      overlaps a and b: a second lane
 *   │ └ c1         12..14
 *   └ z  (zero)    50..50      (an instant: still a box)
 *   o              60..70      (missing parent: a root, overlapping the other root)
 */
const model = buildWaterfallModel(
  makeTrace([
    { spanId: 'root', startMs: 0, durationMs: 100 },
    { spanId: 'a', parentSpanId: 'root', startMs: 0, durationMs: 20 },
    { spanId: 'b', parentSpanId: 'root', startMs: 20, durationMs: 20 },
    { spanId: 'c', parentSpanId: 'root', startMs: 10, durationMs: 20 },
    { spanId: 'c1', parentSpanId: 'c', startMs: 12, durationMs: 2 },
    { spanId: 'z', parentSpanId: 'root', startMs: 50, durationMs: 0 },
    { spanId: 'o', parentSpanId: 'missing', startMs: 60, durationMs: 10 },
  ]),
);
const row = (id: string) => model.indexOf(id)!;
const laneOf = (layout: FlameLayout, id: string) => layout.lane[row(id)];

describe('buildFlameLayout', () => {
  const layout = buildFlameLayout(model);

  it('puts each depth in its own lanes, overlapping spans in separate lanes', () => {
    // depth 0: root and the orphan overlap → 2 lanes; depth 1: a|b and c → 2; depth 2: c1
    expect(Array.from(layout.depthLane)).toEqual([0, 2, 4, 5]);
    expect(Array.from(layout.laneDepth)).toEqual([0, 0, 1, 1, 2]);
    expect(layout.laneCount).toBe(5);
    expect(laneOf(layout, 'root')).toBe(0);
    expect(laneOf(layout, 'o')).toBe(1);
    expect(laneOf(layout, 'a')).toBe(laneOf(layout, 'b'));
    expect(laneOf(layout, 'c')).not.toBe(laneOf(layout, 'a'));
    expect([2, 3]).toContain(laneOf(layout, 'z'));
    expect(laneOf(layout, 'c1')).toBe(4);
  });

  it('keeps every lane sorted and free of overlaps', () => {
    for (let l = 0; l < layout.laneCount; l++) {
      for (let i = layout.laneStart[l] + 1; i < layout.laneStart[l + 1]; i++) {
        const prev = layout.laneRows[i - 1];
        const cur = layout.laneRows[i];
        expect(model.startMs[cur]).toBeGreaterThanOrEqual(model.endMs[prev]);
      }
    }
    expect(layout.laneStart[layout.laneCount]).toBe(model.size);
  });

  it('finds the box under a point, with slack for thin boxes', () => {
    const lane = laneOf(layout, 'a');
    expect(hitTest(layout, model, lane, 5)).toBe(row('a'));
    expect(hitTest(layout, model, lane, 25)).toBe(row('b'));
    expect(hitTest(layout, model, lane, 45)).toBe(-1);
    const instant = laneOf(layout, 'z');
    expect(hitTest(layout, model, instant, 50.2)).toBe(-1);
    expect(hitTest(layout, model, instant, 50.2, 0.5)).toBe(row('z'));
    expect(hitTest(layout, model, 99, 5)).toBe(-1);
  });

  it('steps to the neighbours in a lane', () => {
    expect(neighbourInLane(layout, row('a'), 1)).toBe(row('b'));
    expect(neighbourInLane(layout, row('b'), -1)).toBe(row('a'));
    expect(neighbourInLane(layout, row('root'), -1)).toBe(-1);
  });

  it('lays out an empty trace', () => {
    const empty = buildFlameLayout(buildWaterfallModel(makeTrace([])));
    expect(empty.laneCount).toBe(0);
  });
});
