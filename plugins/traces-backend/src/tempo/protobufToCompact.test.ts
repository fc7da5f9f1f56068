import { ConfigReader } from '@backstage/config';
import {
  decodeCompactTrace,
  otlpJsonToCompact,
  stableOrderBy,
} from '@backstage-traces/plugin-traces-common';
import { fixtureJson } from '../__testUtils__/tempoFixtures';
import { encodeTraceByIdResponse } from '../__testUtils__/tempoProto';
import { Redactor } from '../redaction/Redactor';
import { redactCompactTrace } from '../redaction/redactCompactTrace';
import { tempoJsonToCompact } from './tempoJsonToCompact';
import { protobufToCompact, protobufToCompactAsync } from './protobufToCompact';
import { tempoTraceV2 } from '../__testUtils__/tempoTraceBuilder';

const redactor = Redactor.fromConfig(new ConfigReader({}));

/** The other producer: Tempo JSON → compact → redact, decoded for comparison. */
function viaJson(id: string, json: any) {
  const compact = tempoJsonToCompact(id, JSON.parse(JSON.stringify(json)));
  return compact && decodeCompactTrace(redactCompactTrace(compact, redactor));
}

function viaProtobuf(id: string, json: any) {
  const compact = protobufToCompact(
    encodeTraceByIdResponse(json),
    id,
    redactor,
  );
  return compact && decodeCompactTrace(JSON.parse(JSON.stringify(compact)));
}

const kv = (key: string, value: object) => ({ key, value });
const str = (key: string, stringValue: string) => kv(key, { stringValue });

describe('protobufToCompact', () => {
  it.each([
    ['trace-v2.json', '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['trace-v2-leading-zeros-full-id.json', '00f067aa0ba902b7d0c6e1b8e4f3a2c1'],
  ])(
    'gives exactly what the JSON path gives for the real Tempo answer %s',
    (file, id) => {
      const json = fixtureJson(file);
      const expected = viaJson(id, json);
      expect(expected).toBeDefined();
      expect(viaProtobuf(id, json)).toEqual(expected);
    },
  );

  it('writes the very same compact trace as the JSON producer, and the trace of the OTLP request it came from: one builder', () => {
    const id = '4bf92f3577b34da6a3ce929d0e0e4736';
    const protobuf = protobufToCompact(
      encodeTraceByIdResponse(fixtureJson('trace-v2.json')),
      id,
      redactor,
    );
    const json = redactCompactTrace(
      tempoJsonToCompact(id, fixtureJson('trace-v2.json'))!,
      redactor,
    );
    const request = redactCompactTrace(
      otlpJsonToCompact(fixtureJson('otlp-request-2.json').resourceSpans)!,
      redactor,
    );
    // string table, rows, deltas, parents: the same layout, not only the same decoded trace
    expect(JSON.parse(JSON.stringify(protobuf))).toEqual(
      JSON.parse(JSON.stringify(json)),
    );
    // Tempo answers resource attributes in another order than they were sent: the same
    // trace, another string table order.
    expect(decodeCompactTrace(request)).toEqual(decodeCompactTrace(json));
  });

  it('matches the JSON path on unordered batches, orphans, redaction, events, links and partial status', () => {
    const resource = (name: string) => ({
      attributes: [
        str('service.name', name),
        str('service.namespace', 'shop'),
        str('db.password', 'pw'),
      ],
    });
    const span = (
      id: string,
      parent: string | undefined,
      start: string,
      extra: object = {},
    ) => ({
      traceId: 'S/kvNXezTaajzpKdDg5HNg==',
      spanId: Buffer.from(id, 'hex').toString('base64'),
      ...(parent && {
        parentSpanId: Buffer.from(parent, 'hex').toString('base64'),
      }),
      name: `op-${id.slice(-2)}`,
      kind: 'SPAN_KIND_CLIENT',
      startTimeUnixNano: start,
      endTimeUnixNano: String(BigInt(start) + 1_500_000n),
      status: {},
      ...extra,
    });
    const json = {
      status: 'PARTIAL',
      message:
        'Trace exceeds maximum size of 5000000 bytes, a partial trace is returned',
      trace: {
        resourceSpans: [
          {
            resource: resource('worker'),
            scopeSpans: [
              {
                scope: { name: 'io.opentelemetry.go', version: '1.2' },
                spans: [
                  span(
                    '00000000000000c3',
                    '00000000000000b2',
                    '1700000000000300000',
                    {
                      attributes: [
                        str('http.request.header.authorization', 'Bearer abc'),
                        str('url.full', 'https://x.test/a?token=t&page=2'),
                        kv('retry', { intValue: '3' }),
                        kv('ratio', { doubleValue: 0.5 }),
                        kv('ok', { boolValue: false }),
                      ],
                      events: [
                        {
                          timeUnixNano: '1700000000000400000',
                          name: 'exception',
                          attributes: [
                            str('exception.message', 'boom'),
                            str('api_key', 'k'),
                          ],
                        },
                      ],
                      links: [
                        {
                          traceId: 'AAAAAAAAAAAAAAAAAAAAAQ==',
                          spanId: 'AAAAAAAAAAE=',
                          attributes: [str('cookie', 'c')],
                        },
                      ],
                      status: { code: 'STATUS_CODE_ERROR', message: 'failed' },
                    },
                  ),
                  span(
                    '00000000000000d4',
                    'ffffffffffffffff',
                    '1700000000000200000',
                  ),
                ],
              },
            ],
          },
          {
            resource: resource('gateway'),
            scopeSpans: [
              {
                spans: [
                  span(
                    '00000000000000b2',
                    '00000000000000a1',
                    '1700000000000100000',
                    { kind: 'SPAN_KIND_SERVER' },
                  ),
                  span('00000000000000a1', undefined, '1700000000000000000', {
                    kind: 'SPAN_KIND_SERVER',
                  }),
                  span(
                    '00000000000000e5',
                    '00000000000000a1',
                    '1700000000000100000',
                  ),
                ],
              },
            ],
          },
          {
            resource: resource('worker'),
            scopeSpans: [
              {
                spans: [
                  span(
                    '00000000000000f6',
                    '00000000000000c3',
                    '1700000000000350000',
                  ),
                ],
              },
            ],
          },
        ],
      },
    };
    const expected = viaJson('4bf92f3577b34da6a3ce929d0e0e4736', json)!;
    const actual = viaProtobuf('4bf92f3577b34da6a3ce929d0e0e4736', json)!;
    expect(actual).toEqual(expected);
    // And the reference itself says what we expect, so equality is not vacuous.
    expect(actual.partial).toBe(true);
    expect(actual.resources).toHaveLength(2);
    expect(actual.spans.map(s => s.spanId)).toEqual([
      '00000000000000a1',
      '00000000000000b2',
      '00000000000000e5',
      '00000000000000d4',
      '00000000000000c3',
      '00000000000000f6',
    ]);
    const worker = actual.spans[4];
    expect(worker.redactedKeys).toEqual([
      'http.request.header.authorization',
      'url.full',
      'api_key',
      'cookie',
    ]);
    expect(worker.attributes['url.full']).toBe(
      'https://x.test/a?token=[masked]&page=2',
    );
    expect(actual.spans[3].parentSpanId).toBe('ffffffffffffffff');
    expect(actual.resources[0].attributes['db.password']).toBe('[masked]');
  });

  it('decodes every AnyValue kind, int64 beyond 2^53 exactly, and 64-bit trace IDs', () => {
    const json = {
      trace: {
        resourceSpans: [
          {
            resource: { attributes: [str('service.name', 'svc')] },
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: 'EjRWeJCrze8=',
                    spanId: 'AAAAAAAAAAE=',
                    name: 'x',
                    kind: 'SPAN_KIND_CONSUMER',
                    startTimeUnixNano: '1795549350524064365',
                    endTimeUnixNano: '1795549350524065365',
                    status: { code: 'STATUS_CODE_OK', message: 'fine' },
                    attributes: [
                      kv('big', { intValue: '9007199254740993' }),
                      kv('neg', { intValue: '-5' }),
                      kv('raw', { bytesValue: 'AQID' }),
                      kv('arr', {
                        arrayValue: {
                          values: [{ stringValue: 'a' }, { intValue: '2' }],
                        },
                      }),
                      kv('map', { kvlistValue: { values: [str('k', 'v')] } }),
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
    };
    const trace = viaProtobuf('1234567890abcdef', json)!;
    expect(trace.traceId).toBe('00000000000000001234567890abcdef');
    expect(trace.spans[0]).toMatchObject({
      kind: 'consumer',
      status: { code: 'ok', message: 'fine' },
      durationMs: 0.001,
      startTimeUnixNano: '1795549350524064365',
      attributes: {
        big: '9007199254740993',
        neg: -5,
        raw: 'AQID',
        arr: ['a', 2],
        map: { k: 'v' },
      },
    });
  });

  it('answers undefined for the empty trace of an unknown ID', () => {
    expect(
      protobufToCompact(encodeTraceByIdResponse({ trace: {} }), '1', redactor),
    ).toBeUndefined();
    expect(protobufToCompact(new Uint8Array(), '1', redactor)).toBeUndefined();
  });
});

describe('protobufToCompactAsync', () => {
  it('gives what the synchronous decoder gives, yielding to the event loop on the way', async () => {
    // Many resource batches, so the decoder has places to pause.
    const json = tempoTraceV2(
      '0af7651916cd43dd8448eb211c80319c',
      Array.from({ length: 400 }, (_, i) => ({
        id: (i + 1).toString(16),
        ...(i > 0 && { parent: '1' }),
        service: `service-${i % 40}`,
        kind: 'INTERNAL' as const,
        startMs: i,
        durationMs: 1,
      })),
    );
    const bytes = Buffer.from(encodeTraceByIdResponse(json));
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks++;
    }, 0);
    try {
      // A zero-length slice pauses after every step.
      const result = await protobufToCompactAsync(bytes, '1', redactor, 0);
      expect(result).toEqual(protobufToCompact(bytes, '1', redactor));
      expect(ticks).toBeGreaterThan(0);
    } finally {
      clearInterval(ticker);
    }
  });
});

describe('stableOrderBy', () => {
  const drain = (keys: number[]) => {
    const steps = stableOrderBy(Float64Array.from(keys));
    for (;;) {
      const step = steps.next();
      if (step.done) return Array.from(step.value);
    }
  };

  it('orders like a stable Array.sort', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (const n of [0, 1, 2, 3, 17, 1000, 70000]) {
      const keys = Array.from({ length: n }, () => Math.floor(random() * 50));
      const expected = keys.map((_, i) => i).sort((a, b) => keys[a] - keys[b]);
      expect(drain(keys)).toEqual(expected);
    }
    expect(drain([1, 2, 2, 3])).toEqual([0, 1, 2, 3]);
  });
});
