import { encodeTraceByIdResponse } from '../__testUtils__/tempoProto';
import { fixtureJson } from '../__testUtils__/tempoFixtures';
import { decodeTraceByIdResponse } from './decodeTraceProtobuf';
import { normalizeTraceResponse } from './normalizeTrace';

const ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('decodeTraceByIdResponse', () => {
  it('normalises to exactly the same trace as Tempo’s JSON of the same trace', () => {
    const json = fixtureJson('trace-v2.json');
    const bytes = encodeTraceByIdResponse(json);
    const fromProtobuf = normalizeTraceResponse(ID, decodeTraceByIdResponse(bytes));
    const fromJson = normalizeTraceResponse(ID, json);
    expect(fromProtobuf).toEqual(fromJson);
    expect(fromProtobuf!.spans[3].events[0].name).toBe('exception');
  });

  it('keeps a leading zero byte of trace IDs and the partial status', () => {
    const json = fixtureJson('trace-v2-leading-zeros-full-id.json');
    const bytes = encodeTraceByIdResponse({
      ...json,
      status: 'PARTIAL',
      message: 'Trace exceeds maximum size of 5000000 bytes, a partial trace is returned',
    });
    const trace = normalizeTraceResponse('00f067aa0ba902b7d0c6e1b8e4f3a2c1', decodeTraceByIdResponse(bytes))!;
    expect(trace.traceId).toBe('00f067aa0ba902b7d0c6e1b8e4f3a2c1');
    expect(trace.partial).toBe(true);
    expect(trace.partialMessage).toMatch(/exceeds maximum size/);
  });

  it('decodes every AnyValue kind, int64 beyond 2^53 exactly, and links', () => {
    const bytes = encodeTraceByIdResponse({
      trace: {
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
            scopeSpans: [
              {
                scope: { name: 'lib', version: '2' },
                spans: [
                  {
                    traceId: 'AAAAAAAAAAASNFZ4kKvN7w==',
                    spanId: 'AAAAAAAAAAE=',
                    name: 'x',
                    kind: 'SPAN_KIND_CONSUMER',
                    startTimeUnixNano: '1795549350524064365',
                    endTimeUnixNano: '1795549350524065365',
                    status: { code: 'STATUS_CODE_OK', message: 'fine' },
                    links: [{ traceId: 'AAAAAAAAAAAAAAAAAAAAAQ==', spanId: 'AAAAAAAAAAI=' }],
                    attributes: [
                      { key: 'big', value: { intValue: '9007199254740993' } },
                      { key: 'neg', value: { intValue: '-5' } },
                      { key: 'd', value: { doubleValue: 0.25 } },
                      { key: 'b', value: { boolValue: true } },
                      { key: 'raw', value: { bytesValue: 'AQID' } },
                      { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '2' }] } } },
                      { key: 'map', value: { kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } } },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
    });
    const trace = normalizeTraceResponse('1', decodeTraceByIdResponse(bytes))!;
    const [span] = trace.spans;
    expect(trace.traceId).toBe('00000000000000001234567890abcdef');
    expect(span.kind).toBe('consumer');
    expect(span.status).toEqual({ code: 'ok', message: 'fine' });
    expect(span.durationMs).toBe(0.001);
    expect(span.startTimeUnixNano).toBe('1795549350524064365');
    expect(span.scope).toEqual({ name: 'lib', version: '2' });
    expect(span.links).toEqual([
      { traceId: '00000000000000000000000000000001', spanId: '0000000000000002', attributes: {} },
    ]);
    expect(span.attributes).toEqual({
      big: '9007199254740993',
      neg: -5,
      d: 0.25,
      b: true,
      raw: 'AQID',
      arr: ['a', 2],
      map: { k: 'v' },
    });
  });
});
