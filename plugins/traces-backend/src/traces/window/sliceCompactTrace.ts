import {
  CompactTraceBuilder,
  type CompactTrace,
  type CompactWindow,
} from '@backstage-traces/plugin-traces-common';
import type { WindowSelection } from './selectWindow';
import type { TraceTree } from './TraceTree';
import { runSliced, runToEnd } from '../../lib/slicedWork';

/**
 * A window of a large trace in the compact format: the selected rows copied through the
 * compact builder, so the window has a string table of only the strings it uses and parents
 * outside the window become orphan parent IDs (the client joins windows by span ID); with
 * per-row counts of the whole trace's subtrees. Every window carries all resources, so
 * resource indexes mean the same in each.
 *
 * `compact` is the trace the tree was built from, or, for a scanned trace (see
 * `ScannedTrace`), its header without spans; `spans` then holds the selected rows decoded in
 * full: `spans.rows[k]` is the row of `selection.rows[k]` there.
 */
export function sliceCompactTrace(
  ...args: Parameters<typeof sliceSteps>
): CompactTrace {
  return runToEnd(sliceSteps(...args));
}

/** As `sliceCompactTrace`, giving the event loop a turn every `sliceMs`. */
export function sliceCompactTraceAsync(
  ...args: Parameters<typeof sliceSteps>
): Promise<CompactTrace> {
  return runSliced(sliceSteps(...args));
}

function* sliceSteps(
  compact: CompactTrace,
  tree: TraceTree,
  selection: WindowSelection,
  windowSpans: number,
  spans?: { compact: CompactTrace; rows: Int32Array },
): Generator<void, CompactTrace> {
  const { rows } = selection;
  const n = rows.length;
  const builder = new CompactTraceBuilder();
  builder.setTraceId(compact.traceId);
  // Times from the trace's start, the window has the whole trace's bounds.
  builder.setTimeOrigin(compact.startTimeUnixNano);
  builder.setBounds(
    0,
    Number(BigInt(compact.endTimeUnixNano) - BigInt(compact.startTimeUnixNano)),
  );
  if (compact.partial) builder.setPartial(compact.partialMessage);
  const starts = tree.startNs;
  const source = spans?.compact ?? compact;
  for (let k = 0; k < n; k++) {
    if ((k & 1023) === 1023) yield;
    builder.copySpan(source, spans ? spans.rows[k] : rows[k], starts[rows[k]]);
  }
  // After the spans: their strings, the most used, get the shortest indexes.
  builder.copyResources(source);
  const string = builder.stringsOf(compact);
  const services: CompactWindow['services'] = tree.services.map(service => [
    string(service.nameIndex),
    service.spanCount,
    service.errorCount,
  ]);
  const sliced = (yield* builder.buildSteps(compact.traceId))!;

  // The builder orders rows by start as the source did; map through it all the same.
  const rowInWindow = new Map<number, number>();
  const subtree: CompactWindow['subtree'] = new Array(n);
  for (let k = 0; k < n; k++) {
    const row = rows[k];
    const out = builder.rowOf(k);
    rowInWindow.set(row, out);
    const children = tree.childStart[row + 1] - tree.childStart[row];
    subtree[out] = [
      children,
      tree.descendants[row],
      tree.descendantErrors[row],
    ];
  }

  const criticalPath: CompactWindow['criticalPath'] = [];
  const { critical } = tree;
  for (let i = 0; i < critical.rows.length; i++) {
    const k = rowInWindow.get(critical.rows[i]);
    if (k !== undefined) {
      criticalPath.push([k, critical.startNs[i], critical.endNs[i]]);
    }
  }

  const continuation = selection.continuation;
  return {
    ...sliced,
    window: {
      totalSpans: tree.size,
      errorCount: tree.errorCount,
      windowSpans,
      services,
      subtree,
      criticalPath,
      ...(continuation && {
        continuation: [tree.spanId(continuation[0]), continuation[1]],
      }),
    },
  };
}
