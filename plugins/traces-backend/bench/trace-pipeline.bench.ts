/*
 * Benchmark of the backend's trace pipeline on one large, realistic generated trace per size:
 * Tempo protobuf → decode → normalise → redact → compact encoding, plus the bytes each form
 * takes on the wire. Prints a table; asserts nothing; not part of the test run.
 *
 * Run from the repository root (after `source .ci/bootstrap.sh`):
 *   yarn workspace @internal/plugin-traces-backend bench [sizes...]     (default 10000 50000 100000)
 * Each size runs in its own child process so that heap figures do not leak between sizes.
 * "peak heap" is the largest JS heap + array-buffer use seen between pipeline stages, above
 * the heap held before decoding starts (the input bytes themselves are excluded).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { ConfigReader } from '@backstage/config';
import {
  decodeCompactTrace,
  encodeCompactTrace,
} from '@internal/plugin-traces-common';
import { encodeTraceByIdResponse } from '../src/__testUtils__/tempoProto';
import { Redactor } from '../src/redaction/Redactor';
import { redactTrace } from '../src/redaction/redactTrace';
import { decodeTraceByIdResponse } from '../src/tempo/decodeTraceProtobuf';
import { normalizeTraceResponse } from '../src/tempo/normalizeTrace';
import { tempoJsonOfGeneratedTrace } from './tempoJsonOfGeneratedTrace';

declare const gc: () => void;

const RUNS = 3;

interface Result {
  spans: number;
  tempoJsonBytes: number;
  tempoProtobufBytes: number;
  decodeMs: number;
  normaliseMs: number;
  redactMs: number;
  encodeMs: number;
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
    const track = () => {
      peak = Math.max(peak, heapMb() - base);
    };
    const t0 = performance.now();
    const wire = decodeTraceByIdResponse(protobuf);
    track();
    const t1 = performance.now();
    const trace = normalizeTraceResponse('0', wire)!;
    track();
    const t2 = performance.now();
    redactTrace(trace, redactor);
    const t3 = performance.now();
    const compact = encodeCompactTrace(trace);
    compactJson = JSON.stringify(compact);
    track();
    const t4 = performance.now();
    timings.push({ decode: t1 - t0, normalise: t2 - t1, redact: t3 - t2, encode: t4 - t3, total: t4 - t0 });
    if (run === 0) apiJsonBytes = Buffer.byteLength(JSON.stringify(trace));
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
    decodeMs: median(timings.map(t => t.decode)),
    normaliseMs: median(timings.map(t => t.normalise)),
    redactMs: median(timings.map(t => t.redact)),
    encodeMs: median(timings.map(t => t.encode)),
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
const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(0)}%`;

function printTable(results: Result[]) {
  const rows = [
    ['spans', 'Tempo JSON MB', 'Tempo protobuf MB', 'decode ms', 'normalise ms', 'redact ms', 'encode ms', 'backend total ms', 'peak heap MB', 'API JSON MB', 'compact MB (vs Tempo JSON)', 'gzip MB', 'brotli MB', 'browser decode ms'],
    ...results.map(r => [
      r.spans.toLocaleString('en-US'),
      mb(r.tempoJsonBytes),
      mb(r.tempoProtobufBytes),
      r.decodeMs.toFixed(0),
      r.normaliseMs.toFixed(0),
      r.redactMs.toFixed(0),
      r.encodeMs.toFixed(0),
      r.totalMs.toFixed(0),
      r.peakHeapMb.toFixed(0),
      mb(r.apiJsonBytes),
      `${mb(r.compactBytes)} (${pct(r.compactBytes, r.tempoJsonBytes)})`,
      mb(r.compactGzipBytes),
      mb(r.compactBrotliBytes),
      r.browserDecodeMs.toFixed(0),
    ]),
  ];
  console.log(rows.map(row => `| ${row.join(' | ')} |`).join('\n').replace(/\n/, `\n|${rows[0].map(() => '---').join('|')}|\n`));
}

const [mode, ...args] = process.argv.slice(2);
if (mode === '--child') {
  process.stdout.write(JSON.stringify(measure(Number(args[0]))));
} else {
  const sizes = (mode ? [mode, ...args] : ['10000', '50000', '100000']).map(Number);
  const results = sizes.map(size =>
    JSON.parse(
      execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', String(size)], {
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
      }),
    ) as Result,
  );
  console.log(`Node ${process.version}, ${process.platform}/${process.arch}; median of ${RUNS} runs\n`);
  printTable(results);
}
