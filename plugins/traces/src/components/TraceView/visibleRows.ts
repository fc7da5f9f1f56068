import { FLAG_ERROR, type WaterfallModel } from './waterfallModel';

/*
 * Which rows the waterfall shows. Collapse state is an immutable Set of row indexes (a new Set
 * per change, so React can compare by identity). Every function here is O(n) at most with a
 * tight loop over typed arrays; computeVisibleRows is O(visible rows + collapsed subtrees),
 * because a collapsed or filtered-out subtree is skipped with one jump to its subtree end.
 */

export type CollapsedSet = ReadonlySet<number>;

/** Row filter values: hidden, shown because it matches, shown only as an ancestor of a match. */
export const FILTER_HIDDEN = 0;
export const FILTER_MATCH = 1;
export const FILTER_CONTEXT = 2;

/**
 * Visible rows in display order. `filter`, when given, must be closed under ancestors (see
 * filterWithAncestors): a hidden row then has no shown descendant and its subtree is skipped.
 */
export function computeVisibleRows(
  model: WaterfallModel,
  collapsed: CollapsedSet,
  filter?: Uint8Array,
): Int32Array {
  const n = model.size;
  const { subtreeEnd } = model;
  const out = new Int32Array(n);
  let count = 0;
  const checkCollapsed = collapsed.size > 0;
  let r = 0;
  while (r < n) {
    if (filter && filter[r] === FILTER_HIDDEN) {
      r = subtreeEnd[r];
      continue;
    }
    out[count++] = r;
    r = checkCollapsed && collapsed.has(r) ? subtreeEnd[r] : r + 1;
  }
  return count === n ? out : out.slice(0, count);
}

/** Every row that has children, i.e. "collapse all". */
export function collapseAll(model: WaterfallModel): Set<number> {
  const out = new Set<number>();
  for (let r = 0; r < model.size; r++) if (model.childCount[r] > 0) out.add(r);
  return out;
}

/**
 * "Expand to level N": rows at levels 1..N are visible (roots are level 1), so every row at
 * level N or deeper that has children is collapsed.
 */
export function collapseBelowLevel(
  model: WaterfallModel,
  level: number,
): Set<number> {
  const out = new Set<number>();
  const minDepth = Math.max(0, level - 1);
  for (let r = 0; r < model.size; r++) {
    if (model.childCount[r] > 0 && model.depth[r] >= minDepth) out.add(r);
  }
  return out;
}

export function toggleRow(collapsed: CollapsedSet, row: number): Set<number> {
  const out = new Set(collapsed);
  if (out.has(row)) out.delete(row);
  else out.add(row);
  return out;
}

/** Collapses (or expands) every span of one service that has children. */
export function setServiceCollapsed(
  model: WaterfallModel,
  collapsed: CollapsedSet,
  serviceIndex: number,
  collapse: boolean,
): Set<number> {
  const out = new Set(collapsed);
  for (let r = 0; r < model.size; r++) {
    if (model.service[r] !== serviceIndex || model.childCount[r] === 0)
      continue;
    if (collapse) out.add(r);
    else out.delete(r);
  }
  return out;
}

/**
 * Per service: true when it has spans with children and all of them are collapsed.
 * One pass over the rows.
 */
export function collapsedServices(
  model: WaterfallModel,
  collapsed: CollapsedSet,
): boolean[] {
  const parents = new Int32Array(model.services.length);
  const closed = new Int32Array(model.services.length);
  if (collapsed.size > 0) {
    for (let r = 0; r < model.size; r++) {
      if (model.childCount[r] === 0) continue;
      parents[model.service[r]]++;
      if (collapsed.has(r)) closed[model.service[r]]++;
    }
  }
  return model.services.map(
    (_, s) => parents[s] > 0 && closed[s] === parents[s],
  );
}

/**
 * Removes from `collapsed` every ancestor of the given rows so they become visible. Walks up from
 * each row and stops at the first ancestor already handled: O(n) in total for any number of rows.
 * Returns the same Set when nothing changes.
 */
export function expandAncestors(
  model: WaterfallModel,
  collapsed: CollapsedSet,
  rows: ArrayLike<number>,
): CollapsedSet {
  if (collapsed.size === 0 || rows.length === 0) return collapsed;
  const done = new Uint8Array(model.size);
  let out: Set<number> | undefined;
  for (let k = 0; k < rows.length; k++) {
    for (
      let a = model.parent[rows[k]];
      a >= 0 && !done[a];
      a = model.parent[a]
    ) {
      done[a] = 1;
      if (collapsed.has(a)) {
        out ??= new Set(collapsed);
        out.delete(a);
      }
    }
  }
  return out ?? collapsed;
}

/**
 * Turns a per-row match mask (non-zero = match) into a filter closed under ancestors:
 * matches get FILTER_MATCH, their ancestors FILTER_CONTEXT. One reverse pass.
 */
export function filterWithAncestors(
  model: WaterfallModel,
  matches: Uint8Array,
): Uint8Array {
  const filter = new Uint8Array(model.size);
  for (let r = model.size - 1; r >= 0; r--) {
    if (matches[r]) filter[r] = FILTER_MATCH;
    if (filter[r] !== FILTER_HIDDEN) {
      const p = model.parent[r];
      if (p >= 0 && filter[p] === FILTER_HIDDEN) filter[p] = FILTER_CONTEXT;
    }
  }
  return filter;
}

/** Filter showing only one service's spans (with their ancestors as context). */
export function serviceFilter(
  model: WaterfallModel,
  serviceIndex: number,
): Uint8Array {
  const mask = new Uint8Array(model.size);
  for (let r = 0; r < model.size; r++)
    if (model.service[r] === serviceIndex) mask[r] = 1;
  return filterWithAncestors(model, mask);
}

/** Filter showing only error spans (with their ancestors as context). */
export function errorFilter(model: WaterfallModel): Uint8Array {
  const mask = new Uint8Array(model.size);
  for (let r = 0; r < model.size; r++) mask[r] = model.flags[r] & FLAG_ERROR;
  return filterWithAncestors(model, mask);
}

/** Position of `row` in `rows`, or -1. Visible rows are ascending, so binary search. */
export function positionOfRow(rows: Int32Array, row: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = rows[mid];
    if (v === row) return mid;
    if (v < row) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
