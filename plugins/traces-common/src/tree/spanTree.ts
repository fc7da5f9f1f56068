import { runSteps } from '../runSteps';
import { criticalPathSteps, type CriticalPath } from './criticalPath';

/*
 * The span tree, built once per trace for the backend (windows of large traces) and the
 * frontend (the waterfall): children, DFS pre-order, depths, subtree counts and the critical
 * path, in typed arrays indexed by the caller's rows (spans in start order). Orphans (a parent
 * that is not in the trace, or a span naming itself) become roots; parent cycles are cut at a
 * span on the cycle, which becomes a root, so that every span is in the tree exactly once.
 * O(n) apart from the critical path's per-parent sort of children.
 */

/** The span's status is `error`. */
export const SPAN_FLAG_ERROR = 1;
/** The span names a parent that is not in the trace (or itself); it is a root. */
export const SPAN_FLAG_ORPHAN = 2;
/** At least one section of the span lies on the critical path. */
export const SPAN_FLAG_CRITICAL = 4;
/** The span's parent chain loops back on itself; the loop was cut here to make it a root. */
export const SPAN_FLAG_CYCLE = 8;

/** Marks the parent of an orphan row in `SpanTreeInput.parent` (as the compact format does). */
export const ORPHAN_PARENT = -2;

export interface SpanTreeInput {
  /** Number of spans (rows). Rows must be in start order for children to come out so. */
  size: number;
  /** Parent row per row: -1 for a root, -2 (`ORPHAN_PARENT`) for a missing parent. */
  parent: ArrayLike<number>;
  /** Start and end per row, in any one unit; the critical path comes out in that unit. */
  start: Float64Array;
  end: Float64Array;
  /** 1 for error spans. */
  isError: Uint8Array;
  /** False skips the critical path (a window of a trace gets the whole trace's instead). */
  criticalPath?: boolean;
}

export interface SpanTree {
  readonly size: number;
  /** Parent row; -1 for roots (orphans and cut cycles included). */
  readonly parent: Int32Array;
  /** Children of row r: children[childStart[r] .. childStart[r+1]-1], in row (start) order. */
  readonly childStart: Int32Array;
  readonly children: Int32Array;
  /** Root rows, in row order. */
  readonly roots: Int32Array;
  /** Rows in DFS pre-order (children in row order): a subtree is a contiguous range. */
  readonly preorder: Int32Array;
  /** Pre-order index of each row (the inverse of `preorder`). */
  readonly position: Int32Array;
  readonly maxDepth: number;
  /** SPAN_FLAG_* per row. */
  readonly flags: Uint8Array;
  readonly errorCount: number;
  readonly orphanCount: number;
  /**
   * The same tree by pre-order index k (row `preorder[k]`), for callers that lay spans out in
   * that order (the waterfall): the parent's pre-order index (-1 for roots), depth (0 for
   * roots), start, end, flags and subtree counts (the subtree of k is k .. k + descendants).
   */
  readonly preorderParent: Int32Array;
  readonly preorderDepth: Int32Array;
  readonly preorderStart: Float64Array;
  readonly preorderEnd: Float64Array;
  readonly preorderFlags: Uint8Array;
  readonly preorderDescendants: Int32Array;
  readonly preorderDescendantErrors: Int32Array;
  /**
   * Critical-path sections grouped by **pre-order index** (`offsets[k]..offsets[k+1]-1` are
   * those of row `preorder[k]`), in the unit of the input times.
   */
  readonly criticalPath: CriticalPath;
}

/** Rows per slice between yields. */
const CHUNK = 65536;

/** `spanTreeSteps` run at once. */
export function buildSpanTree(input: SpanTreeInput): SpanTree {
  return runSteps(spanTreeSteps(input));
}

/**
 * Builds the tree, yielding between slices of work so that a caller can let other work run
 * (the backend builds the tree of a million spans in event-loop slices). The work is in plain
 * functions: V8 optimises those better than long loops inside a generator.
 */
export function* spanTreeSteps(
  input: SpanTreeInput,
): Generator<void, SpanTree> {
  const n = input.size;
  const links = yield* linkRows(input);
  yield;
  const order = yield* depthFirst(n, links);
  yield;
  const pre = yield* preorderColumns(n, input, order, links.flags);
  yield;
  // Children come after their parent in pre-order: one backward pass sums every subtree.
  for (let hi = n; hi > 0; hi -= CHUNK) {
    countDescendants(pre, Math.max(0, hi - CHUNK), hi);
    yield;
  }
  yield;
  const criticalPath =
    input.criticalPath === false
      ? {
          offsets: new Int32Array(n + 1),
          startMs: new Float64Array(0),
          endMs: new Float64Array(0),
        }
      : yield* criticalPathOf(n, order, links.flags, pre);
  return {
    size: n,
    parent: order.parent,
    childStart: links.childStart,
    children: links.children,
    roots: order.roots,
    preorder: order.preorder,
    position: order.position,
    maxDepth: pre.maxDepth,
    flags: links.flags,
    errorCount: links.errorCount,
    orphanCount: links.orphanCount,
    preorderParent: pre.parent,
    preorderDepth: pre.depth,
    preorderStart: pre.start,
    preorderEnd: pre.end,
    preorderFlags: pre.flags,
    preorderDescendants: pre.descendants,
    preorderDescendantErrors: pre.descendantErrors,
    criticalPath,
  };
}

interface Links {
  /** Parent row as given, -1 for roots and orphans. */
  linked: Int32Array;
  flags: Uint8Array;
  childStart: Int32Array;
  children: Int32Array;
  errorCount: number;
  orphanCount: number;
}

/** Flags, and the children lists in CSR form (row order, so each list is in start order). */
function* linkRows(input: SpanTreeInput): Generator<void, Links> {
  const n = input.size;
  const links: Links = {
    linked: new Int32Array(n),
    flags: new Uint8Array(n),
    childStart: new Int32Array(n + 1),
    children: new Int32Array(0),
    errorCount: 0,
    orphanCount: 0,
  };
  for (let from = 0; from < n; from += CHUNK) {
    linkRange(input, links, from, Math.min(n, from + CHUNK));
    yield;
  }
  const { linked, childStart } = links;
  for (let r = 0; r < n; r++) childStart[r + 1] += childStart[r];
  links.children = new Int32Array(childStart[n]);
  const fill = childStart.slice(0, n);
  for (let from = 0; from < n; from += CHUNK) {
    const to = Math.min(n, from + CHUNK);
    for (let r = from; r < to; r++) {
      if (linked[r] >= 0) links.children[fill[linked[r]]++] = r;
    }
    yield;
  }
  return links;
}

/** Rows [from, to): parent link, flags, and a count in `childStart` of each parent. */
function linkRange(
  input: SpanTreeInput,
  links: Links,
  from: number,
  to: number,
) {
  const { linked, flags, childStart } = links;
  for (let r = from; r < to; r++) {
    const p = input.parent[r];
    if (p >= 0 && p !== r) {
      linked[r] = p;
      childStart[p + 1]++;
    } else {
      linked[r] = -1;
      if (p === ORPHAN_PARENT || p === r) {
        flags[r] |= SPAN_FLAG_ORPHAN;
        links.orphanCount++;
      }
    }
    if (input.isError[r]) {
      flags[r] |= SPAN_FLAG_ERROR;
      links.errorCount++;
    }
  }
}

interface Order {
  parent: Int32Array;
  preorder: Int32Array;
  position: Int32Array;
  roots: Int32Array;
}

/** An iterative DFS pre-order, resumable: `run` stops after a budget of spans. */
class Walk {
  readonly parent: Int32Array;
  readonly preorder: Int32Array;
  readonly position: Int32Array;
  readonly roots: number[] = [];
  next = 0;
  private readonly stack: Int32Array;
  private top = 0;
  private readonly links: Links;

  constructor(n: number, links: Links) {
    this.links = links;
    this.parent = new Int32Array(n).fill(-1);
    this.preorder = new Int32Array(n);
    this.position = new Int32Array(n).fill(-1);
    this.stack = new Int32Array(n);
  }

  start(root: number) {
    this.stack[this.top++] = root;
    this.roots.push(root);
  }

  /** Visits up to `budget` spans; answers how many it visited (fewer: the walk is done). */
  run(budget: number): number {
    const { childStart, children } = this.links;
    const { stack, position, preorder, parent } = this;
    let visited = 0;
    while (this.top > 0 && visited < budget) {
      const r = stack[--this.top];
      position[r] = this.next;
      preorder[this.next++] = r;
      visited++;
      // Reverse, so that the earliest child is visited first.
      for (let c = childStart[r + 1] - 1; c >= childStart[r]; c--) {
        const child = children[c];
        if (position[child] < 0) {
          parent[child] = r;
          stack[this.top++] = child;
        }
      }
    }
    return visited;
  }
}

/** Iterative DFS pre-order from the roots, then from cuts of parent cycles. */
function* depthFirst(n: number, links: Links): Generator<void, Order> {
  const { linked, flags, childStart, children } = links;
  const walk = new Walk(n, links);
  let work = 0;
  for (let r = 0; r < n; r++) {
    if (linked[r] >= 0) continue;
    walk.start(r);
    for (;;) {
      const visited = walk.run(CHUNK - work);
      work += visited;
      if (work < CHUNK) break;
      work = 0;
      yield;
    }
  }
  const { parent, position, roots } = walk;
  if (walk.next < n) {
    // Every span not reached hangs below a parent cycle: walk up until a span repeats (it is
    // on the cycle) and cut there. Each walk's spans are then visited: O(n) in total.
    const walkedBy = new Int32Array(n).fill(-1);
    for (let r = 0; r < n; r++) {
      if (position[r] >= 0) continue;
      let x = r;
      while (walkedBy[x] !== r) {
        walkedBy[x] = r;
        x = linked[x];
      }
      flags[x] |= SPAN_FLAG_CYCLE;
      parent[x] = -1;
      walk.start(x);
      walk.run(n);
    }
    roots.sort((a, b) => a - b);
    // A cut cycle leaves an edge in the children lists that the tree no longer has.
    rebuildChildren(n, parent, childStart, children);
  }
  return {
    parent,
    preorder: walk.preorder,
    position,
    roots: Int32Array.from(roots),
  };
}

interface Preorder {
  parent: Int32Array;
  depth: Int32Array;
  maxDepth: number;
  start: Float64Array;
  end: Float64Array;
  flags: Uint8Array;
  descendants: Int32Array;
  descendantErrors: Int32Array;
}

/** The tree's columns by pre-order index, read sequentially from here on. */
function* preorderColumns(
  n: number,
  input: SpanTreeInput,
  order: Order,
  rowFlags: Uint8Array,
): Generator<void, Preorder> {
  const pre: Preorder = {
    parent: new Int32Array(n),
    depth: new Int32Array(n),
    maxDepth: 0,
    start: new Float64Array(n),
    end: new Float64Array(n),
    flags: new Uint8Array(n),
    descendants: new Int32Array(n),
    descendantErrors: new Int32Array(n),
  };
  // Parents come before their children: slices in pre-order see their parents' depths.
  for (let from = 0; from < n; from += CHUNK) {
    preorderRange(input, order, rowFlags, pre, from, Math.min(n, from + CHUNK));
    yield;
  }
  return pre;
}

function preorderRange(
  input: SpanTreeInput,
  order: Order,
  rowFlags: Uint8Array,
  pre: Preorder,
  from: number,
  to: number,
) {
  const { preorder, position } = order;
  const { parent, depth, start, end, flags } = pre;
  let maxDepth = pre.maxDepth;
  for (let k = from; k < to; k++) {
    const r = preorder[k];
    const p = order.parent[r];
    if (p < 0) {
      parent[k] = -1;
    } else {
      const pk = position[p];
      parent[k] = pk;
      const d = depth[pk] + 1;
      depth[k] = d;
      if (d > maxDepth) maxDepth = d;
    }
    start[k] = input.start[r];
    end[k] = input.end[r];
    flags[k] = rowFlags[r];
  }
  pre.maxDepth = maxDepth;
}

/** Subtree sizes and error counts for pre-order indexes [from, to), children first. */
function countDescendants(pre: Preorder, from: number, to: number) {
  const { parent, flags, descendants, descendantErrors } = pre;
  for (let k = to - 1; k >= from; k--) {
    const p = parent[k];
    if (p >= 0) {
      descendants[p] += descendants[k] + 1;
      descendantErrors[p] += descendantErrors[k] + (flags[k] & SPAN_FLAG_ERROR);
    }
  }
}

function rebuildChildren(
  n: number,
  parent: Int32Array,
  childStart: Int32Array,
  children: Int32Array,
) {
  childStart.fill(0);
  for (let r = 0; r < n; r++) if (parent[r] >= 0) childStart[parent[r] + 1]++;
  for (let r = 0; r < n; r++) childStart[r + 1] += childStart[r];
  const fill = childStart.slice(0, n);
  for (let r = 0; r < n; r++) {
    if (parent[r] >= 0) children[fill[parent[r]]++] = r;
  }
}

/** The walk clips children to parents, so it runs on pre-order indexes; flags what is on it. */
function* criticalPathOf(
  n: number,
  order: Order,
  rowFlags: Uint8Array,
  pre: Preorder,
): Generator<void, CriticalPath> {
  const { preorder, position, roots } = order;
  const rootPositions: number[] = new Array(roots.length);
  for (let i = 0; i < roots.length; i++) rootPositions[i] = position[roots[i]];
  rootPositions.sort((a, b) => a - b);
  const path = yield* criticalPathSteps({
    size: n,
    parent: pre.parent,
    startMs: pre.start,
    endMs: pre.end,
    roots: rootPositions,
    flags: pre.flags,
  });
  for (let k = 0; k < n; k++) {
    if ((k & (CHUNK - 1)) === CHUNK - 1) yield;
    if (path.offsets[k + 1] > path.offsets[k]) {
      pre.flags[k] |= SPAN_FLAG_CRITICAL;
      rowFlags[preorder[k]] |= SPAN_FLAG_CRITICAL;
    }
  }
  return path;
}
