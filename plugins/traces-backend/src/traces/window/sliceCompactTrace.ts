import {
  createCompactColumns,
  type CompactAttributes,
  type CompactTrace,
  type CompactWindow,
} from '@backstage-traces/plugin-traces-common';
import type { WindowSelection } from './selectWindow';
import type { TraceTree } from './TraceTree';

/**
 * A window of a large trace in the compact format: the selected rows with a string table of
 * only the strings they use, parents outside the window sent as orphan parent IDs (the
 * client joins windows by span ID), and per-row counts of the whole trace's subtrees. Every
 * window carries all resources, so resource indexes mean the same in each.
 */
export function sliceCompactTrace(
  compact: CompactTrace,
  tree: TraceTree,
  selection: WindowSelection,
  windowSpans: number,
): CompactTrace {
  const { rows } = selection;
  const source = compact.spans;
  const n = rows.length;
  const strings: string[] = [];
  const remap = new Int32Array(compact.strings.length).fill(-1);
  const s = (index: number) => {
    let mapped = remap[index];
    if (mapped === -1) {
      mapped = strings.length;
      strings.push(compact.strings[index]);
      remap[index] = mapped;
    }
    return mapped;
  };
  const attributes = (list: CompactAttributes): CompactAttributes => {
    const out: CompactAttributes = new Array(list.length);
    for (let i = 0; i < list.length; i += 2) {
      const k = list[i] as number;
      if (k >= 0) {
        out[i] = s(k);
        out[i + 1] = s(list[i + 1] as number);
      } else {
        out[i] = -s(-k - 1) - 1;
        out[i + 1] = list[i + 1];
      }
    }
    return out;
  };

  const rowInWindow = new Map<number, number>();
  for (let k = 0; k < n; k++) rowInWindow.set(rows[k], k);
  const spanId = (row: number) => source.ids.slice(row * 16, row * 16 + 16);

  const spans = createCompactColumns(n);
  const ids: string[] = new Array(n);
  const subtree: CompactWindow['subtree'] = new Array(n);
  const starts = tree.startNs;
  let previous = 0;
  for (let k = 0; k < n; k++) {
    const row = rows[k];
    ids[k] = spanId(row);
    const parentRow = source.parent[row];
    if (parentRow === -1) spans.parent[k] = -1;
    else if (parentRow === -2) {
      spans.parent[k] = -2;
      spans.orphanParents[k] = source.orphanParents[row];
    } else {
      const inWindow = rowInWindow.get(parentRow);
      if (inWindow === undefined) {
        spans.parent[k] = -2;
        spans.orphanParents[k] = spanId(parentRow);
      } else spans.parent[k] = inWindow;
    }
    spans.name[k] = s(source.name[row]);
    spans.resource[k] = source.resource[row];
    spans.kind[k] = source.kind[row];
    spans.status[k] = source.status[row];
    const message = source.statusMessage[row];
    if (message !== undefined) spans.statusMessage[k] = s(message);
    spans.startDelta[k] = starts[row] - previous;
    previous = starts[row];
    spans.durationNanos[k] = source.durationNanos[row];
    spans.attributes[k] = attributes(source.attributes[row]);
    const events = source.events[row];
    if (events) {
      spans.events[k] = events.map(([name, at, list]) => [
        s(name),
        at,
        attributes(list),
      ]);
    }
    const links = source.links[row];
    if (links) {
      spans.links[k] = links.map(([traceId, linkSpanId, list]) => [
        traceId,
        linkSpanId,
        attributes(list),
      ]);
    }
    const scope = source.scope[row];
    if (scope) {
      spans.scope[k] =
        scope[1] === undefined ? [s(scope[0])] : [s(scope[0]), s(scope[1])];
    }
    const redacted = source.redactedKeys[row];
    if (redacted) spans.redactedKeys[k] = redacted.map(s);
    const children = tree.childStart[row + 1] - tree.childStart[row];
    subtree[k] = [children, tree.descendants[row], tree.descendantErrors[row]];
  }
  spans.ids = ids.join('');

  const criticalPath: CompactWindow['criticalPath'] = [];
  const { critical } = tree;
  for (let i = 0; i < critical.rows.length; i++) {
    const k = rowInWindow.get(critical.rows[i]);
    if (k !== undefined) {
      criticalPath.push([k, critical.startNs[i], critical.endNs[i]]);
    }
  }

  const continuation = selection.continuation;
  const window: CompactWindow = {
    totalSpans: tree.size,
    errorCount: tree.errorCount,
    windowSpans,
    services: tree.services.map(service => [
      s(service.nameIndex),
      service.spanCount,
      service.errorCount,
    ]),
    subtree,
    criticalPath,
    ...(continuation && {
      continuation: [spanId(continuation[0]), continuation[1]],
    }),
  };

  return {
    format: compact.format,
    traceId: compact.traceId,
    startTimeUnixNano: compact.startTimeUnixNano,
    endTimeUnixNano: compact.endTimeUnixNano,
    ...(compact.partial && { partial: true }),
    ...(compact.partialMessage !== undefined && {
      partialMessage: compact.partialMessage,
    }),
    strings,
    resources: compact.resources.map(resource => ({
      ...resource,
      serviceName: s(resource.serviceName),
      ...(resource.serviceNamespace !== undefined && {
        serviceNamespace: s(resource.serviceNamespace),
      }),
      attributes: attributes(resource.attributes),
      ...(resource.redactedKeys && {
        redactedKeys: resource.redactedKeys.map(s),
      }),
    })),
    spans,
    window,
  };
}
