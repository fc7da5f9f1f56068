/*
 * Critical path, Jaeger UI's algorithm (jaeger-ui #1582): start at the root's end and walk
 * backwards in time. At each span, descend into the last-finishing child that ends before the
 * current point; where no child is running, the span itself is on the path, down to its start,
 * then control returns to the parent at the child's start time.
 *
 * Differences from a literal port, both for large traces:
 * - iterative (Jaeger's version recurses once per section and overflows the stack on long paths);
 * - each parent keeps a cursor into its children sorted by end time. The "current point" at a
 *   parent only moves backwards, so children skipped once stay skipped: O(children) per parent
 *   instead of a scan from the start on every return (O(children^2) for a 10k fan-out).
 * Children are clipped to their parent first (Jaeger's sanitizeOverFlowingChildren) and children
 * entirely outside their parent are ignored.
 */

import { runSteps } from '../runSteps';

/** Critical-path sections grouped by row: row r owns sections offsets[r] .. offsets[r+1]-1. */
export interface CriticalPath {
  readonly offsets: Int32Array;
  readonly startMs: Float64Array;
  readonly endMs: Float64Array;
}

export interface CriticalPathInput {
  size: number;
  parent: Int32Array;
  startMs: Float64Array;
  endMs: Float64Array;
  roots: readonly number[];
  /** FLAG_ORPHAN (2) and FLAG_CYCLE (8) mark roots that are fragments, not real roots. */
  flags: Uint8Array;
}

const FRAGMENT_ROOT = 2 | 8;

/** Rows per slice between yields. */
const CHUNK = 65536;

export function computeCriticalPath(input: CriticalPathInput): CriticalPath {
  return runSteps(criticalPathSteps(input));
}

/** As `computeCriticalPath`, yielding between slices of work (see `spanTreeSteps`). */
export function* criticalPathSteps(
  input: CriticalPathInput,
): Generator<void, CriticalPath> {
  const { size: n, parent, roots, flags } = input;

  // Clip every span to its (clipped) parent; pre-order visits parents first.
  const cs = new Float64Array(n);
  const ce = new Float64Array(n);
  const outside = new Uint8Array(n);
  // Children of each row in CSR form (sorted lazily, only for rows the walk reaches).
  const kidStart = new Int32Array(n + 1);
  for (let from = 0; from < n; from += CHUNK) {
    clipRange(
      input,
      cs,
      ce,
      outside,
      kidStart,
      from,
      Math.min(n, from + CHUNK),
    );
    yield;
  }
  for (let r = 0; r < n; r++) kidStart[r + 1] += kidStart[r];
  const kids = new Int32Array(kidStart[n]);
  const fillAt = kidStart.slice(0, n);
  for (let from = 0; from < n; from += CHUNK) {
    const to = Math.min(n, from + CHUNK);
    for (let r = from; r < to; r++) {
      if (parent[r] >= 0 && !outside[r]) kids[fillAt[parent[r]]++] = r;
    }
    yield;
  }
  const sorted = new Uint8Array(n);
  const cursor = kidStart.slice(0, n);
  // Latest end first; on a tie the earlier (longer) child, which the parent waited on longer.
  const byEndDesc = (a: number, b: number) => ce[b] - ce[a] || cs[a] - cs[b];

  const segRow: number[] = [];
  const segStart: number[] = [];
  const segEnd: number[] = [];
  const push = (row: number, from: number, to: number) => {
    if (to > from) {
      segRow.push(row);
      segStart.push(from);
      segEnd.push(to);
    }
  };

  let walkRoots = roots.filter(r => !(flags[r] & FRAGMENT_ROOT));
  if (walkRoots.length === 0) walkRoots = roots.slice();

  // Children sorted (the walk's main cost) since the last yield.
  let work = 0;
  for (const root of walkRoots) {
    let cur = root;
    // The point in time the walk has reached inside `cur`; NaN means "from cur's end".
    let until = NaN;
    for (;;) {
      if (!sorted[cur]) {
        sorted[cur] = 1;
        kids.subarray(kidStart[cur], kidStart[cur + 1]).sort(byEndDesc);
        work += kidStart[cur + 1] - kidStart[cur] + 1;
        if (work >= CHUNK / 4) {
          work = 0;
          yield;
        }
      }
      const sectionEnd = Number.isNaN(until) ? ce[cur] : until;
      let c = cursor[cur];
      const stop = kidStart[cur + 1];
      if (!Number.isNaN(until)) {
        while (c < stop && !(ce[kids[c]] < until)) c++;
        cursor[cur] = c;
      }
      if (c < stop) {
        const child = kids[c];
        push(cur, ce[child], sectionEnd);
        cur = child;
        until = NaN;
        continue;
      }
      push(cur, cs[cur], sectionEnd);
      if (cur === root) break;
      until = cs[cur];
      cur = parent[cur];
    }
  }

  yield;
  // Group sections by row (counting sort).
  const offsets = new Int32Array(n + 1);
  for (const r of segRow) offsets[r + 1]++;
  for (let r = 0; r < n; r++) offsets[r + 1] += offsets[r];
  const place = offsets.slice(0, n);
  const outStart = new Float64Array(segRow.length);
  const outEnd = new Float64Array(segRow.length);
  for (let k = 0; k < segRow.length; k++) {
    const at = place[segRow[k]]++;
    outStart[at] = segStart[k];
    outEnd[at] = segEnd[k];
  }
  return { offsets, startMs: outStart, endMs: outEnd };
}

/** Clips rows [from, to) to their parents and counts each parent's children inside it. */
function clipRange(
  input: CriticalPathInput,
  cs: Float64Array,
  ce: Float64Array,
  outside: Uint8Array,
  kidStart: Int32Array,
  from: number,
  to: number,
) {
  const { parent, startMs, endMs } = input;
  for (let r = from; r < to; r++) {
    const p = parent[r];
    if (p < 0) {
      cs[r] = startMs[r];
      ce[r] = endMs[r];
    } else if (outside[p] || endMs[r] < cs[p] || startMs[r] > ce[p]) {
      outside[r] = 1;
    } else {
      cs[r] = Math.max(startMs[r], cs[p]);
      ce[r] = Math.min(endMs[r], ce[p]);
      kidStart[p + 1]++;
    }
  }
}
