import type { TraceTree } from './TraceTree';

/** Rows of one window, ascending (start order), and where a cut children list goes on. */
export interface WindowSelection {
  rows: Int32Array;
  /** [row, child index]: the subtree answer stopped inside this row's children. */
  continuation?: [number, number];
}

/** Shares of the budget the first window gives the critical path and the error spans. */
const CRITICAL_SHARE = 0.5;
const ERROR_SHARE = 0.6;

class Picker {
  readonly picked: Uint8Array;
  count = 0;
  private readonly chain: number[] = [];

  private readonly tree: TraceTree;
  private readonly budget: number;

  // Plain fields, no parameter properties: benchmarks run this file with Node's type stripping.
  constructor(tree: TraceTree, budget: number) {
    this.tree = tree;
    this.budget = budget;
    this.picked = new Uint8Array(tree.size);
  }

  pick(row: number) {
    if (!this.picked[row]) {
      this.picked[row] = 1;
      this.count++;
    }
  }

  /** Picks the row and its missing ancestors if all fit under `limit`; false if not. */
  pickWithAncestors(row: number, limit: number): boolean {
    const chain = this.chain;
    chain.length = 0;
    for (let r = row; r >= 0 && !this.picked[r]; r = this.tree.parent[r]) {
      chain.push(r);
    }
    if (this.count + chain.length > limit) return false;
    for (const r of chain) this.pick(r);
    return true;
  }

  /**
   * Level by level below `start` (already picked), children in start order, until the
   * budget is spent. Picked rows are walked through, so earlier picks keep their levels.
   */
  breadthFirst(start: number[]) {
    const { childStart, children } = this.tree;
    const queue = start.filter(r => this.picked[r]);
    for (let head = 0; head < queue.length; head++) {
      const r = queue[head];
      for (let c = childStart[r]; c < childStart[r + 1]; c++) {
        const child = children[c];
        if (!this.picked[child]) {
          if (this.count >= this.budget) return;
          this.pick(child);
        }
        queue.push(child);
      }
    }
  }

  rows(): Int32Array {
    const out = new Int32Array(this.count);
    let k = 0;
    for (let r = 0; r < this.picked.length; r++)
      if (this.picked[r]) out[k++] = r;
    return out;
  }
}

/**
 * The first window of a large trace, in priority order, every span with its ancestors so the
 * window is a tree: the roots, the span a link points at (`focusRow`), the critical path (up
 * to half the budget), error spans (up to 60% with the path), then breadth-first levels from
 * the roots until the budget is spent.
 */
export function selectInitialWindow(
  tree: TraceTree,
  budget: number,
  focusRow = -1,
): WindowSelection {
  const picker = new Picker(tree, budget);
  for (const root of tree.roots) {
    if (!picker.pickWithAncestors(root, budget)) break;
  }
  if (focusRow >= 0) picker.pickWithAncestors(focusRow, budget);

  const criticalLimit = Math.floor(budget * CRITICAL_SHARE);
  for (const row of tree.critical.rows) {
    if (!picker.pickWithAncestors(row, criticalLimit)) break;
  }
  const errorLimit = Math.floor(budget * ERROR_SHARE);
  if (tree.errorCount > 0) {
    for (const row of tree.preorder) {
      if (tree.isError[row] && !picker.pickWithAncestors(row, errorLimit))
        break;
    }
  }

  picker.breadthFirst(Array.from(tree.roots));
  return { rows: picker.rows() };
}

/**
 * The spans below `row`, breadth first: its children from child index `from` on, then their
 * children, and so on until the budget is spent. `row` itself is not included: the client
 * holds it already.
 */
export function selectSubtreeWindow(
  tree: TraceTree,
  row: number,
  from: number,
  budget: number,
): WindowSelection {
  const picker = new Picker(tree, budget);
  const first = tree.childStart[row] + Math.max(0, from);
  const end = tree.childStart[row + 1];
  const level: number[] = [];
  for (let c = first; c < end; c++) {
    if (picker.count >= budget) {
      return {
        rows: picker.rows(),
        continuation: [row, c - tree.childStart[row]],
      };
    }
    picker.pick(tree.children[c]);
    level.push(tree.children[c]);
  }
  picker.breadthFirst(level);
  return { rows: picker.rows() };
}
