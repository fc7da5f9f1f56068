import { buildWaterfallModel } from '../../TraceView/waterfallModel';
import { makeTrace, type SpanSpec } from '../../TraceView/testTraces';
import {
  buildTraceDiff,
  DIFF_ADDED,
  DIFF_CHANGED,
  DIFF_FLAG_CYCLE,
  DIFF_FLAG_ORPHAN,
  DIFF_REMOVED,
  DIFF_SAME,
  visibleDiffRows,
  type TraceDiff,
} from './traceDiff';

const diffOf = (a: SpanSpec[], b: SpanSpec[]) =>
  buildTraceDiff(
    buildWaterfallModel(makeTrace(a, { traceId: 'a'.repeat(32) })),
    buildWaterfallModel(makeTrace(b, { traceId: 'b'.repeat(32) })),
  );

/** `service/op` per node in display order, indented by depth. */
const paths = (diff: TraceDiff) =>
  Array.from(
    { length: diff.size },
    (_, i) =>
      `${'  '.repeat(diff.depth[i])}${diff.serviceName[i]}/${
        diff.operation[i]
      }`,
  );
const nodeOf = (diff: TraceDiff, op: string) => diff.operation.indexOf(op);

const root: SpanSpec = {
  spanId: 'r',
  name: 'GET /checkout',
  serviceName: 'web',
  startMs: 0,
  durationMs: 100,
};
const call = (
  spanId: string,
  name: string,
  startMs: number,
  durationMs: number,
  extra: Partial<SpanSpec> = {},
): SpanSpec => ({
  spanId,
  parentSpanId: 'r',
  name,
  serviceName: 'api',
  startMs,
  durationMs,
  ...extra,
});

describe('buildTraceDiff', () => {
  it('matches spans by service and operation path and counts each side', () => {
    const diff = diffOf(
      [root, call('q1', 'SELECT', 1, 10), call('q2', 'SELECT', 20, 10)],
      [
        { ...root, spanId: 'x' },
        call('y1', 'SELECT', 1, 10, { parentSpanId: 'x' }),
        call('y2', 'SELECT', 20, 10, { parentSpanId: 'x' }),
      ],
    );
    expect(paths(diff)).toEqual(['web/GET /checkout', '  api/SELECT']);
    const select = nodeOf(diff, 'SELECT');
    expect([diff.countA[select], diff.countB[select]]).toEqual([2, 2]);
    expect([diff.totalA[select], diff.totalB[select]]).toEqual([20, 20]);
    expect(diff.change[select]).toBe(DIFF_SAME);
    expect(diff.change[0]).toBe(DIFF_SAME);
    expect(diff.subtreeEnd[0]).toBe(2);
    expect(diff.firstRowA[select]).toBeGreaterThan(0);
  });

  it('reports spans only in A as removed and only in B as added', () => {
    const diff = diffOf(
      [root, call('c', 'GET /cache', 1, 5)],
      [root, call('d', 'SELECT', 1, 30, { status: { code: 'error' } })],
    );
    const cache = nodeOf(diff, 'GET /cache');
    const select = nodeOf(diff, 'SELECT');
    expect(diff.change[cache]).toBe(DIFF_REMOVED);
    expect([diff.countA[cache], diff.countB[cache]]).toEqual([1, 0]);
    expect(diff.firstRowB[cache]).toBe(-1);
    expect(diff.change[select]).toBe(DIFF_ADDED);
    expect(diff.errorsB[select]).toBe(1);
    expect(diff.changeCounts[DIFF_ADDED]).toBe(1);
    expect(diff.changeCounts[DIFF_REMOVED]).toBe(1);
    // the added 30 ms outweigh the removed 5 ms: first among siblings
    expect(select).toBeLessThan(cache);
  });

  it('marks count and duration changes beyond the threshold as changed', () => {
    const diff = diffOf(
      [
        root,
        call('a1', 'SELECT', 1, 10),
        call('b1', 'POST /pay', 20, 10),
        call('c1', 'GET /stock', 40, 10),
      ],
      [
        root,
        call('a1', 'SELECT', 1, 10),
        call('a2', 'SELECT', 12, 10),
        call('b1', 'POST /pay', 20, 50),
        call('c1', 'GET /stock', 40, 10.5),
      ],
    );
    const select = nodeOf(diff, 'SELECT');
    const pay = nodeOf(diff, 'POST /pay');
    const stock = nodeOf(diff, 'GET /stock');
    expect(diff.change[select]).toBe(DIFF_CHANGED); // count 1 → 2
    expect(diff.change[pay]).toBe(DIFF_CHANGED); // 10 → 50 ms
    expect(diff.change[stock]).toBe(DIFF_SAME); // +5 %, under the threshold
    // largest change first among siblings
    expect(paths(diff).slice(1)).toEqual([
      '  api/POST /pay',
      '  api/SELECT',
      '  api/GET /stock',
    ]);
  });

  it('keeps the same operation under different parents apart', () => {
    const diff = diffOf(
      [
        root,
        call('p', 'POST /pay', 1, 50),
        call('q', 'SELECT', 2, 5, { parentSpanId: 'p' }),
      ],
      [
        root,
        call('s', 'GET /stock', 1, 50),
        call('q', 'SELECT', 2, 5, { parentSpanId: 's' }),
      ],
    );
    expect(diff.operation.filter(op => op === 'SELECT')).toHaveLength(2);
    const selects = diff.operation
      .map((op, i) => (op === 'SELECT' ? diff.change[i] : 0))
      .filter(Boolean);
    expect(selects.sort()).toEqual([DIFF_REMOVED, DIFF_ADDED].sort());
  });

  it('keeps orphans and cut cycles apart from true roots and flags them', () => {
    const diff = diffOf(
      [
        root,
        {
          ...call('o', 'GET /checkout', 5, 5),
          serviceName: 'web',
          parentSpanId: 'missing',
        },
      ],
      [
        root,
        // a parent cycle: c1 → c2 → c1
        call('c1', 'SELECT', 10, 5, { parentSpanId: 'c2' }),
        call('c2', 'SELECT', 11, 5, { parentSpanId: 'c1' }),
      ],
    );
    const roots = Array.from({ length: diff.size }, (_, i) => i).filter(
      i => diff.parent[i] < 0,
    );
    // the true root, the orphan root (A) and the cut cycle (B)
    expect(roots).toHaveLength(3);
    const orphan = roots.find(i => diff.flags[i] & DIFF_FLAG_ORPHAN)!;
    expect(diff.operation[orphan]).toBe('GET /checkout');
    expect(diff.change[orphan]).toBe(DIFF_REMOVED);
    const cycle = roots.find(i => diff.flags[i] & DIFF_FLAG_CYCLE)!;
    expect(diff.change[cycle]).toBe(DIFF_ADDED);
    // every span of the cycle is in the tree exactly once
    expect(diff.countB[cycle] + diff.countB[cycle + 1]).toBe(2);
    expect(diff.a.orphans).toBe(1);
    expect(diff.b.cycles).toBe(1);
  });

  it('hides collapsed and unchanged subtrees from the visible rows', () => {
    const diff = diffOf(
      [root, call('a', 'SELECT', 1, 10), call('b', 'POST /pay', 20, 10)],
      [root, call('a', 'SELECT', 1, 10), call('b', 'POST /pay', 20, 40)],
    );
    expect(Array.from(visibleDiffRows(diff, new Set()))).toEqual([0, 1, 2]);
    expect(Array.from(visibleDiffRows(diff, new Set([0])))).toEqual([0]);
    const shown = Array.from(visibleDiffRows(diff, new Set(), true));
    expect(shown.map(i => diff.operation[i])).toEqual([
      'GET /checkout',
      'POST /pay',
    ]);
  });

  it('compares a trace with itself as unchanged and an empty trace as all added', () => {
    const spans = [root, call('a', 'SELECT', 1, 10)];
    const same = diffOf(spans, spans);
    expect(same.changeCounts[DIFF_SAME]).toBe(2);
    const fromEmpty = diffOf([], spans);
    expect(fromEmpty.changeCounts[DIFF_ADDED]).toBe(2);
    expect(fromEmpty.a.spans).toBe(0);
  });
});
