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
import {
  encodeTraceByIdResponse,
  encodeTraceByIdResponseParts,
} from '../__testUtils__/tempoProto';
import { Redactor } from '../redaction/Redactor';
import { buildTraceTree, type TraceTree } from '../traces/window/TraceTree';
import {
  selectInitialWindow,
  selectSubtreeWindow,
  type WindowSelection,
} from '../traces/window/selectWindow';
import { sliceCompactTrace } from '../traces/window/sliceCompactTrace';
import { protobufToCompact } from './protobufToCompact';
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
      scanTree = buildTraceTree(scanned!.source);
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
          sliceCompactTrace(
            scanned!.header,
            scanTree,
            fromScan,
            WINDOW,
            spansOf,
          ),
        ),
      ];
    }

    it('counts the spans', () => {
      expect(scanned!.source.size).toBe(spans);
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
          scanned!.header,
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

  it('builds the tree of the full decode from unordered batches, duplicated and missing IDs, orphans and a partial answer', async () => {
    const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
    const span = (
      id: string,
      parent: string,
      start: number,
      extra: object = {},
    ) => ({
      traceId: b64('4bf92f3577b34da6a3ce929d0e0e4736'),
      ...(id && { spanId: b64(id) }),
      ...(parent && { parentSpanId: b64(parent) }),
      name: `op-${id}`,
      startTimeUnixNano: String(1700000000000000000n + BigInt(start)),
      endTimeUnixNano: String(1700000000000000000n + BigInt(start) + 500n),
      ...extra,
    });
    const batch = (service: string, spans: object[]) => ({
      resource: {
        attributes: [{ key: 'service.name', value: { stringValue: service } }],
      },
      scopeSpans: [{ scope: { name: 'lib' }, spans }],
    });
    const error = { status: { code: 2, message: 'boom' } };
    const protobuf = encodeTraceByIdResponse({
      status: 'PARTIAL',
      message: 'partial',
      trace: {
        resourceSpans: [
          batch('worker', [
            span('00000000000000c3', '00000000000000b2', 300, error),
            // The same ID again, later: children resolve to the later row.
            span('00000000000000b2', '00000000000000a1', 250),
            span('00000000000000d4', 'ffffffffffffffff', 50, error),
            span('', '00000000000000a1', 120),
            span('000000000000000e', '00000000000000c3', 300),
            span('cafebabe00000001', '00000000000000c3', 300),
          ]),
          {
            scopeSpans: [
              {
                spans: [
                  span('00000000000000a1', '', 100),
                  span('00000000000000b2', '00000000000000a1', 200),
                  span('0000000000000fff', '00000000000000b2', 400, {
                    endTimeUnixNano: '1',
                  }),
                ],
              },
            ],
          },
        ],
      },
    });
    const full = protobufToCompact(protobuf, '0', redactor)!;
    const scanned = (await scanProtobufTrace(protobuf, '0', redactor))!;
    const fromFull = buildTraceTree(full);
    const fromScan = buildTraceTree(scanned.source);
    expect(scanned.header.partial).toBe(true);
    // The header: the full decode without spans (its own string table).
    const withoutSpans = ({
      spans: _spans,
      strings,
      resources,
      ...rest
    }: CompactTrace) => ({
      ...rest,
      services: resources.map(r => strings[r.serviceName]),
    });
    expect(withoutSpans(scanned.header)).toEqual(withoutSpans(full));
    expect(Array.from(scanned.source.parent)).toEqual(full.spans.parent);
    for (const key of [
      'parent',
      'children',
      'roots',
      'descendants',
      'descendantErrors',
      'isError',
      'startNs',
      'preorder',
    ] as const)
      expect(fromScan[key]).toEqual(fromFull[key]);
    expect(fromScan.critical).toEqual(fromFull.critical);
    expect(fromScan.errorCount).toBe(2);
    expect(
      fromScan.services.map(s => [
        scanned.header.strings[s.nameIndex],
        s.spanCount,
        s.errorCount,
      ]),
    ).toEqual(
      fromFull.services.map(s => [
        full.strings[s.nameIndex],
        s.spanCount,
        s.errorCount,
      ]),
    );
    for (let row = 0; row < full.spans.parent.length; row++) {
      const id = full.spans.ids.slice(row * 16, row * 16 + 16);
      expect(fromScan.spanId(row)).toBe(id);
      expect(fromScan.rowOf(id)).toBe(fromFull.rowOf(id));
    }
    expect(fromScan.rowOf('00000000000000B2')).toBe(-1);
    const selection = selectInitialWindow(fromScan, 4);
    expect(
      JSON.stringify(
        sliceCompactTrace(
          scanned.header,
          fromScan,
          selection,
          4,
          await scanned.decode(selection.rows),
        ),
      ),
    ).toEqual(JSON.stringify(sliceCompactTrace(full, fromFull, selection, 4)));
  });

  it('refuses a truncated answer', async () => {
    const protobuf = generatedProtobuf(50, 1);
    await expect(
      scanProtobufTrace(protobuf.subarray(0, 3000), '0', redactor),
    ).rejects.toThrow(RangeError);
  });
});
