import {
  buildSpanTree,
  ORPHAN_PARENT,
  SPAN_FLAG_CRITICAL,
  SPAN_FLAG_CYCLE,
  SPAN_FLAG_ERROR,
  SPAN_FLAG_ORPHAN,
  type SpanTreeInput,
} from './spanTree';

/** Rows in start order: [parent row, start, end, error?]. */
function input(rows: Array<[number, number, number, number?]>): SpanTreeInput {
  return {
    size: rows.length,
    parent: Int32Array.from(rows, r => r[0]),
    start: Float64Array.from(rows, r => r[1]),
    end: Float64Array.from(rows, r => r[2]),
    isError: Uint8Array.from(rows, r => r[3] ?? 0),
  };
}

const childrenOf = (tree: ReturnType<typeof buildSpanTree>, r: number) =>
  Array.from(
    tree.children.subarray(tree.childStart[r], tree.childStart[r + 1]),
  );

describe('buildSpanTree', () => {
  it('lists children in row order with depths, subtree counts and pre-order', () => {
    // 0 ─┬─ 1 ── 3 (error)
    //    └─ 2
    const tree = buildSpanTree(
      input([
        [-1, 0, 100],
        [0, 10, 50],
        [0, 20, 90],
        [1, 30, 40, 1],
      ]),
    );
    expect(childrenOf(tree, 0)).toEqual([1, 2]);
    expect(Array.from(tree.preorder)).toEqual([0, 1, 3, 2]);
    expect(Array.from(tree.position)).toEqual([0, 1, 3, 2]);
    // By pre-order index (rows 0, 1, 3, 2).
    expect(Array.from(tree.preorderDepth)).toEqual([0, 1, 2, 1]);
    expect(Array.from(tree.preorderParent)).toEqual([-1, 0, 1, 0]);
    expect(Array.from(tree.preorderDescendants)).toEqual([3, 1, 0, 0]);
    expect(tree.maxDepth).toBe(2);
    expect(Array.from(tree.preorderDescendantErrors)).toEqual([1, 1, 0, 0]);
    expect(tree.errorCount).toBe(1);
    expect(tree.flags[3] & SPAN_FLAG_ERROR).toBeTruthy();
    expect(Array.from(tree.roots)).toEqual([0]);
  });

  it('follows the critical path through the last-finishing children', () => {
    const tree = buildSpanTree(
      input([
        [-1, 0, 100],
        [0, 10, 50],
        [0, 20, 90],
      ]),
    );
    const { offsets, startMs, endMs } = tree.criticalPath;
    const sections = (row: number) => {
      const k = tree.position[row];
      return Array.from({ length: offsets[k + 1] - offsets[k] }, (_, i) => [
        startMs[offsets[k] + i],
        endMs[offsets[k] + i],
      ]).sort((a, b) => a[0] - b[0]);
    };
    // Back from the root's end: child 2 (ends at 90) runs the path to its start at 20; child
    // 1 does not end before 20, so the root itself covers 0-20.
    expect(sections(0)).toEqual([
      [0, 20],
      [90, 100],
    ]);
    expect(sections(2)).toEqual([[20, 90]]);
    expect(sections(1)).toEqual([]);
    expect(tree.flags[2] & SPAN_FLAG_CRITICAL).toBeTruthy();
    expect(tree.flags[1] & SPAN_FLAG_CRITICAL).toBe(0);
  });

  it('makes orphans and self-parented spans roots, flagged', () => {
    const tree = buildSpanTree(
      input([
        [-1, 0, 10],
        [ORPHAN_PARENT, 1, 2],
        [2, 3, 4],
      ]),
    );
    expect(Array.from(tree.roots)).toEqual([0, 1, 2]);
    expect(tree.flags[1] & SPAN_FLAG_ORPHAN).toBeTruthy();
    expect(tree.flags[2] & SPAN_FLAG_ORPHAN).toBeTruthy();
    expect(tree.orphanCount).toBe(2);
  });

  it('cuts a parent cycle on the cycle, keeping every span exactly once', () => {
    // 0 hangs below 2; 1 and 2 are each other's parent.
    const tree = buildSpanTree(
      input([
        [2, 0, 1],
        [2, 1, 6],
        [1, 2, 5],
      ]),
    );
    expect(new Set(tree.preorder)).toEqual(new Set([0, 1, 2]));
    expect(Array.from(tree.roots)).toEqual([2]);
    expect(tree.flags[2] & SPAN_FLAG_CYCLE).toBeTruthy();
    expect(childrenOf(tree, 2)).toEqual([0, 1]);
    expect(childrenOf(tree, 1)).toEqual([]);
    expect(tree.preorderDescendants[tree.position[2]]).toBe(2);
  });

  it('skips the critical path when asked to', () => {
    const tree = buildSpanTree({
      ...input([
        [-1, 0, 10],
        [0, 1, 9],
      ]),
      criticalPath: false,
    });
    expect(tree.criticalPath.startMs).toHaveLength(0);
    expect(tree.flags[0] & SPAN_FLAG_CRITICAL).toBe(0);
  });
});
