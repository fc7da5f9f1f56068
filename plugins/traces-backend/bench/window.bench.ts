/*
 * Benchmark of server-side windowing on one generated trace per size (default 100,000 and
 * 1,000,000 spans), the way the backend opens it: scan Tempo's protobuf (IDs, parents,
 * times, status into typed columns; the longest the event loop was blocked meanwhile), the
 * span tree, the first window (its spans decoded in full from the protobuf, then cut) and a
 * subtree window; then, for comparison, the full decode every span went through before the
 * scan. Prints a table with the load average at each size; asserts nothing; not part of the
 * test run.
 *
 * Run from the repository root (after `source .ci/bootstrap.sh`):
 *   yarn workspace @backstage-traces/plugin-traces-backend bench:window [sizes...]
 * Each size runs in its own child process; a million spans need ~6 GB while generating.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { ConfigReader } from '@backstage/config';
import { encodeTraceByIdResponseParts } from '../src/__testUtils__/tempoProto';
import { Redactor } from '../src/redaction/Redactor';
import { loadavg } from 'node:os';
import { protobufToCompactAsync } from '../src/tempo/protobufToCompact';
import { scanProtobufTrace } from '../src/tempo/scanProtobufTrace';
import { buildTraceTreeAsync } from '../src/traces/window/TraceTree';
import {
  selectInitialWindow,
  selectSubtreeWindow,
} from '../src/traces/window/selectWindow';
import { sliceCompactTraceAsync } from '../src/traces/window/sliceCompactTrace';
import { markdownTable, measureSizesInChildren } from './sizesInChildren';
import {
  otlpRequestsOfGeneratedTrace,
  tempoResourceSpansOf,
} from './tempoJsonOfGeneratedTrace';

declare const gc: () => void;

const WINDOW_SPANS = 10_000;

interface Result {
  spans: number;
  protobufMb: number;
  scanMs: number;
  maxBlockMs: number;
  keptHeapMb: number;
  treeMs: number;
  firstWindowMs: number;
  windowMaxBlockMs: number;
  firstWindowKb: number;
  firstWindowGzipKb: number;
  subtreeMs: number;
  subtreeSpans: number;
  fullDecodeMs: number;
  fullMaxBlockMs: number;
  load: number;
}

/** The JavaScript heap and the typed arrays outside it (the scan's columns live there). */
const heapMb = () => {
  const usage = process.memoryUsage();
  return (usage.heapUsed + usage.arrayBuffers) / 1024 / 1024;
};

async function measure(spans: number): Promise<Result> {
  const requests = otlpRequestsOfGeneratedTrace(spans);
  const protobuf = encodeTraceByIdResponseParts(
    (function* parts() {
      for (let i = 0; i < requests.length; i++) {
        yield { resourceSpans: tempoResourceSpansOf(requests[i]) };
        requests[i] = '';
      }
    })(),
  );
  requests.length = 0;
  const redactor = Redactor.fromConfig(new ConfigReader({}));
  const load = loadavg()[0];
  gc();
  const base = heapMb();

  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const t0 = performance.now();
  const scanned = (await scanProtobufTrace(protobuf, '0', redactor))!;
  const scanMs = performance.now() - t0;

  const t1 = performance.now();
  const tree = await buildTraceTreeAsync(scanned.source);
  const treeMs = performance.now() - t1;
  delay.disable();
  gc();
  // The protobuf is held either way (it is the store's answer): the scan and tree on top.
  const keptHeapMb = heapMb() - base;

  const windowDelay = monitorEventLoopDelay({ resolution: 10 });
  windowDelay.enable();
  const t2 = performance.now();
  const initial = selectInitialWindow(tree, WINDOW_SPANS);
  const first = JSON.stringify(
    await sliceCompactTraceAsync(
      scanned.header,
      tree,
      initial,
      WINDOW_SPANS,
      await scanned.decode(initial.rows),
    ),
  );
  const firstWindowMs = performance.now() - t2;
  windowDelay.disable();

  // Below the root's child with the largest subtree.
  const root = tree.roots[0];
  let biggest = tree.children[tree.childStart[root]];
  for (let c = tree.childStart[root]; c < tree.childStart[root + 1]; c++) {
    if (tree.descendants[tree.children[c]] > tree.descendants[biggest])
      biggest = tree.children[c];
  }
  const t3 = performance.now();
  const selection = selectSubtreeWindow(tree, biggest, 0, WINDOW_SPANS);
  JSON.stringify(
    await sliceCompactTraceAsync(
      scanned.header,
      tree,
      selection,
      WINDOW_SPANS,
      await scanned.decode(selection.rows),
    ),
  );
  const subtreeMs = performance.now() - t3;

  // Before the scan: every span decoded in full before the first window was cut.
  const fullDelay = monitorEventLoopDelay({ resolution: 10 });
  fullDelay.enable();
  const t4 = performance.now();
  await protobufToCompactAsync(protobuf, '0', redactor);
  const fullDecodeMs = performance.now() - t4;
  fullDelay.disable();

  return {
    spans,
    protobufMb: protobuf.byteLength / 1024 / 1024,
    scanMs,
    maxBlockMs: delay.max / 1e6,
    keptHeapMb,
    treeMs,
    firstWindowMs,
    windowMaxBlockMs: windowDelay.max / 1e6,
    firstWindowKb: Buffer.byteLength(first) / 1024,
    firstWindowGzipKb: gzipSync(first).byteLength / 1024,
    subtreeMs,
    subtreeSpans: selection.rows.length,
    fullDecodeMs,
    fullMaxBlockMs: fullDelay.max / 1e6,
    load,
  };
}

measureSizesInChildren(import.meta.url, [100000, 1000000], measure).then(
  results => {
    if (!results) return;
    console.log(
      `Node ${process.version}; windows of ${WINDOW_SPANS.toLocaleString(
        'en-US',
      )} spans\n`,
    );
    const header = [
      'spans',
      'Tempo protobuf MB',
      'scan ms',
      'longest event-loop block ms (scan + tree)',
      'kept MB (scan + tree; heap and typed arrays)',
      'span tree ms',
      'first window ms (decode + cut)',
      'its longest block ms (with JSON)',
      'first window KB (gzip)',
      'subtree window ms',
      'full decode ms (before)',
      'its longest block ms',
      'load average',
    ];
    const rows = results.map(r => [
      r.spans.toLocaleString('en-US'),
      r.protobufMb.toFixed(0),
      r.scanMs.toFixed(0),
      r.maxBlockMs.toFixed(0),
      r.keptHeapMb.toFixed(0),
      r.treeMs.toFixed(0),
      r.firstWindowMs.toFixed(0),
      r.windowMaxBlockMs.toFixed(0),
      `${r.firstWindowKb.toFixed(0)} (${r.firstWindowGzipKb.toFixed(0)})`,
      `${r.subtreeMs.toFixed(0)} (${r.subtreeSpans.toLocaleString(
        'en-US',
      )} spans)`,
      r.fullDecodeMs.toFixed(0),
      r.fullMaxBlockMs.toFixed(0),
      r.load.toFixed(1),
    ]);
    console.log(markdownTable(header, rows));
  },
);
