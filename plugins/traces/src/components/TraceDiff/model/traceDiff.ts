import {
  FLAG_CYCLE,
  FLAG_ERROR,
  FLAG_ORPHAN,
  type WaterfallModel,
} from '../../TraceView/waterfallModel';

/*
 * Two traces merged into one tree by service and operation path, as Jaeger UI's TraceDiff
 * does: a node stands for every span reached by the same chain of (service, span name) from a
 * root, and counts and times the spans of each trace at that place. Both inputs are waterfall
 * models, so the span tree (orphans and cut parent cycles as roots) is the one the waterfall
 * shows; an orphan or a cut cycle is kept apart from a true root of the same name.
 *
 * O(n) to merge (one hash lookup per span, integer keys), O(m log m) to order the m nodes:
 * siblings with the largest change come first.
 */

/** Only in A (removed in B). */
export const DIFF_REMOVED = 1;
/** Only in B (added in B). */
export const DIFF_ADDED = 2;
/** In both, with a different span count or a total duration that moved by the threshold. */
export const DIFF_CHANGED = 3;
/** In both, the same count and nearly the same duration. */
export const DIFF_SAME = 4;
export type DiffChange =
  | typeof DIFF_REMOVED
  | typeof DIFF_ADDED
  | typeof DIFF_CHANGED
  | typeof DIFF_SAME;

/** Node flags: some of its spans were orphans (parent missing) or cut cycles, in A or B. */
export const DIFF_FLAG_ORPHAN = 1;
export const DIFF_FLAG_CYCLE = 2;

export interface TraceDiffOptions {
  /**
   * A node in both traces with the same span count is `changed` when its total duration moved
   * by at least this fraction of the larger total (default 0.1) ...
   */
  relativeThreshold?: number;
  /** ... and by at least this many ms (default 0.1), so that sub-ms noise is not a change. */
  absoluteThresholdMs?: number;
}

export interface TraceDiffSide {
  traceId: string;
  /** Spans compared (loaded spans of a windowed trace). */
  spans: number;
  /** Spans in the whole trace; more than `spans` when only a window was loaded. */
  totalSpans: number;
  durationMs: number;
  orphans: number;
  cycles: number;
}

/**
 * The merged tree, struct-of-arrays by node in display order (pre-order, siblings largest
 * change first): the subtree of node i is the range [i, subtreeEnd[i]).
 */
export interface TraceDiff {
  readonly a: TraceDiffSide;
  readonly b: TraceDiffSide;
  readonly size: number;
  readonly parent: Int32Array;
  readonly depth: Int32Array;
  readonly subtreeEnd: Int32Array;
  readonly serviceName: readonly string[];
  readonly operation: readonly string[];
  readonly change: Uint8Array;
  readonly flags: Uint8Array;
  readonly countA: Int32Array;
  readonly countB: Int32Array;
  /** Sum of the durations of the node's spans, ms. */
  readonly totalA: Float64Array;
  readonly totalB: Float64Array;
  /** Sum of their self times, ms. */
  readonly selfA: Float64Array;
  readonly selfB: Float64Array;
  readonly errorsA: Int32Array;
  readonly errorsB: Int32Array;
  /** Row (waterfall model of that side) of the node's first span, -1 when none. */
  readonly firstRowA: Int32Array;
  readonly firstRowB: Int32Array;
  /** Nodes in the subtree of node i (itself included) that are not DIFF_SAME. */
  readonly changesInSubtree: Int32Array;
  /** Nodes per change kind, indexed by DIFF_* (index 0 unused). */
  readonly changeCounts: Int32Array;
}

/** Root keys of orphans and cut cycles get these marks, so they do not merge with true roots. */
const ROOT_ORPHAN_MARK = '\u0001orphan';
const ROOT_CYCLE_MARK = '\u0001cycle';

interface Ops {
  ids: Map<string, number>;
  service: string[];
  name: string[];
}

/** The operation of each row as an integer, shared by both sides. */
function internOps(model: WaterfallModel, ops: Ops): Int32Array {
  const n = model.size;
  const opOf = new Int32Array(n);
  // Per service index, name → op: avoids building a key string per span in the common case.
  const byService: Array<Map<string, number> | undefined> = [];
  for (let r = 0; r < n; r++) {
    const s = model.service[r];
    const span = model.spans[r];
    let name = span.name;
    if (model.parent[r] < 0) {
      if (model.flags[r] & FLAG_CYCLE) name += ROOT_CYCLE_MARK;
      else if (model.flags[r] & FLAG_ORPHAN) name += ROOT_ORPHAN_MARK;
    }
    let names = byService[s];
    if (!names) {
      names = new Map();
      byService[s] = names;
    }
    let op = names.get(name);
    if (op === undefined) {
      const serviceName = model.services[s] ?? span.serviceName;
      const key = `${serviceName}\u0000${name}`;
      op = ops.ids.get(key);
      if (op === undefined) {
        op = ops.service.length;
        ops.ids.set(key, op);
        ops.service.push(serviceName);
        ops.name.push(name);
      }
      names.set(name, op);
    }
    opOf[r] = op;
  }
  return opOf;
}

interface Builder {
  key: Map<number, number>;
  parent: number[];
  op: number[];
}

/** Node of every row of one side, creating nodes on the way. Rows are in pre-order. */
function placeRows(
  model: WaterfallModel,
  opOf: Int32Array,
  opCount: number,
  nodes: Builder,
): Int32Array {
  const n = model.size;
  const nodeOf = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const p = model.parent[r];
    const parentNode = p >= 0 ? nodeOf[p] : -1;
    // Exact in a double: (nodes + 1) · ops stays far below 2^53 for any real trace pair.
    const key = (parentNode + 1) * opCount + opOf[r];
    let node = nodes.key.get(key);
    if (node === undefined) {
      node = nodes.parent.length;
      nodes.key.set(key, node);
      nodes.parent.push(parentNode);
      nodes.op.push(opOf[r]);
    }
    nodeOf[r] = node;
  }
  return nodeOf;
}

interface Sums {
  count: Int32Array;
  total: Float64Array;
  self: Float64Array;
  errors: Int32Array;
  firstRow: Int32Array;
  flags: Uint8Array;
}

function sumSide(model: WaterfallModel, nodeOf: Int32Array, m: number): Sums {
  const sums: Sums = {
    count: new Int32Array(m),
    total: new Float64Array(m),
    self: new Float64Array(m),
    errors: new Int32Array(m),
    firstRow: new Int32Array(m).fill(-1),
    flags: new Uint8Array(m),
  };
  for (let r = 0; r < model.size; r++) {
    const node = nodeOf[r];
    sums.count[node]++;
    sums.total[node] += model.endMs[r] - model.startMs[r];
    sums.self[node] += model.selfMs[r];
    const f = model.flags[r];
    if (f & FLAG_ERROR) sums.errors[node]++;
    if (f & FLAG_ORPHAN) sums.flags[node] |= DIFF_FLAG_ORPHAN;
    if (f & FLAG_CYCLE) sums.flags[node] |= DIFF_FLAG_CYCLE;
    if (sums.firstRow[node] < 0) sums.firstRow[node] = r;
  }
  return sums;
}

function sideOf(model: WaterfallModel): TraceDiffSide {
  let cycles = 0;
  for (let r = 0; r < model.size; r++)
    if (model.flags[r] & FLAG_CYCLE) cycles++;
  return {
    traceId: model.trace.traceId,
    spans: model.size,
    totalSpans: model.trace.window?.totalSpans ?? model.size,
    durationMs: model.trace.durationMs,
    orphans: model.orphanCount,
    cycles,
  };
}

/** Merges trace A (before) and trace B (after). */
export function buildTraceDiff(
  modelA: WaterfallModel,
  modelB: WaterfallModel,
  options: TraceDiffOptions = {},
): TraceDiff {
  const relative = options.relativeThreshold ?? 0.1;
  const absolute = options.absoluteThresholdMs ?? 0.1;
  const ops: Ops = { ids: new Map(), service: [], name: [] };
  const opA = internOps(modelA, ops);
  const opB = internOps(modelB, ops);
  const opCount = Math.max(1, ops.service.length);
  const nodes: Builder = { key: new Map(), parent: [], op: [] };
  const nodeOfA = placeRows(modelA, opA, opCount, nodes);
  const nodeOfB = placeRows(modelB, opB, opCount, nodes);
  const m = nodes.parent.length;
  const sa = sumSide(modelA, nodeOfA, m);
  const sb = sumSide(modelB, nodeOfB, m);

  // Change kind and magnitude per node (built order).
  const kind = new Uint8Array(m);
  const magnitude = new Float64Array(m);
  const countDelta = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const delta = sb.total[k] - sa.total[k];
    magnitude[k] = Math.abs(delta);
    countDelta[k] = Math.abs(sb.count[k] - sa.count[k]);
    if (sb.count[k] === 0) kind[k] = DIFF_REMOVED;
    else if (sa.count[k] === 0) kind[k] = DIFF_ADDED;
    else if (
      countDelta[k] > 0 ||
      (Math.abs(delta) >= absolute &&
        Math.abs(delta) >= relative * Math.max(sa.total[k], sb.total[k]))
    )
      kind[k] = DIFF_CHANGED;
    else kind[k] = DIFF_SAME;
  }
  const larger = (x: number, y: number) =>
    magnitude[y] - magnitude[x] || countDelta[y] - countDelta[x] || x - y;

  // Children lists (CSR), each sorted largest change first, then a DFS into display order.
  const childStart = new Int32Array(m + 2);
  for (let k = 0; k < m; k++) childStart[nodes.parent[k] + 2]++;
  for (let k = 0; k <= m; k++) childStart[k + 1] += childStart[k];
  const children = new Int32Array(m);
  const fill = childStart.slice(0, m + 1);
  for (let k = 0; k < m; k++) children[fill[nodes.parent[k] + 1]++] = k;
  for (let p = 0; p <= m; p++) {
    const from = childStart[p];
    const to = childStart[p + 1];
    if (to - from > 1) children.subarray(from, to).sort(larger);
  }

  const order = new Int32Array(m);
  const position = new Int32Array(m);
  const stack = new Int32Array(m);
  let top = 0;
  let next = 0;
  for (let c = childStart[1] - 1; c >= childStart[0]; c--) {
    stack[top++] = children[c];
  }
  while (top > 0) {
    const k = stack[--top];
    position[k] = next;
    order[next++] = k;
    for (let c = childStart[k + 2] - 1; c >= childStart[k + 1]; c--) {
      stack[top++] = children[c];
    }
  }

  const parent = new Int32Array(m);
  const depth = new Int32Array(m);
  const subtreeEnd = new Int32Array(m);
  const serviceName: string[] = new Array(m);
  const operation: string[] = new Array(m);
  const change = new Uint8Array(m);
  const flags = new Uint8Array(m);
  const countA = new Int32Array(m);
  const countB = new Int32Array(m);
  const totalA = new Float64Array(m);
  const totalB = new Float64Array(m);
  const selfA = new Float64Array(m);
  const selfB = new Float64Array(m);
  const errorsA = new Int32Array(m);
  const errorsB = new Int32Array(m);
  const firstRowA = new Int32Array(m);
  const firstRowB = new Int32Array(m);
  const changeCounts = new Int32Array(5);
  for (let i = 0; i < m; i++) {
    const k = order[i];
    const p = nodes.parent[k];
    parent[i] = p < 0 ? -1 : position[p];
    depth[i] = p < 0 ? 0 : depth[parent[i]] + 1;
    const op = nodes.op[k];
    serviceName[i] = ops.service[op];
    operation[i] = stripMark(ops.name[op]);
    change[i] = kind[k];
    changeCounts[kind[k]]++;
    flags[i] = sa.flags[k] | sb.flags[k];
    countA[i] = sa.count[k];
    countB[i] = sb.count[k];
    totalA[i] = sa.total[k];
    totalB[i] = sb.total[k];
    selfA[i] = sa.self[k];
    selfB[i] = sb.self[k];
    errorsA[i] = sa.errors[k];
    errorsB[i] = sb.errors[k];
    firstRowA[i] = sa.firstRow[k];
    firstRowB[i] = sb.firstRow[k];
  }
  // Subtree ends and changes below: children follow their parent, so one backward pass.
  const changesInSubtree = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    subtreeEnd[i] = i + 1;
    if (change[i] !== DIFF_SAME) changesInSubtree[i] = 1;
  }
  for (let i = m - 1; i >= 0; i--) {
    const p = parent[i];
    if (p < 0) continue;
    if (subtreeEnd[i] > subtreeEnd[p]) subtreeEnd[p] = subtreeEnd[i];
    changesInSubtree[p] += changesInSubtree[i];
  }

  return {
    a: sideOf(modelA),
    b: sideOf(modelB),
    size: m,
    parent,
    depth,
    subtreeEnd,
    serviceName,
    operation,
    change,
    flags,
    countA,
    countB,
    totalA,
    totalB,
    selfA,
    selfB,
    errorsA,
    errorsB,
    firstRowA,
    firstRowB,
    changesInSubtree,
    changeCounts,
  };
}

function stripMark(name: string): string {
  if (name.endsWith(ROOT_ORPHAN_MARK)) {
    return name.slice(0, -ROOT_ORPHAN_MARK.length);
  }
  if (name.endsWith(ROOT_CYCLE_MARK)) {
    return name.slice(0, -ROOT_CYCLE_MARK.length);
  }
  return name;
}

/**
 * Display rows: nodes in order, skipping the subtrees of collapsed nodes and, with
 * `hideUnchanged`, subtrees in which nothing changed. O(visible rows).
 */
export function visibleDiffRows(
  diff: TraceDiff,
  collapsed: ReadonlySet<number>,
  hideUnchanged = false,
): Int32Array {
  const out = new Int32Array(diff.size);
  let count = 0;
  for (let i = 0; i < diff.size; ) {
    if (hideUnchanged && diff.changesInSubtree[i] === 0) {
      i = diff.subtreeEnd[i];
      continue;
    }
    out[count++] = i;
    i = collapsed.has(i) ? diff.subtreeEnd[i] : i + 1;
  }
  return out.slice(0, count);
}
