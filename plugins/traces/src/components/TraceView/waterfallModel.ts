import {
  buildSpanTree,
  ORPHAN_PARENT,
  SPAN_FLAG_CRITICAL,
  SPAN_FLAG_CYCLE,
  SPAN_FLAG_ERROR,
  SPAN_FLAG_ORPHAN,
  type CriticalPath,
  type Span,
  type Trace,
} from '@backstage-traces/plugin-traces-common';

/*
 * The waterfall model: everything the trace view needs about the span tree, computed once per
 * trace in O(n log n) (one sort of children by end time for the critical path; the rest is O(n)).
 * The tree itself (cycles, orphans, subtree counts, critical path) is traces-common's
 * `buildSpanTree`, the one the backend cuts windows from; this adds the view's rows.
 *
 * Spans are re-ordered into DFS pre-order ("row index"). Every per-span array below is indexed by
 * that order, so a subtree is the contiguous range [i, subtreeEnd[i]) and "skip a collapsed
 * subtree" is a single jump. Struct-of-arrays with typed arrays keeps 100k spans at a few MB and
 * lets the hot loops (visible rows, search, minimap) run without touching the Span objects.
 */

/** The span's status is `error`. */
export const FLAG_ERROR = SPAN_FLAG_ERROR;
/** The span names a parent that is not in the trace; it is shown as a root. */
export const FLAG_ORPHAN = SPAN_FLAG_ORPHAN;
/** At least one section of the span lies on the critical path. */
export const FLAG_CRITICAL = SPAN_FLAG_CRITICAL;
/** The span's parent chain loops back on itself; the loop was cut here to make it a root. */
export const FLAG_CYCLE = SPAN_FLAG_CYCLE;

export interface WaterfallModel {
  readonly trace: Trace;
  /** Number of spans. */
  readonly size: number;
  /** Spans in DFS pre-order (children ordered by start time). */
  readonly spans: readonly Span[];
  /** Row index of the parent, -1 for roots (including orphans). */
  readonly parent: Int32Array;
  /** 0 for roots. */
  readonly depth: Int32Array;
  /** Exclusive end of the subtree: descendants of i are the rows i+1 .. subtreeEnd[i]-1. */
  readonly subtreeEnd: Int32Array;
  /** Number of direct children. */
  readonly childCount: Int32Array;
  /** Index into `services` (also the colour index). */
  readonly service: Uint16Array;
  /** Bit set of FLAG_* constants. */
  readonly flags: Uint8Array;
  /** Span start and end in ms from the trace start. */
  readonly startMs: Float64Array;
  readonly endMs: Float64Array;
  /** Time not covered by any child (clipped to the span), in ms. */
  readonly selfMs: Float64Array;
  /** Number of error spans among the descendants (not counting the span itself). */
  readonly descendantErrors: Int32Array;
  /** Row indexes of the roots, in start order. */
  readonly roots: Int32Array;
  /** Service names: `trace.services` first (stable colours), then any name only spans carry. */
  readonly services: readonly string[];
  readonly serviceSpanCount: Int32Array;
  readonly serviceErrorCount: Int32Array;
  readonly criticalPath: CriticalPath;
  readonly maxDepth: number;
  /** Extent of the time axis in ms (at least the trace duration, never 0). */
  readonly durationMs: number;
  readonly errorCount: number;
  readonly orphanCount: number;
  /**
   * Windowed traces only (`trace.window`): per row, direct children and all spans below it
   * that are in the whole trace but not loaded yet, and the error spans among the latter.
   */
  readonly hiddenChildren?: Int32Array;
  readonly hiddenSpans?: Int32Array;
  readonly hiddenErrors?: Int32Array;
  /** Row index of a span ID, or undefined. Duplicate IDs resolve to the first span. */
  indexOf(spanId: string): number | undefined;
}

/** Builds the model. O(n) apart from the critical path's per-parent sort of children. */
export function buildWaterfallModel(trace: Trace): WaterfallModel {
  const input = trace.spans;
  const n = input.length;

  // Input order: by start time. The API sends spans sorted; check in O(n) and only sort if not,
  // so children come out ordered by start without a per-parent sort.
  let byStart: Span[] = input as Span[];
  for (let k = 1; k < n; k++) {
    if (input[k].startMs < input[k - 1].startMs) {
      byStart = input
        .map((span, idx) => ({ span, idx }))
        .sort((a, b) => a.span.startMs - b.span.startMs || a.idx - b.idx)
        .map(entry => entry.span);
      break;
    }
  }

  const idToInput = new Map<string, number>();
  for (let k = 0; k < n; k++) {
    const id = byStart[k].spanId;
    if (!idToInput.has(id)) idToInput.set(id, k);
  }

  // Tree input in start order: parents by ID (missing ones are orphans), clean times.
  const inParent = new Int32Array(n).fill(-1);
  const inStart = new Float64Array(n);
  const inEnd = new Float64Array(n);
  const inError = new Uint8Array(n);
  const inService = new Uint16Array(n);
  const services = trace.services.slice();
  const serviceIndex = new Map<string, number>();
  services.forEach((name, idx) => {
    if (!serviceIndex.has(name)) serviceIndex.set(name, idx);
  });
  for (let k = 0; k < n; k++) {
    const span = byStart[k];
    let s = serviceIndex.get(span.serviceName);
    if (s === undefined) {
      s = services.length;
      services.push(span.serviceName);
      serviceIndex.set(span.serviceName, s);
    }
    inService[k] = Math.min(s, 0xffff);
    const parentId = span.parentSpanId;
    if (parentId) inParent[k] = idToInput.get(parentId) ?? ORPHAN_PARENT;
    const start = Number.isFinite(span.startMs) ? span.startMs : 0;
    const duration =
      Number.isFinite(span.durationMs) && span.durationMs > 0
        ? span.durationMs
        : 0;
    inStart[k] = start;
    inEnd[k] = start + duration;
    if (span.status?.code === 'error') inError[k] = 1;
  }
  // In a window the path must be the whole trace's: computed here it would run through
  // spans whose children are not loaded yet.
  const tree = buildSpanTree({
    size: n,
    parent: inParent,
    start: inStart,
    end: inEnd,
    isError: inError,
    criticalPath: !trace.window,
  });

  // The model's rows are the tree's pre-order: a subtree is the range [r, subtreeEnd[r]).
  const { preorder, position } = tree;
  const parent = tree.preorderParent;
  const depth = tree.preorderDepth;
  const startMs = tree.preorderStart;
  const endMs = tree.preorderEnd;
  const flags = tree.preorderFlags;
  const descendantErrors = tree.preorderDescendantErrors;
  const spans: Span[] = new Array(n);
  const subtreeEnd = new Int32Array(n);
  const childCount = new Int32Array(n);
  const service = new Uint16Array(n);
  let axisStart = 0;
  let axisEnd = trace.durationMs > 0 ? trace.durationMs : 0;
  for (let r = 0; r < n; r++) {
    const k = preorder[r];
    spans[r] = byStart[k];
    service[r] = inService[k];
    subtreeEnd[r] = r + tree.preorderDescendants[r] + 1;
    if (parent[r] >= 0) childCount[parent[r]]++;
    if (startMs[r] < axisStart) axisStart = startMs[r];
    if (endMs[r] > axisEnd) axisEnd = endMs[r];
  }
  const serviceSpanCount = new Int32Array(services.length);
  const serviceErrorCount = new Int32Array(services.length);
  for (let r = 0; r < n; r++) {
    serviceSpanCount[service[r]]++;
    if (flags[r] & FLAG_ERROR) serviceErrorCount[service[r]]++;
  }
  const roots = new Int32Array(tree.roots.length);
  for (let i = 0; i < roots.length; i++) roots[i] = position[tree.roots[i]];
  roots.sort();

  const selfMs = computeSelfTimes(n, startMs, endMs, subtreeEnd);
  const rowOfId = (spanId: string) => {
    const k = idToInput.get(spanId);
    return k === undefined ? undefined : position[k];
  };
  const criticalPath = trace.window
    ? criticalPathFromSections(n, trace.window.criticalPath, rowOfId)
    : tree.criticalPath;
  if (trace.window) {
    for (let r = 0; r < n; r++) {
      if (criticalPath.offsets[r + 1] > criticalPath.offsets[r]) {
        flags[r] |= FLAG_CRITICAL;
      }
    }
  }

  const hidden = trace.window
    ? hiddenCounts(n, spans, childCount, subtreeEnd, descendantErrors)
    : undefined;

  return {
    trace,
    size: n,
    spans,
    parent,
    depth,
    subtreeEnd,
    childCount,
    service,
    flags,
    startMs,
    endMs,
    selfMs,
    descendantErrors,
    roots,
    services,
    serviceSpanCount,
    serviceErrorCount,
    criticalPath,
    maxDepth: tree.maxDepth,
    // Offsets are from the trace start, so the axis normally starts at 0; a negative start
    // (clock skew) widens the axis instead of drawing bars off-screen.
    durationMs: Math.max(axisEnd - Math.min(axisStart, 0), 1e-6),
    errorCount: tree.errorCount,
    orphanCount: tree.orphanCount,
    ...hidden,
    indexOf: rowOfId,
  };
}

/** What each loaded span has below it in the whole trace that is not loaded. */
function hiddenCounts(
  n: number,
  spans: Span[],
  childCount: Int32Array,
  subtreeEnd: Int32Array,
  descendantErrors: Int32Array,
) {
  const hiddenChildren = new Int32Array(n);
  const hiddenSpans = new Int32Array(n);
  const hiddenErrors = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const whole = spans[r].subtree;
    if (!whole) continue;
    hiddenChildren[r] = Math.max(0, whole.children - childCount[r]);
    hiddenSpans[r] = Math.max(0, whole.descendants - (subtreeEnd[r] - r - 1));
    hiddenErrors[r] = Math.max(0, whole.errors - descendantErrors[r]);
  }
  return { hiddenChildren, hiddenSpans, hiddenErrors };
}

/** The backend's critical-path sections, grouped by row like computeCriticalPath's. */
function criticalPathFromSections(
  n: number,
  sections: ReadonlyArray<{ spanId: string; startMs: number; endMs: number }>,
  rowOfId: (spanId: string) => number | undefined,
): CriticalPath {
  const rows = sections.map(section => rowOfId(section.spanId) ?? -1);
  const offsets = new Int32Array(n + 1);
  for (const r of rows) if (r >= 0) offsets[r + 1]++;
  for (let r = 0; r < n; r++) offsets[r + 1] += offsets[r];
  const place = offsets.slice(0, n);
  const startMs = new Float64Array(offsets[n]);
  const endMs = new Float64Array(offsets[n]);
  rows.forEach((r, k) => {
    if (r < 0) return;
    const at = place[r]++;
    startMs[at] = sections[k].startMs;
    endMs[at] = sections[k].endMs;
  });
  return { offsets, startMs, endMs };
}

/**
 * Self time: the span's duration minus the union of its children's intervals (clipped to the
 * span). Children are in start order in pre-order, so one sweep per parent suffices: O(n).
 */
function computeSelfTimes(
  n: number,
  startMs: Float64Array,
  endMs: Float64Array,
  subtreeEnd: Int32Array,
): Float64Array {
  const selfMs = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const s = startMs[r];
    const e = endMs[r];
    let covered = 0;
    let runStart = 0;
    let runEnd = -Infinity;
    for (let c = r + 1; c < subtreeEnd[r]; c = subtreeEnd[c]) {
      const cs = Math.max(startMs[c], s);
      const ce = Math.min(endMs[c], e);
      if (ce <= cs) continue;
      if (cs > runEnd) {
        if (runEnd > runStart) covered += runEnd - runStart;
        runStart = cs;
        runEnd = ce;
      } else if (ce > runEnd) {
        runEnd = ce;
      }
    }
    if (runEnd > runStart) covered += runEnd - runStart;
    selfMs[r] = Math.max(0, e - s - covered);
  }
  return selfMs;
}

/** Row indexes of the direct children of `row`, in start order. */
export function childrenOf(model: WaterfallModel, row: number): number[] {
  const out: number[] = [];
  const end = model.subtreeEnd[row];
  for (let c = row + 1; c < end; c = model.subtreeEnd[c]) out.push(c);
  return out;
}

/** Row indexes from the root down to `row` (inclusive). */
export function ancestorPath(model: WaterfallModel, row: number): number[] {
  const path: number[] = [];
  for (let r = row; r >= 0; r = model.parent[r]) path.push(r);
  return path.reverse();
}
