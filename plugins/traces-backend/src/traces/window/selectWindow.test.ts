import { compactTraceOf, wideTree } from '../../__testUtils__/compactTraces';
import { buildTraceTree, type TraceTree } from './TraceTree';
import { selectInitialWindow, selectSubtreeWindow } from './selectWindow';

const id = (n: number) => n.toString(16).padStart(16, '0');

function depthOf(tree: TraceTree, row: number): number {
  let depth = 0;
  for (let r = tree.parent[row]; r >= 0; r = tree.parent[r]) depth++;
  return depth;
}

function expectAncestorClosed(tree: TraceTree, rows: Int32Array) {
  const set = new Set(rows);
  const parentMissing = Array.from(rows).filter(
    row => tree.parent[row] >= 0 && !set.has(tree.parent[row]),
  );
  expect(parentMissing).toEqual([]);
}

describe('selectInitialWindow', () => {
  // 1 + 10 + 100 + 1000 spans, siblings in parallel; span 1000 (deep, late) fails.
  const compact = compactTraceOf(wideTree(10, 3, n => n === 1000, true));
  const tree = buildTraceTree(compact);

  it('stays within the budget and is a tree (every span with its parent)', () => {
    const { rows } = selectInitialWindow(tree, 60);
    expect(rows.length).toBe(60);
    expectAncestorClosed(tree, rows);
    expect(Array.from(rows)).toEqual([...rows].sort((a, b) => a - b));
  });

  it('takes the critical path and the error spans before whole levels', () => {
    const { rows } = selectInitialWindow(tree, 60);
    const set = new Set(rows);
    // The chain of last children down to the deepest level.
    expect(new Set(tree.critical.rows).size).toBe(4);
    for (const row of tree.critical.rows) expect(set.has(row)).toBe(true);
    expect(set.has(tree.rowOf(id(1000)))).toBe(true);
    // The rest is breadth first: level 1 complete before anything else at level 2+.
    const levelOne = Array.from(
      tree.children.subarray(tree.childStart[0], tree.childStart[1]),
    );
    for (const row of levelOne) expect(set.has(row)).toBe(true);
  });

  it('fills whole levels in order when the budget allows', () => {
    const { rows } = selectInitialWindow(tree, 111);
    const depths = Array.from(rows, r => depthOf(tree, r));
    // 111 = levels 0-2 entirely; the deep critical and error spans take the place of some
    // level-2 spans, so level 3 holds only those and their ancestors are all present.
    expect(depths.filter(d => d <= 1).length).toBe(11);
    expectAncestorClosed(tree, rows);
  });

  it('adds a focused span and its ancestors', () => {
    const focus = tree.rowOf(id(500));
    const { rows } = selectInitialWindow(tree, 20, focus);
    expect(new Set(rows).has(focus)).toBe(true);
    expectAncestorClosed(tree, rows);
  });

  it('opens with roots only when the budget is tiny', () => {
    expect(Array.from(selectInitialWindow(tree, 1).rows)).toEqual([0]);
  });
});

describe('selectSubtreeWindow', () => {
  const compact = compactTraceOf(wideTree(10, 2));
  const tree = buildTraceTree(compact);
  const root = tree.rowOf(id(1));

  it('answers children first, then their children, without the span itself', () => {
    const { rows, continuation } = selectSubtreeWindow(tree, root, 0, 15);
    expect(rows.length).toBe(15);
    expect(continuation).toBeUndefined();
    const depths = Array.from(rows, r => depthOf(tree, r));
    expect(depths.filter(d => d === 1).length).toBe(10);
    expect(depths.filter(d => d === 2).length).toBe(5);
    expect(new Set(rows).has(root)).toBe(false);
  });

  it('says where a cut children list continues, and continues there', () => {
    const first = selectSubtreeWindow(tree, root, 0, 4);
    expect(first.rows.length).toBe(4);
    expect(first.continuation).toEqual([root, 4]);
    const second = selectSubtreeWindow(tree, root, 4, 4);
    expect(second.continuation).toEqual([root, 8]);
    const last = selectSubtreeWindow(tree, root, 8, 4);
    // Two children left, then two grandchildren below them.
    expect(last.continuation).toBeUndefined();
    expect(last.rows.length).toBe(4);
    const all = new Set([...first.rows, ...second.rows, ...last.rows]);
    for (let c = tree.childStart[root]; c < tree.childStart[root + 1]; c++) {
      expect(all.has(tree.children[c])).toBe(true);
    }
  });

  it('answers nothing below a leaf', () => {
    const leaf = tree.rowOf(id(3));
    expect(selectSubtreeWindow(tree, leaf, 0, 10).rows.length).toBe(0);
  });
});
