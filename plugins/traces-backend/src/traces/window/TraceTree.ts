import { runSliced, runToEnd } from '../../lib/slicedWork';
import {
  computeCriticalPath,
  STATUS_CODES,
  type CompactTrace,
} from '@backstage-traces/plugin-traces-common';

const ERROR_STATUS = STATUS_CODES.indexOf('error');
/** Flags computeCriticalPath reads: a root that is a fragment (orphan, cut cycle). */
const FLAG_ORPHAN = 2;
const FLAG_CYCLE = 8;

/**
 * The span tree of a whole trace, built once per windowed trace, in typed arrays indexed by
 * the compact trace's rows (start order). Windows are cut from it without touching the spans:
 * children lists, subtree sizes and the critical path of a million spans fit in ~40 MB.
 */
export interface TraceTree {
  readonly size: number;
  /** Parent row in the tree; -1 for roots, orphans and spans where a parent cycle was cut. */
  readonly parent: Int32Array;
  /** Children of row r: children[childStart[r] .. childStart[r+1]-1], in start order. */
  readonly childStart: Int32Array;
  readonly children: Int32Array;
  /** Root rows in start order. */
  readonly roots: Int32Array;
  readonly descendants: Int32Array;
  readonly descendantErrors: Int32Array;
  readonly isError: Uint8Array;
  readonly errorCount: number;
  /** Per service of the whole trace, in order of first appearance. */
  readonly services: readonly ServiceStats[];
  /** Span start in nanoseconds from the trace start, per row. */
  readonly startNs: Float64Array;
  /** Rows in DFS pre-order: a parent before its children. */
  readonly preorder: Int32Array;
  /** Critical path sections: rows and [start, end) in nanoseconds from the trace start. */
  readonly critical: {
    rows: Int32Array;
    startNs: Float64Array;
    endNs: Float64Array;
  };
  /** Row of a span ID, or -1 (duplicate IDs: the first row). */
  rowOf(spanId: string): number;
}

export interface ServiceStats {
  /** The service name's index in the compact trace's string table. */
  nameIndex: number;
  spanCount: number;
  errorCount: number;
}

export function buildTraceTree(compact: CompactTrace): TraceTree {
  return runToEnd(traceTreeSteps(compact));
}

/** As `buildTraceTree`, giving the event loop a turn every `sliceMs` (a million spans). */
export function buildTraceTreeAsync(
  compact: CompactTrace,
  sliceMs?: number,
): Promise<TraceTree> {
  return runSliced(traceTreeSteps(compact), sliceMs);
}

/** Yields every CHUNK rows of each pass. */
const CHUNK = 65536;

function* traceTreeSteps(compact: CompactTrace): Generator<void, TraceTree> {
  const columns = compact.spans;
  const n = columns.parent.length;

  const isError = new Uint8Array(n);
  let errorCount = 0;
  const startNs = new Float64Array(n);
  const endNs = new Float64Array(n);
  let offset = 0;
  for (let r = 0; r < n; r++) {
    if (r % CHUNK === CHUNK - 1) yield;
    offset += columns.startDelta[r];
    startNs[r] = offset;
    endNs[r] = offset + columns.durationNanos[r];
    if (columns.status[r] === ERROR_STATUS) {
      isError[r] = 1;
      errorCount++;
    }
  }

  // Children in CSR form; rows are in start order, so each list comes out sorted by start.
  const linked = new Int32Array(n);
  const flags = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const p = columns.parent[r];
    linked[r] = p >= 0 && p !== r ? p : -1;
    if (p === -2) flags[r] |= FLAG_ORPHAN;
  }
  const childStart = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) if (linked[r] >= 0) childStart[linked[r] + 1]++;
  for (let r = 0; r < n; r++) childStart[r + 1] += childStart[r];
  const children = new Int32Array(childStart[n]);
  const fill = childStart.slice(0, n);
  for (let r = 0; r < n; r++) {
    if (linked[r] >= 0) children[fill[linked[r]]++] = r;
  }

  // Pre-order DFS from the roots; rows never reached hang below a parent cycle, which is cut
  // at the first such row (it becomes a root) so that no span is lost.
  yield;
  const parent = new Int32Array(n).fill(-1);
  const preorder = new Int32Array(n);
  const visited = new Uint8Array(n);
  const stack = new Int32Array(n);
  const roots: number[] = [];
  let next = 0;
  const visit = (root: number) => {
    let top = 0;
    stack[top++] = root;
    visited[root] = 1;
    roots.push(root);
    while (top > 0) {
      const r = stack[--top];
      preorder[next++] = r;
      for (let c = childStart[r + 1] - 1; c >= childStart[r]; c--) {
        const child = children[c];
        if (!visited[child]) {
          visited[child] = 1;
          parent[child] = r;
          stack[top++] = child;
        }
      }
    }
  };
  for (let r = 0; r < n; r++) if (linked[r] < 0) visit(r);
  let cut = false;
  for (let r = 0; r < n && next < n; r++) {
    if (!visited[r]) {
      flags[r] |= FLAG_CYCLE;
      cut = true;
      visit(r);
    }
  }
  roots.sort((a, b) => a - b);
  // A cut cycle leaves an edge in the children lists that the tree no longer has.
  if (cut) rebuildChildren(n, parent, childStart, children);

  yield;
  const descendants = new Int32Array(n);
  const descendantErrors = new Int32Array(n);
  for (let k = n - 1; k >= 0; k--) {
    if (k % CHUNK === 0) yield;
    const r = preorder[k];
    const p = parent[r];
    if (p >= 0) {
      descendants[p] += descendants[r] + 1;
      descendantErrors[p] += descendantErrors[r] + isError[r];
    }
  }

  yield;
  const services = serviceStats(compact, isError);
  yield;
  const critical = criticalPathOf(
    n,
    preorder,
    parent,
    startNs,
    endNs,
    roots,
    flags,
  );
  let byId: Map<string, number> | undefined;
  return {
    size: n,
    parent,
    childStart,
    children,
    roots: Int32Array.from(roots),
    descendants,
    descendantErrors,
    isError,
    errorCount,
    preorder,
    services,
    startNs,
    critical,
    rowOf(spanId: string) {
      if (!byId) {
        // Built on first use: most windows never look a span up by ID.
        byId = new Map();
        const ids = columns.ids;
        for (let r = n - 1; r >= 0; r--)
          byId.set(ids.slice(r * 16, r * 16 + 16), r);
      }
      return byId.get(spanId) ?? -1;
    },
  };
}

function serviceStats(
  compact: CompactTrace,
  isError: Uint8Array,
): ServiceStats[] {
  const { strings, resources, spans } = compact;
  // Several resources (pods, versions) may share one service name.
  const byName = new Map<string, ServiceStats>();
  const ofResource = resources.map(resource => {
    const name = strings[resource.serviceName];
    let entry = byName.get(name);
    if (!entry) {
      entry = { nameIndex: resource.serviceName, spanCount: 0, errorCount: 0 };
      byName.set(name, entry);
    }
    return entry;
  });
  const ordered: ServiceStats[] = [];
  const seen = new Set<ServiceStats>();
  for (let r = 0; r < spans.resource.length; r++) {
    const entry = ofResource[spans.resource[r]];
    entry.spanCount++;
    entry.errorCount += isError[r];
    if (!seen.has(entry)) {
      seen.add(entry);
      ordered.push(entry);
    }
  }
  return ordered;
}

function rebuildChildren(
  n: number,
  parent: Int32Array,
  childStart: Int32Array,
  children: Int32Array,
) {
  childStart.fill(0);
  for (let r = 0; r < n; r++) if (parent[r] >= 0) childStart[parent[r] + 1]++;
  for (let r = 0; r < n; r++) childStart[r + 1] += childStart[r];
  const fill = childStart.slice(0, n);
  for (let r = 0; r < n; r++) {
    if (parent[r] >= 0) children[fill[parent[r]]++] = r;
  }
}

/** The shared critical-path walk runs on pre-order indexes; sections are mapped back to rows. */
function criticalPathOf(
  n: number,
  preorder: Int32Array,
  parent: Int32Array,
  startNs: Float64Array,
  endNs: Float64Array,
  roots: number[],
  flags: Uint8Array,
): TraceTree['critical'] {
  const position = new Int32Array(n);
  for (let k = 0; k < n; k++) position[preorder[k]] = k;
  const pParent = new Int32Array(n);
  const pStart = new Float64Array(n);
  const pEnd = new Float64Array(n);
  const pFlags = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const r = preorder[k];
    pParent[k] = parent[r] < 0 ? -1 : position[parent[r]];
    pStart[k] = startNs[r];
    pEnd[k] = endNs[r];
    pFlags[k] = flags[r];
  }
  const path = computeCriticalPath({
    size: n,
    parent: pParent,
    startMs: pStart,
    endMs: pEnd,
    roots: roots.map(r => position[r]).sort((a, b) => a - b),
    flags: pFlags,
  });
  const total = path.startMs.length;
  const rows = new Int32Array(total);
  for (let k = 0; k < n; k++) {
    for (let s = path.offsets[k]; s < path.offsets[k + 1]; s++)
      rows[s] = preorder[k];
  }
  // The walk is unit-agnostic: fed nanoseconds, it returns nanoseconds.
  return { rows, startNs: path.startMs, endNs: path.endMs };
}
