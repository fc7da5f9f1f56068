import type { TraceSummary } from '@backstage-traces/plugin-traces-common';
import {
  DEFAULT_SORT,
  nextSort,
  parseSort,
  serializeSort,
  sortTraces,
  traceErrorCount,
} from './traceSort';

function trace(
  id: string,
  startNanos: string,
  durationMs: number,
  spanCount?: number,
): TraceSummary {
  return {
    traceId: id,
    startTimeUnixNano: startNanos,
    startTime: new Date(Number(BigInt(startNanos) / 1_000_000n)).toISOString(),
    durationMs,
    spanCount,
    services: [],
    matchedSpans: [],
    matched: 0,
  };
}

// a and b differ by 1ns, beyond Number precision at this magnitude
const a = trace('a', '1763600000000000001', 50, 10);
const b = trace('b', '1763600000000000002', 900, undefined);
const c = trace('c', '1763500000000000000', 120, 300);
const ids = (list: TraceSummary[]) => list.map(t => t.traceId);

describe('sortTraces', () => {
  it('sorts newest first by default, exactly to the nanosecond', () => {
    expect(ids(sortTraces([a, c, b], DEFAULT_SORT))).toEqual(['b', 'a', 'c']);
    expect(
      ids(sortTraces([a, c, b], { key: 'start', direction: 'asc' })),
    ).toEqual(['c', 'a', 'b']);
  });

  it('sorts by duration both ways', () => {
    expect(
      ids(sortTraces([a, b, c], { key: 'duration', direction: 'desc' })),
    ).toEqual(['b', 'c', 'a']);
    expect(
      ids(sortTraces([a, b, c], { key: 'duration', direction: 'asc' })),
    ).toEqual(['a', 'c', 'b']);
  });

  it('sorts by span count with unknown counts last either way', () => {
    expect(
      ids(sortTraces([b, a, c], { key: 'spans', direction: 'desc' })),
    ).toEqual(['c', 'a', 'b']);
    expect(
      ids(sortTraces([b, c, a], { key: 'spans', direction: 'asc' })),
    ).toEqual(['a', 'c', 'b']);
  });

  it('does not mutate its input', () => {
    const list = [a, b, c];
    sortTraces(list, { key: 'duration', direction: 'asc' });
    expect(ids(list)).toEqual(['a', 'b', 'c']);
  });
});

describe('sort URL form', () => {
  it('round-trips and leaves the default out', () => {
    expect(serializeSort(DEFAULT_SORT)).toBeUndefined();
    expect(serializeSort({ key: 'duration', direction: 'desc' })).toBe(
      'duration',
    );
    expect(serializeSort({ key: 'spans', direction: 'asc' })).toBe('spans.asc');
    expect(parseSort('duration')).toEqual({
      key: 'duration',
      direction: 'desc',
    });
    expect(parseSort('spans.asc')).toEqual({ key: 'spans', direction: 'asc' });
    expect(parseSort('start.asc')).toEqual({ key: 'start', direction: 'asc' });
    expect(parseSort(null)).toEqual(DEFAULT_SORT);
    expect(parseSort('name')).toEqual(DEFAULT_SORT);
    expect(parseSort('duration.sideways')).toEqual(DEFAULT_SORT);
  });

  it('starts a new column descending and toggles the current one', () => {
    expect(nextSort(DEFAULT_SORT, 'duration')).toEqual({
      key: 'duration',
      direction: 'desc',
    });
    expect(
      nextSort({ key: 'duration', direction: 'desc' }, 'duration'),
    ).toEqual({
      key: 'duration',
      direction: 'asc',
    });
    expect(nextSort({ key: 'duration', direction: 'asc' }, 'duration')).toEqual(
      {
        key: 'duration',
        direction: 'desc',
      },
    );
  });
});

describe('traceErrorCount', () => {
  it("uses Tempo's count, else sums the services", () => {
    expect(traceErrorCount({ ...a, errorCount: 4 })).toBe(4);
    expect(
      traceErrorCount({
        ...a,
        services: [
          { name: 'x', spanCount: 3, errorCount: 1 },
          { name: 'y', spanCount: 2, errorCount: 2 },
        ],
      }),
    ).toBe(3);
  });
});
