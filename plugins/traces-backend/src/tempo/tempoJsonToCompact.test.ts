import {
  decodeCompactTrace,
  otlpJsonToCompact,
} from '@backstage-traces/plugin-traces-common';
import { fixtureJson } from '../__testUtils__/tempoFixtures';
import { tempoJsonToCompact } from './tempoJsonToCompact';

/** The producers' answers as the API's `Trace`, which is what these tests read. */
function normalizeTraceResponse(id: string, body: any) {
  const compact = tempoJsonToCompact(id, body);
  return compact && decodeCompactTrace(compact);
}

function normalizeResourceSpans(id: string, batches: any[]) {
  const compact = otlpJsonToCompact(batches, { traceId: id });
  return compact && decodeCompactTrace(compact);
}

const kindOf = (kind: unknown) =>
  normalizeResourceSpans('1', [
    { scopeSpans: [{ spans: [{ spanId: 'AAAAAAAAAAE=', kind }] }] },
  ])!.spans[0].kind;
const statusOf = (code: unknown) =>
  normalizeResourceSpans('1', [
    { scopeSpans: [{ spans: [{ spanId: 'AAAAAAAAAAE=', status: { code } }] }] },
  ])!.spans[0].status.code;

const ERROR_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('tempoJsonToCompact', () => {
  const trace = normalizeTraceResponse(
    ERROR_TRACE_ID,
    fixtureJson('trace-v2.json'),
  )!;

  it('decodes base64 IDs into lowercase hex of the right width', () => {
    expect(trace.traceId).toBe(ERROR_TRACE_ID);
    expect(trace.spans.map(s => s.spanId)).toEqual([
      '00f067aa0ba902b7',
      'b7ad6b7169203331',
      'c9d8e7f6a5b4c3d2',
      '53995c3f42cd8ad8',
    ]);
    expect(trace.spans.map(s => s.parentSpanId)).toEqual([
      undefined,
      '00f067aa0ba902b7',
      'b7ad6b7169203331',
      'c9d8e7f6a5b4c3d2',
    ]);
  });

  it('turns enum names into lowercase words', () => {
    expect(trace.spans.map(s => s.kind)).toEqual([
      'server',
      'client',
      'server',
      'client',
    ]);
    expect(trace.spans.every(s => s.status.code === 'error')).toBe(true);
    expect(trace.spans[3].status.message).toBe('connection refused');
    expect(trace.spans[0].status.message).toBeUndefined();
  });

  it('types attribute values: Tempo sends ints as strings', () => {
    expect(trace.spans[0].attributes).toEqual({
      'http.request.method': 'GET',
      'http.route': '/api/orders/{id}',
      'http.response.status_code': 500,
      'url.path': '/api/orders/42',
    });
    expect(trace.spans[1].attributes['server.port']).toBe(8080);
  });

  it('keeps nanosecond timestamps and derives fractional millisecond offsets', () => {
    expect(trace.startTimeUnixNano).toBe('1795549350524064365');
    expect(trace.endTimeUnixNano).toBe('1795549350644064365');
    expect(trace.durationMs).toBe(120);
    expect(trace.spans.map(s => [s.startMs, s.durationMs])).toEqual([
      [0, 120],
      [5, 100],
      [10, 90],
      [20, 60],
    ]);
  });

  it('groups resources and points spans at them', () => {
    expect(trace.services).toEqual(['frontend', 'orders-api']);
    expect(trace.resources).toHaveLength(2);
    expect(trace.resources[1]).toEqual({
      serviceName: 'orders-api',
      serviceNamespace: 'shop',
      attributes: expect.objectContaining({
        'service.version': '2.0.1',
        'deployment.environment': 'dev',
      }),
    });
    expect(trace.spans.map(s => [s.serviceName, s.resourceIndex])).toEqual([
      ['frontend', 0],
      ['frontend', 0],
      ['orders-api', 1],
      ['orders-api', 1],
    ]);
    expect(trace.spanCount).toBe(4);
  });

  it('keeps events with their offset from the trace start', () => {
    expect(trace.spans[3].events).toEqual([
      {
        name: 'exception',
        timeUnixNano: '1795549350603064365',
        offsetMs: 79,
        attributes: {
          'exception.type': 'Error',
          'exception.message': 'connect ECONNREFUSED 10.0.0.5:5432',
        },
      },
    ]);
  });

  it('answers undefined for the empty trace Tempo v2 returns for unknown IDs', () => {
    expect(
      normalizeTraceResponse(ERROR_TRACE_ID, { trace: {} }),
    ).toBeUndefined();
  });

  it('keeps the leading zero byte of a trace ID', () => {
    const padded = normalizeTraceResponse(
      '00f067aa0ba902b7d0c6e1b8e4f3a2c1',
      fixtureJson('trace-v2-leading-zeros-full-id.json'),
    )!;
    expect(padded.traceId).toBe('00f067aa0ba902b7d0c6e1b8e4f3a2c1');
  });

  it('marks partial traces with Tempo’s message', () => {
    const body = fixtureJson('trace-v2.json');
    const partial = normalizeTraceResponse(ERROR_TRACE_ID, {
      ...body,
      status: 'PARTIAL',
      message:
        'Trace exceeds maximum size of 5000000 bytes, a partial trace is returned',
    })!;
    expect(partial.partial).toBe(true);
    expect(partial.partialMessage).toMatch(/exceeds maximum size/);
    expect(trace.partial).toBeUndefined();
  });
});

describe('otlpJsonToCompact', () => {
  it('reads OTLP/JSON hex IDs, numeric enums, links and pre-2.0 instrumentationLibrarySpans', () => {
    const trace = normalizeResourceSpans('5b8efff798038103d269b633813fc60c', [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'legacy' } },
          ],
        },
        instrumentationLibrarySpans: [
          {
            instrumentationLibrary: { name: 'lib', version: '1.0' },
            spans: [
              {
                traceId: '5B8EFFF798038103D269B633813FC60C',
                spanId: 'EEE19B7EC3C1B174',
                name: 'work',
                kind: 2,
                status: { code: 2 },
                startTimeUnixNano: '1000000',
                endTimeUnixNano: '3500000',
                links: [
                  {
                    traceId: 'AAAAAAAAAAAAAAAAAAAAAQ==',
                    spanId: 'AAAAAAAAAAE=',
                  },
                ],
                attributes: [
                  { key: 'big', value: { intValue: '9007199254740993' } },
                  { key: 'nan', value: { doubleValue: 'NaN' } },
                  {
                    key: 'list',
                    value: {
                      arrayValue: {
                        values: [{ stringValue: 'a' }, { boolValue: true }],
                      },
                    },
                  },
                  {
                    key: 'map',
                    value: {
                      kvlistValue: {
                        values: [{ key: 'k', value: { doubleValue: 1.5 } }],
                      },
                    },
                  },
                ],
              },
            ],
          },
        ],
      },
    ])!;
    const [span] = trace.spans;
    expect(trace.traceId).toBe('5b8efff798038103d269b633813fc60c');
    expect(span.spanId).toBe('eee19b7ec3c1b174');
    expect(span.kind).toBe('server');
    expect(span.status.code).toBe('error');
    expect(span.durationMs).toBe(2.5);
    expect(span.scope).toEqual({ name: 'lib', version: '1.0' });
    expect(span.links).toEqual([
      {
        traceId: '00000000000000000000000000000001',
        spanId: '0000000000000001',
        attributes: {},
      },
    ]);
    // Beyond 2^53 the exact digits survive as a string rather than a rounded number.
    expect(span.attributes.big).toBe('9007199254740993');
    expect(span.attributes.nan).toBe('NaN');
    expect(span.attributes.list).toEqual(['a', true]);
    expect(span.attributes.map).toEqual({ k: 1.5 });
  });

  it('names a resource without service.name unknown_service and merges repeated resources', () => {
    const resource = {
      attributes: [{ key: 'host.name', value: { stringValue: 'h' } }],
    };
    const span = (id: string, start: string) => ({
      spanId: id,
      startTimeUnixNano: start,
      endTimeUnixNano: start,
    });
    const trace = normalizeResourceSpans('1', [
      { resource, scopeSpans: [{ spans: [span('AAAAAAAAAAE=', '2000')] }] },
      { resource, scopeSpans: [{ spans: [span('AAAAAAAAAAI=', '1000')] }] },
    ])!;
    expect(trace.resources).toHaveLength(1);
    expect(trace.services).toEqual(['unknown_service']);
    // Sorted by start time, whatever order the batches came in.
    expect(trace.spans.map(s => s.spanId)).toEqual([
      '0000000000000002',
      '0000000000000001',
    ]);
    expect(trace.traceId).toBe('00000000000000000000000000000001');
  });
});

describe('hostile attribute keys', () => {
  it('keeps an attribute named __proto__ as data, not as a prototype', () => {
    const trace = normalizeResourceSpans('1', [
      {
        resource: {
          attributes: [{ key: 'service.name', value: { stringValue: 's' } }],
        },
        scopeSpans: [
          {
            spans: [
              {
                spanId: 'AAAAAAAAAAE=',
                startTimeUnixNano: '1',
                endTimeUnixNano: '2',
                attributes: [
                  {
                    key: '__proto__',
                    value: {
                      kvlistValue: {
                        values: [
                          { key: 'polluted', value: { boolValue: true } },
                        ],
                      },
                    },
                  },
                ],
              },
            ],
          },
        ],
      },
    ])!;
    const { attributes } = trace.spans[0];
    expect(Object.keys(attributes)).toEqual(['__proto__']);
    expect((attributes as any).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
  });
});

describe('enum mapping', () => {
  it.each([
    ['SPAN_KIND_PRODUCER', 'producer'],
    [5, 'consumer'],
    [undefined, 'unspecified'],
    ['SPAN_KIND_BOGUS', 'unspecified'],
  ])('kind %p → %p', (input, expected) => {
    expect(kindOf(input)).toBe(expected);
  });

  it.each([
    ['STATUS_CODE_OK', 'ok'],
    [0, 'unset'],
    [undefined, 'unset'],
  ])('status %p → %p', (input, expected) => {
    expect(statusOf(input)).toBe(expected);
  });
});
