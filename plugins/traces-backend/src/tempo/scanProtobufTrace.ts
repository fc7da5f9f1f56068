import type { Redactor } from '../redaction/Redactor';
import type { ScannedTrace } from '../traces/LargeTraceStore';
import {
  protobufSpansAsync,
  protobufToCompactAsync,
  scanProtobufAsync,
} from './protobufToCompact';

/**
 * A large trace from Tempo's protobuf answer, scanned: one light pass reads every span's
 * ID, parent, times and status (no names, attributes or events) and notes where each span's
 * bytes are; each window then decodes just its spans from the kept answer. Redaction applies
 * to both. Undefined when the answer has no spans.
 */
export async function scanProtobufTrace(
  bytes: Uint8Array,
  traceId: string,
  redactor: Redactor,
): Promise<ScannedTrace | undefined> {
  const scan = await scanProtobufAsync(bytes, traceId, redactor);
  if (!scan) return undefined;
  const { rowOfOrdinal } = scan;
  const n = rowOfOrdinal.length;
  const ordinalOfRow = new Int32Array(n);
  for (let ordinal = 0; ordinal < n; ordinal++)
    ordinalOfRow[rowOfOrdinal[ordinal]] = ordinal;

  return {
    scan: scan.compact,
    // The answer, and the index: 16 bytes per span, the row maps 8.
    heldBytes: bytes.byteLength + n * 24,
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
        scan,
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
