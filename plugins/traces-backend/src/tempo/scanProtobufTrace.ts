import {
  ORPHAN_PARENT,
  STATUS_CODES,
  stableOrderBy,
} from '@backstage-traces/plugin-traces-common';
import type { Redactor } from '../redaction/Redactor';
import { runSliced } from '../lib/slicedWork';
import type { ScannedTrace } from '../traces/LargeTraceStore';
import {
  parseSpanId,
  spanIdText,
  SpanIdTable,
} from '../traces/window/SpanIdTable';
import type { TreeSource } from '../traces/window/TraceTree';
import {
  protobufSpansAsync,
  protobufToCompactAsync,
  scanDecoderFor,
} from './protobufToCompact';
import { ProtobufSpanScanner } from './scanProtobufSpans';

const ERROR_STATUS = STATUS_CODES.indexOf('error');
/** Rows between turns of the event loop in the passes over all spans. */
const CHUNK = 32768;

/**
 * A large trace from Tempo's protobuf answer, scanned: one light pass reads every span's
 * ID, parent, times and status into typed columns (no names, attributes or events; see
 * `ProtobufSpanScanner`) and notes where each span's bytes are; the rows are put in start
 * order and parents resolved by numeric ID, giving the span tree's source directly; each
 * window then decodes just its spans from the kept answer. Redaction applies to both.
 * Undefined when the answer has no spans.
 */
export async function scanProtobufTrace(
  bytes: Uint8Array,
  traceId: string,
  redactor: Redactor,
): Promise<ScannedTrace | undefined> {
  return runSliced(scanSteps(bytes, traceId, redactor));
}

function* scanSteps(
  bytes: Uint8Array,
  traceId: string,
  redactor: Redactor,
): Generator<void, ScannedTrace | undefined> {
  const decoder = scanDecoderFor(bytes, redactor);
  const scan = yield* new ProtobufSpanScanner(bytes, decoder).run();
  const n = scan.count;
  if (n === 0) return undefined;

  // Rows in start order, stable (as the compact builder orders them); often no sort at all.
  const ordinalOfRow = yield* stableOrderBy(scan.start);
  yield;
  let first = Infinity;
  let last = -Infinity;
  for (let o = 0; o < n; o++) {
    if (scan.start[o] < first) first = scan.start[o];
    if (scan.end[o] > last) last = scan.end[o];
  }
  yield;

  // Span IDs by row; a duplicated ID is a parent at its last row, as in the builder.
  const idHi = new Uint32Array(n);
  const idLo = new Uint32Array(n);
  const ids = new SpanIdTable(n);
  let duplicates = false;
  for (let row = 0; row < n; row++) {
    if ((row & (CHUNK - 1)) === CHUNK - 1) yield;
    const o = ordinalOfRow[row];
    idHi[row] = scan.idHi[o];
    idLo[row] = scan.idLo[o];
    if (ids.set(idHi[row], idLo[row], row)) duplicates = true;
  }

  const parent = new Int32Array(n);
  const startNs = new Float64Array(n);
  const endNs = new Float64Array(n);
  const isError = new Uint8Array(n);
  const resource = new Int32Array(n);
  const { index } = scan;
  const { resourceOfBatch } = index;
  for (let row = 0; row < n; row++) {
    if ((row & (CHUNK - 1)) === CHUNK - 1) yield;
    const o = ordinalOfRow[row];
    const hi = scan.parentHi[o];
    const lo = scan.parentLo[o];
    if (hi === 0 && lo === 0) parent[row] = -1;
    else {
      const p = ids.get(hi, lo);
      parent[row] = p < 0 ? ORPHAN_PARENT : p;
    }
    startNs[row] = scan.start[o] - first;
    endNs[row] = scan.end[o] - first;
    if (scan.status[o] === ERROR_STATUS) isError[row] = 1;
    resource[row] = resourceOfBatch[index.spanBatch[o]];
  }

  const header = yield* decoder.header(traceId, {
    traceId: scan.traceId,
    origin: scan.origin,
    first,
    last,
    partialMessage: scan.partialMessage,
  });

  // By ID the first row answers; only duplicated IDs need a table of their own.
  let firstRows: SpanIdTable | undefined;
  const rowOf = (spanId: string) => {
    const id = parseSpanId(spanId);
    if (!id) return -1;
    if (!duplicates) return ids.get(id[0], id[1]);
    if (!firstRows) {
      firstRows = new SpanIdTable(n);
      for (let row = n - 1; row >= 0; row--)
        firstRows.set(idHi[row], idLo[row], row);
    }
    return firstRows.get(id[0], id[1]);
  };
  const source: TreeSource = {
    size: n,
    parent,
    startNs,
    endNs,
    isError,
    resource,
    trace: header,
    spanId: row => spanIdText(idHi[row], idLo[row]),
    rowOf,
  };

  return {
    header,
    source,
    // The answer; per span the columns and the ID table, ~100 bytes.
    heldBytes: bytes.byteLength + n * 100,
    async decode(rows) {
      // Decoded in protobuf order; `rank` of a row: its place in that order.
      const ordinals = Int32Array.from(rows, row => ordinalOfRow[row]);
      const order = Int32Array.from(ordinals.keys()).sort(
        (a, b) => ordinals[a] - ordinals[b],
      );
      const sorted = Int32Array.from(order, k => ordinals[k]);
      const part = await protobufSpansAsync(
        bytes,
        traceId,
        redactor,
        { bounds: header, index },
        sorted,
      );
      const out = new Int32Array(rows.length);
      order.forEach((k, j) => {
        out[k] = part.rows[j];
      });
      return { compact: part.compact, rows: out };
    },
    async decodeWhole() {
      return (await protobufToCompactAsync(bytes, traceId, redactor))!;
    },
  };
}
