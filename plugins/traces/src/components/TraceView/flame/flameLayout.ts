import type { WaterfallModel } from '../waterfallModel';

/*
 * The layout of the flame graph (an icicle on the trace's time axis): each span is a box from
 * its start to its end, one level per tree depth, roots on top. Spans of one depth that
 * overlap in time (concurrent calls) get more lanes in their level, so no box hides another;
 * within a lane boxes never overlap, so a lane's spans are sorted by start and by end alike
 * and the drawing and hit testing of a lane is a binary search. O(n log n).
 */

export interface FlameLayout {
  /** Lanes in all: the graph's height in rows. */
  readonly laneCount: number;
  /** Lane of each waterfall row. */
  readonly lane: Int32Array;
  /** Rows of lane l, by start: laneRows[laneStart[l] .. laneStart[l + 1] - 1]. */
  readonly laneStart: Int32Array;
  readonly laneRows: Int32Array;
  /** First lane of each depth (depth d has lanes depthLane[d] .. depthLane[d + 1] - 1). */
  readonly depthLane: Int32Array;
  /** Depth of each lane. */
  readonly laneDepth: Int32Array;
  /** The time axis: earliest start (0 unless clock skew) and latest end, ms from trace start. */
  readonly fromMs: number;
  readonly toMs: number;
}

const less = (ends: number[], x: number, y: number) =>
  ends[x] < ends[y] || (ends[x] === ends[y] && x < y);

/** Binary heap of lanes by the end of their last box: the lane free soonest on top. */
class LaneHeap {
  private readonly lanes: number[] = [];
  private readonly ends: number[];
  // A plain field, not a parameter property: the Node benchmarks run this file type-stripped.
  constructor(ends: number[]) {
    this.ends = ends;
  }
  get size() {
    return this.lanes.length;
  }
  peek(): number {
    return this.lanes[0];
  }
  push(lane: number) {
    const { lanes, ends } = this;
    let i = lanes.length;
    lanes.push(lane);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (less(ends, lanes[p], lane)) break;
      lanes[i] = lanes[p];
      i = p;
    }
    lanes[i] = lane;
  }
  /** Re-sorts the top after its end grew. */
  siftTop() {
    const { lanes, ends } = this;
    const n = lanes.length;
    const lane = lanes[0];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && less(ends, lanes[c + 1], lanes[c])) c++;
      if (!less(ends, lanes[c], lane)) break;
      lanes[i] = lanes[c];
      i = c;
    }
    lanes[i] = lane;
  }
}

export function buildFlameLayout(model: WaterfallModel): FlameLayout {
  const n = model.size;
  const levels = model.maxDepth + 1;
  // Rows by depth (counting sort), then by start within each depth.
  const depthStart = new Int32Array(levels + 1);
  for (let r = 0; r < n; r++) depthStart[model.depth[r] + 1]++;
  for (let d = 0; d < levels; d++) depthStart[d + 1] += depthStart[d];
  const byDepth = new Int32Array(n);
  const fill = depthStart.slice(0, levels);
  for (let r = 0; r < n; r++) byDepth[fill[model.depth[r]]++] = r;
  const { startMs, endMs } = model;
  for (let d = 0; d < levels; d++) {
    byDepth
      .subarray(depthStart[d], depthStart[d + 1])
      .sort((x, y) => startMs[x] - startMs[y] || x - y);
  }

  const lane = new Int32Array(n);
  const depthLane = new Int32Array(levels + 1);
  let lanes = 0;
  for (let d = 0; d < levels; d++) {
    depthLane[d] = lanes;
    // Lane ends within this depth; the heap hands out the lane that is free soonest.
    const ends: number[] = [];
    const heap = new LaneHeap(ends);
    for (let i = depthStart[d]; i < depthStart[d + 1]; i++) {
      const r = byDepth[i];
      // A zero-length span still takes its instant: it must not share it with another box.
      const end = Math.max(endMs[r], startMs[r]);
      if (
        heap.size > 0 &&
        ends[heap.peek()] <= startMs[r] &&
        ends[heap.peek()] < end
      ) {
        const l = heap.peek();
        ends[l] = end;
        heap.siftTop();
        lane[r] = lanes + l;
      } else {
        ends.push(end);
        heap.push(ends.length - 1);
        lane[r] = lanes + ends.length - 1;
      }
    }
    lanes += ends.length;
  }
  depthLane[levels] = lanes;
  const laneDepth = new Int32Array(lanes);
  for (let d = 0; d < levels; d++) {
    laneDepth.fill(d, depthLane[d], depthLane[d + 1]);
  }

  // Lane lists: rows by depth are in start order, so a stable pass keeps them sorted.
  const laneStart = new Int32Array(lanes + 1);
  for (let r = 0; r < n; r++) laneStart[lane[r] + 1]++;
  for (let l = 0; l < lanes; l++) laneStart[l + 1] += laneStart[l];
  const laneRows = new Int32Array(n);
  const next = laneStart.slice(0, lanes);
  for (let i = 0; i < n; i++) {
    const r = byDepth[i];
    laneRows[next[lane[r]]++] = r;
  }
  let fromMs = 0;
  let toMs = model.trace.durationMs > 0 ? model.trace.durationMs : 0;
  for (let r = 0; r < n; r++) {
    if (startMs[r] < fromMs) fromMs = startMs[r];
    if (endMs[r] > toMs) toMs = endMs[r];
  }
  if (toMs <= fromMs) toMs = fromMs + 1e-6;
  return {
    laneCount: lanes,
    lane,
    laneStart,
    laneRows,
    depthLane,
    laneDepth,
    fromMs,
    toMs,
  };
}

/** Index (into `laneRows`) of the first box of `lane` that ends at or after `timeMs`. */
export function firstBoxEndingAfter(
  layout: FlameLayout,
  model: WaterfallModel,
  laneIndex: number,
  timeMs: number,
): number {
  let lo = layout.laneStart[laneIndex];
  let hi = layout.laneStart[laneIndex + 1];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (model.endMs[layout.laneRows[mid]] < timeMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The row whose box covers `timeMs` in `lane`, or -1. `slackMs` widens boxes for the test
 * (a box narrower than a pixel can still be hit).
 */
export function hitTest(
  layout: FlameLayout,
  model: WaterfallModel,
  laneIndex: number,
  timeMs: number,
  slackMs = 0,
): number {
  if (laneIndex < 0 || laneIndex >= layout.laneCount) return -1;
  const i = firstBoxEndingAfter(layout, model, laneIndex, timeMs - slackMs);
  if (i >= layout.laneStart[laneIndex + 1]) return -1;
  const r = layout.laneRows[i];
  return model.startMs[r] - slackMs <= timeMs ? r : -1;
}

/** The box before or after `row` in its lane (-1 when none): ← and → in the graph. */
export function neighbourInLane(
  layout: FlameLayout,
  row: number,
  step: -1 | 1,
): number {
  const l = layout.lane[row];
  const from = layout.laneStart[l];
  const to = layout.laneStart[l + 1];
  // Lanes are short next to the trace; a linear scan for the row is fine for a key press.
  for (let i = from; i < to; i++) {
    if (layout.laneRows[i] === row) {
      const j = i + step;
      return j >= from && j < to ? layout.laneRows[j] : -1;
    }
  }
  return -1;
}
