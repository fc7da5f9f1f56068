import { compactTraceOf, wideTree } from '../../__testUtils__/compactTraces';
import { buildTraceTree, type TraceTree } from './TraceTree';

function idOf(compact: ReturnType<typeof compactTraceOf>, row: number) {
  return compact.spans.ids.slice(row * 16, row * 16 + 16);
}

function childIds(
  tree: TraceTree,
  compact: ReturnType<typeof compactTraceOf>,
  spanId: string,
) {
  const row = tree.rowOf(spanId);
  return Array.from(
    tree.children.subarray(tree.childStart[row], tree.childStart[row + 1]),
    r => idOf(compact, r),
  );
}

const id = (n: number) => n.toString(16).padStart(16, '0');

describe('buildTraceTree', () => {
  it('lists children in start order and counts every subtree', () => {
    // 1 + 3 + 9 spans; span 7 (a grandchild) and span 12 fail.
    const compact = compactTraceOf(wideTree(3, 2, n => n === 7 || n === 12));
    const tree = buildTraceTree(compact);
    expect(tree.size).toBe(13);
    expect(Array.from(tree.roots, r => idOf(compact, r))).toEqual([id(1)]);
    expect(childIds(tree, compact, id(1))).toEqual([id(2), id(6), id(10)]);
    expect(childIds(tree, compact, id(6))).toEqual([id(7), id(8), id(9)]);
    const root = tree.rowOf(id(1));
    expect(tree.descendants[root]).toBe(12);
    expect(tree.descendantErrors[root]).toBe(2);
    expect(tree.descendants[tree.rowOf(id(6))]).toBe(3);
    expect(tree.descendantErrors[tree.rowOf(id(6))]).toBe(1);
    expect(tree.errorCount).toBe(2);
    // Levels 0 and 2 are frontend, level 1 orders-api.
    expect(tree.services).toEqual([
      expect.objectContaining({ spanCount: 10, errorCount: 2 }),
      expect.objectContaining({ spanCount: 3, errorCount: 0 }),
    ]);
    expect(compact.strings[tree.services[0].nameIndex]).toBe('frontend');
    expect(tree.rowOf('ffffffffffffffff')).toBe(-1);
  });

  it('puts every parent before its children in pre-order', () => {
    const tree = buildTraceTree(compactTraceOf(wideTree(4, 3)));
    const position = new Int32Array(tree.size);
    tree.preorder.forEach((row, k) => {
      position[row] = k;
    });
    const childBeforeParent = Array.from(tree.parent).filter(
      (p, r) => p >= 0 && position[p] > position[r],
    );
    expect(childBeforeParent).toEqual([]);
  });

  it('follows the critical path through the last-finishing children', () => {
    // root 0-100: A 0-40, B 50-100 (B waits on B2 60-95); A's child ends before B starts.
    const compact = compactTraceOf([
      {
        id: '1',
        service: 'frontend',
        kind: 'SERVER',
        startMs: 0,
        durationMs: 100,
      },
      {
        id: '2',
        parent: '1',
        service: 'frontend',
        kind: 'CLIENT',
        startMs: 0,
        durationMs: 40,
      },
      {
        id: '3',
        parent: '1',
        service: 'frontend',
        kind: 'CLIENT',
        startMs: 50,
        durationMs: 50,
      },
      {
        id: '4',
        parent: '3',
        service: 'orders-api',
        kind: 'SERVER',
        startMs: 60,
        durationMs: 35,
      },
      {
        id: '5',
        parent: '1',
        service: 'frontend',
        kind: 'INTERNAL',
        startMs: 10,
        durationMs: 5,
      },
    ]);
    const tree = buildTraceTree(compact);
    const onPath = new Set(
      Array.from(tree.critical.rows, r => idOf(compact, r)),
    );
    expect(onPath).toEqual(new Set([id(1), id(2), id(3), id(4)]));
    // Sections are nanoseconds from the trace start; B2 covers 60-95 ms.
    const b2 = Array.from(tree.critical.rows).indexOf(tree.rowOf(id(4)));
    expect(tree.critical.startNs[b2]).toBe(60e6);
    expect(tree.critical.endNs[b2]).toBe(95e6);
  });

  it('keeps orphans as roots and cuts parent cycles without losing spans', () => {
    const compact = compactTraceOf([
      {
        id: '1',
        service: 'frontend',
        kind: 'SERVER',
        startMs: 0,
        durationMs: 100,
      },
      {
        id: '2',
        parent: '99',
        service: 'frontend',
        kind: 'SERVER',
        startMs: 5,
        durationMs: 10,
      },
      {
        id: '3',
        parent: '4',
        service: 'frontend',
        kind: 'INTERNAL',
        startMs: 6,
        durationMs: 1,
      },
      {
        id: '4',
        parent: '3',
        service: 'frontend',
        kind: 'INTERNAL',
        startMs: 7,
        durationMs: 1,
      },
      {
        id: '5',
        parent: '4',
        service: 'frontend',
        kind: 'INTERNAL',
        startMs: 8,
        durationMs: 1,
      },
    ]);
    const tree = buildTraceTree(compact);
    expect(tree.preorder.length).toBe(5);
    expect(new Set(tree.preorder)).toEqual(new Set([0, 1, 2, 3, 4]));
    const rootIds = Array.from(tree.roots, r => idOf(compact, r));
    expect(rootIds).toEqual([id(1), id(2), id(3)]);
    // The cycle 3 <-> 4 is cut at 3: 4 and 5 hang below it, once each.
    expect(childIds(tree, compact, id(3))).toEqual([id(4)]);
    expect(childIds(tree, compact, id(4))).toEqual([id(5)]);
    expect(tree.descendants[tree.rowOf(id(3))]).toBe(2);
  });
});
