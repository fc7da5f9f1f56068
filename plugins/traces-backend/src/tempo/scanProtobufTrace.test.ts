import { ConfigReader } from '@backstage/config';
import {
  MASKED_VALUE,
  decodeCompactTrace,
  type CompactTrace,
} from '@backstage-traces/plugin-traces-common';
import {
  otlpRequestsOfGeneratedTrace,
  tempoResourceSpansOf,
} from '../../bench/tempoJsonOfGeneratedTrace';
import { encodeTraceByIdResponseParts } from '../__testUtils__/tempoProto';
import { Redactor } from '../redaction/Redactor';
import { buildTraceTree, type TraceTree } from '../traces/window/TraceTree';
import {
  selectInitialWindow,
  selectSubtreeWindow,
  type WindowSelection,
} from '../traces/window/selectWindow';
import { sliceCompactTrace } from '../traces/window/sliceCompactTrace';
import { countProtobufSpans, protobufToCompact } from './protobufToCompact';
import { scanProtobufTrace } from './scanProtobufTrace';

/** The shared generator's trace as Tempo's protobuf answer, in several export batches. */
function generatedProtobuf(spans: number, seed: number): Buffer {
  const requests = otlpRequestsOfGeneratedTrace(spans, seed);
  return encodeTraceByIdResponseParts(
    requests.map(text => ({ resourceSpans: tempoResourceSpansOf(text) })),
  );
}

const redactor = Redactor.fromConfig(
  new ConfigReader({
    traces: {
      redaction: {
        // An attribute on most spans, and a service name masked by a free-text pattern.
        additionalKeys: ['network.peer.address'],
        textPatterns: ['catalog-service'],
      },
    },
  }),
);

const WINDOW = 300;

describe('scanProtobufTrace', () => {
  describe.each([
    [2500, 1],
    [4000, 2],
  ])('%i generated spans, seed %i', (spans, seed) => {
    const protobuf = generatedProtobuf(spans, seed);
    const full = protobufToCompact(protobuf, '0', redactor)!;
    const fullTree = buildTraceTree(full);
    let scanned: Awaited<ReturnType<typeof scanProtobufTrace>>;
    let scanTree: TraceTree;

    beforeAll(async () => {
      scanned = await scanProtobufTrace(protobuf, '0', redactor);
      scanTree = buildTraceTree(scanned!.scan);
    });

    /** The window cut from the full decode and from the scan, as sent (JSON). */
    async function bothWays(
      select: (tree: TraceTree) => WindowSelection,
    ): Promise<[string, string]> {
      const fromFull = select(fullTree);
      const fromScan = select(scanTree);
      expect(Array.from(fromScan.rows)).toEqual(Array.from(fromFull.rows));
      const spansOf = await scanned!.decode(fromScan.rows);
      return [
        JSON.stringify(sliceCompactTrace(full, fullTree, fromFull, WINDOW)),
        JSON.stringify(
          sliceCompactTrace(scanned!.scan, scanTree, fromScan, WINDOW, spansOf),
        ),
      ];
    }

    it('counts the spans without decoding them', () => {
      expect(countProtobufSpans(protobuf)).toBe(spans);
      expect(scanned!.scan.spans.parent.length).toBe(spans);
    });

    it('gives the first window the full decode gives', async () => {
      const [expected, actual] = await bothWays(tree =>
        selectInitialWindow(tree, WINDOW),
      );
      expect(actual).toEqual(expected);
    });

    it('gives the first window focused on a span as the full decode', async () => {
      const row = Math.floor(spans * 0.77);
      const spanId = full.spans.ids.slice(row * 16, row * 16 + 16);
      const [expected, actual] = await bothWays(tree =>
        selectInitialWindow(tree, WINDOW, tree.rowOf(spanId)),
      );
      expect(actual).toEqual(expected);
    });

    it('gives every subtree window the full decode gives', async () => {
      // Below each child of the root, and continued from inside a long children list.
      const root = fullTree.roots[0];
      const rows = [root];
      for (
        let c = fullTree.childStart[root];
        c < fullTree.childStart[root + 1];
        c++
      )
        rows.push(fullTree.children[c]);
      for (const row of rows) {
        const spanId = full.spans.ids.slice(row * 16, row * 16 + 16);
        for (const from of [0, 2]) {
          const [expected, actual] = await bothWays(tree =>
            selectSubtreeWindow(tree, tree.rowOf(spanId), from, WINDOW),
          );
          expect(actual).toEqual(expected);
        }
      }
    });

    it('decodes the whole trace as the full decode does', async () => {
      expect(await scanned!.decodeWhole()).toEqual(full);
    });

    it('redacts what a window sends', async () => {
      const window = decodeCompactTrace(
        sliceCompactTrace(
          scanned!.scan,
          scanTree,
          selectInitialWindow(scanTree, WINDOW),
          WINDOW,
          await scanned!.decode(selectInitialWindow(scanTree, WINDOW).rows),
        ) as CompactTrace,
      );
      expect(protobuf.includes('catalog-service')).toBe(true);
      const text = JSON.stringify(window);
      expect(text).not.toContain('catalog-service');
      const peers = window.spans.flatMap(span =>
        'network.peer.address' in span.attributes
          ? [span.attributes['network.peer.address']]
          : [],
      );
      expect(peers.length).toBeGreaterThan(0);
      expect(new Set(peers)).toEqual(new Set([MASKED_VALUE]));
    });
  });
});
