import type { TraceSummary } from '@backstage-traces/plugin-traces-common';

export type SortKey = 'start' | 'duration' | 'spans';
export type SortDirection = 'asc' | 'desc';
export interface TraceSort {
  key: SortKey;
  direction: SortDirection;
}

export const DEFAULT_SORT: TraceSort = { key: 'start', direction: 'desc' };
const KEYS: readonly SortKey[] = ['start', 'duration', 'spans'];

/** `duration` (descending) or `duration.asc`; anything else is the default, newest first. */
export function parseSort(value: string | null): TraceSort {
  if (!value) return DEFAULT_SORT;
  const [key, direction = 'desc'] = value.split('.');
  if (!(KEYS as readonly string[]).includes(key)) return DEFAULT_SORT;
  if (direction !== 'asc' && direction !== 'desc') return DEFAULT_SORT;
  return { key: key as SortKey, direction };
}

/** The URL form of a sort; undefined for the default. */
export function serializeSort(sort: TraceSort): string | undefined {
  if (
    sort.key === DEFAULT_SORT.key &&
    sort.direction === DEFAULT_SORT.direction
  ) {
    return undefined;
  }
  return sort.direction === 'desc' ? sort.key : `${sort.key}.asc`;
}

/** Clicking a column: first descending (longest, most spans, newest), then toggling. */
export function nextSort(current: TraceSort, key: SortKey): TraceSort {
  if (current.key !== key) return { key, direction: 'desc' };
  return { key, direction: current.direction === 'desc' ? 'asc' : 'desc' };
}

function startNanos(trace: TraceSummary): bigint {
  try {
    return BigInt(trace.startTimeUnixNano);
  } catch {
    return BigInt(Date.parse(trace.startTime) || 0) * 1_000_000n;
  }
}

function compare(a: TraceSummary, b: TraceSummary, key: SortKey): number {
  switch (key) {
    case 'duration':
      return a.durationMs - b.durationMs;
    case 'spans':
      return (a.spanCount ?? -1) - (b.spanCount ?? -1);
    default: {
      // nanosecond timestamps exceed Number precision; compare them exactly
      const x = startNanos(a);
      const y = startNanos(b);
      if (x === y) return 0;
      return x < y ? -1 : 1;
    }
  }
}

/**
 * Sorted copy. Traces without a span count sort last in either direction; ties keep the
 * newest first so the order is stable across re-sorts.
 */
export function sortTraces(
  traces: TraceSummary[],
  sort: TraceSort,
): TraceSummary[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...traces].sort((a, b) => {
    if (sort.key === 'spans') {
      const missingA = a.spanCount === undefined;
      const missingB = b.spanCount === undefined;
      if (missingA !== missingB) return missingA ? 1 : -1;
    }
    return sign * compare(a, b, sort.key) || -compare(a, b, 'start');
  });
}

/** Error spans of a trace: Tempo's count, else the sum over services. */
export function traceErrorCount(trace: TraceSummary): number {
  return (
    trace.errorCount ?? trace.services.reduce((sum, s) => sum + s.errorCount, 0)
  );
}
