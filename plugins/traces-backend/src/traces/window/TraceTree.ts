import { runSliced, runToEnd } from '../../lib/slicedWork';
import {
  spanTreeSteps,
  STATUS_CODES,
  type CompactTrace,
  type SpanTree,
} from '@backstage-traces/plugin-traces-common';

const ERROR_STATUS = STATUS_CODES.indexOf('error');

/**
 * The span tree of a whole compact trace (`spanTreeSteps` of traces-common, the one span-tree
 * builder), built once per windowed trace, in typed arrays indexed by the compact trace's rows
 * (start order), with per-service counts and span-ID lookup. Windows are cut from it without
 * touching the spans: children lists, subtree sizes and the critical path of a million spans
 * fit in ~40 MB.
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
  spanId(row: number): string;
}

export interface ServiceStats {
  /** The service name's index in the compact trace's string table. */
  nameIndex: number;
  spanCount: number;
  errorCount: number;
}

/**
 * What a span tree is built from, by row (start order): a compact trace's columns
 * (`treeSourceSteps`) or the scan of a large trace's protobuf (`scanProtobufTrace`).
 */
export interface TreeSource {
  size: number;
  /** Parent row: -1 for roots, -2 for orphans. */
  parent: ArrayLike<number>;
  /** Start and end in nanoseconds from the trace start. */
  startNs: Float64Array;
  endNs: Float64Array;
  isError: Uint8Array;
  /** Resource index per row; with the trace's strings and resources, for service counts. */
  resource: ArrayLike<number>;
  trace: Pick<CompactTrace, 'strings' | 'resources'>;
  spanId(row: number): string;
  /** Row of a span ID, or -1 (duplicate IDs: the first row). */
  rowOf(spanId: string): number;
}

export function buildTraceTree(trace: CompactTrace | TreeSource): TraceTree {
  return runToEnd(traceTreeSteps(trace));
}

/** As `buildTraceTree`, giving the event loop a turn every `sliceMs` (a million spans). */
export function buildTraceTreeAsync(
  trace: CompactTrace | TreeSource,
  sliceMs?: number,
): Promise<TraceTree> {
  return runSliced(traceTreeSteps(trace), sliceMs);
}

/** Yields every CHUNK rows of the compact pass. */
const CHUNK = 65536;

/** The tree source of a compact trace: its columns as typed arrays, IDs looked up lazily. */
function* treeSourceSteps(compact: CompactTrace): Generator<void, TreeSource> {
  const columns = compact.spans;
  const n = columns.parent.length;
  const isError = new Uint8Array(n);
  const startNs = new Float64Array(n);
  const endNs = new Float64Array(n);
  let offset = 0;
  for (let r = 0; r < n; r++) {
    if (r % CHUNK === CHUNK - 1) yield;
    offset += columns.startDelta[r];
    startNs[r] = offset;
    endNs[r] = offset + columns.durationNanos[r];
    if (columns.status[r] === ERROR_STATUS) isError[r] = 1;
  }
  const ids = columns.ids;
  let byId: Map<string, number> | undefined;
  return {
    size: n,
    parent: columns.parent,
    startNs,
    endNs,
    isError,
    resource: columns.resource,
    trace: compact,
    spanId: row => ids.slice(row * 16, row * 16 + 16),
    rowOf(spanId: string) {
      if (!byId) {
        // Built on first use: most windows never look a span up by ID.
        byId = new Map();
        for (let r = n - 1; r >= 0; r--)
          byId.set(ids.slice(r * 16, r * 16 + 16), r);
      }
      return byId.get(spanId) ?? -1;
    },
  };
}

function* traceTreeSteps(
  trace: CompactTrace | TreeSource,
): Generator<void, TraceTree> {
  const source = 'spans' in trace ? yield* treeSourceSteps(trace) : trace;
  const n = source.size;
  const { isError, startNs } = source;

  // Parents are rows (-1 root, -2 orphan), exactly the span tree's input.
  const tree = yield* spanTreeSteps({
    size: n,
    parent: source.parent,
    start: startNs,
    end: source.endNs,
    isError,
  });
  yield;
  // Subtree counts by row, for windows cut by row.
  const descendants = new Int32Array(n);
  const descendantErrors = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    if (k % CHUNK === CHUNK - 1) yield;
    const r = tree.preorder[k];
    descendants[r] = tree.preorderDescendants[k];
    descendantErrors[r] = tree.preorderDescendantErrors[k];
  }
  yield;
  const services = yield* serviceStats(source);
  const critical = yield* criticalRows(tree);
  return {
    size: n,
    parent: tree.parent,
    childStart: tree.childStart,
    children: tree.children,
    roots: tree.roots,
    descendants,
    descendantErrors,
    isError,
    errorCount: tree.errorCount,
    preorder: tree.preorder,
    services,
    startNs,
    critical,
    spanId: source.spanId,
    rowOf: source.rowOf,
  };
}

function* serviceStats(source: TreeSource): Generator<void, ServiceStats[]> {
  const { strings, resources } = source.trace;
  const { isError, resource: resourceOfRow } = source;
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
  for (let r = 0; r < source.size; r++) {
    if (r % CHUNK === CHUNK - 1) yield;
    const entry = ofResource[resourceOfRow[r]];
    entry.spanCount++;
    entry.errorCount += isError[r];
    if (!seen.has(entry)) {
      seen.add(entry);
      ordered.push(entry);
    }
  }
  return ordered;
}

/** The tree's critical-path sections (grouped by pre-order index) as rows, in start order of the walk. */
function* criticalRows(tree: SpanTree): Generator<void, TraceTree['critical']> {
  const { offsets, startMs, endMs } = tree.criticalPath;
  const rows = new Int32Array(startMs.length);
  for (let k = 0; k < tree.size; k++) {
    if (k % CHUNK === CHUNK - 1) yield;
    for (let s = offsets[k]; s < offsets[k + 1]; s++)
      rows[s] = tree.preorder[k];
  }
  // The tree is unit-agnostic: fed nanoseconds, it returns nanoseconds.
  return { rows, startNs: startMs, endNs: endMs };
}
