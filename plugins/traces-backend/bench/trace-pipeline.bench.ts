/*
 * Benchmark of the backend's trace pipeline on one large, realistic generated trace per size:
 * Tempo protobuf → (one pass: decode, normalise, redact) compact encoding → JSON text, plus
 * the bytes each form takes on the wire and the browser-side decode of the compact form. Prints a table; asserts nothing; not part of the test run.
 *
 * Run from the repository root (after `source .ci/bootstrap.sh`):
 *   yarn workspace @backstage-traces/plugin-traces-backend bench [sizes...]     (default 10000 50000 100000)
 * Each size runs in its own child process so that heap figures do not leak between sizes.
 * "peak heap" is the largest JS heap + array-buffer use seen between pipeline stages, above
 * the heap held before decoding starts (the input bytes themselves are excluded).
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { ConfigReader } from '@backstage/config';
import { decodeCompactTrace } from '@backstage-traces/plugin-traces-common';
import { encodeTraceByIdResponse } from '../src/__testUtils__/tempoProto';
import { Redactor } from '../src/redaction/Redactor';
import { protobufToCompact } from '../src/tempo/protobufToCompact';
import { markdownTable, measureSizesInChildren } from './sizesInChildren';
import { tempoJsonOfGeneratedTrace } from './tempoJsonOfGeneratedTrace';

declare const gc: () => void;

const RUNS = 3;

interface Result {
  spans: number;
  tempoJsonBytes: number;
  tempoProtobufBytes: number;
  normaliseMs: number;
  serialiseMs: number;
  totalMs: number;
  peakHeapMb: number;
  apiJsonBytes: number;
  compactBytes: number;
  compactGzipBytes: number;
  compactBrotliBytes: number;
  browserDecodeMs: number;
}

function heapMb(): number {
  const usage = process.memoryUsage();
  return (usage.heapUsed + usage.arrayBuffers) / 1024 / 1024;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(spans: number): Result {
  const tempoJson = tempoJsonOfGeneratedTrace(spans);
  const tempoJsonBytes = Buffer.byteLength(JSON.stringify(tempoJson));
  const protobuf = encodeTraceByIdResponse(tempoJson);
  const redactor = Redactor.fromConfig(new ConfigReader({}));

  const timings: Array<Record<string, number>> = [];
  let peak = 0;
  let compactJson = '';
  let apiJsonBytes = 0;
  for (let run = 0; run < RUNS; run++) {
    gc();
    const base = heapMb();
    const track = (current: number) => Math.max(current, heapMb() - base);
    const t0 = performance.now();
    const compact = protobufToCompact(protobuf, '0', redactor)!;
    peak = track(peak);
    const t1 = performance.now();
    compactJson = JSON.stringify(compact);
    peak = track(peak);
    const t2 = performance.now();
    timings.push({ normalise: t1 - t0, serialise: t2 - t1, total: t2 - t0 });
    if (run === 0)
      apiJsonBytes = Buffer.byteLength(
        JSON.stringify(decodeCompactTrace(compact)),
      );
  }

  const browserDecode: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const t0 = performance.now();
    decodeCompactTrace(JSON.parse(compactJson));
    browserDecode.push(performance.now() - t0);
  }

  const compactBuffer = Buffer.from(compactJson);
  return {
    spans,
    tempoJsonBytes,
    tempoProtobufBytes: protobuf.byteLength,
    normaliseMs: median(timings.map(t => t.normalise)),
    serialiseMs: median(timings.map(t => t.serialise)),
    totalMs: median(timings.map(t => t.total)),
    peakHeapMb: peak,
    apiJsonBytes,
    compactBytes: compactBuffer.byteLength,
    compactGzipBytes: gzipSync(compactBuffer, { level: 6 }).byteLength,
    compactBrotliBytes: brotliCompressSync(compactBuffer, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 4 },
    }).byteLength,
    browserDecodeMs: median(browserDecode),
  };
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const pct = (part: number, whole: number) =>
  `${((100 * part) / whole).toFixed(0)}%`;

function printTable(results: Result[]) {
  const header = [
    'spans',
    'Tempo JSON MB',
    'Tempo protobuf MB',
    'decode+normalise+redact ms',
    'JSON serialise ms',
    'backend total ms',
    'peak heap MB',
    'API JSON MB',
    'compact MB (vs Tempo JSON)',
    'gzip MB',
    'brotli MB',
    'browser decode ms',
  ];
  const rows = results.map(r => [
    r.spans.toLocaleString('en-US'),
    mb(r.tempoJsonBytes),
    mb(r.tempoProtobufBytes),
    r.normaliseMs.toFixed(0),
    r.serialiseMs.toFixed(0),
    r.totalMs.toFixed(0),
    r.peakHeapMb.toFixed(0),
    mb(r.apiJsonBytes),
    `${mb(r.compactBytes)} (${pct(r.compactBytes, r.tempoJsonBytes)})`,
    mb(r.compactGzipBytes),
    mb(r.compactBrotliBytes),
    r.browserDecodeMs.toFixed(0),
  ]);
  console.log(markdownTable(header, rows));
}

measureSizesInChildren(import.meta.url, [10000, 50000, 100000], measure).then(
  results => {
    if (!results) return;
    console.log(
      `Node ${process.version}, ${process.platform}/${process.arch}; median of ${RUNS} runs\n`,
    );
    printTable(results);
  },
);
