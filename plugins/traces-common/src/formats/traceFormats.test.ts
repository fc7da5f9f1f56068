import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeCompactTrace } from '../compact/decodeCompactTrace';
import { encodeCompactTrace } from '../compact/encodeCompactTrace';
import type { Trace } from '../types';
import { compactToOtlpJson } from './compactToOtlpJson';
import { otlpJsonToCompact } from './otlpJsonToCompact';
import { parseTraceFile, TraceFileError } from './parseTraceFile';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '__fixtures__', name), 'utf8');

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/** The OTLP request as the reference: what was sent is what every format must give back. */
const reference = () =>
  decodeCompactTrace(parseTraceFile(fixture('otlp-request-2.json')).trace);

/** A trace with times cut to microseconds, as Jaeger keeps them. */
function toMicros(trace: Trace): unknown {
  const us = (nanos: string) => String(BigInt(nanos) / 1000n);
  return {
    ...trace,
    startTimeUnixNano: us(trace.startTimeUnixNano),
    endTimeUnixNano: us(trace.endTimeUnixNano),
    durationMs: Math.floor(trace.durationMs * 1000) / 1000,
    spans: trace.spans.map(span => ({
      ...span,
      startTimeUnixNano: us(span.startTimeUnixNano),
      endTimeUnixNano: us(span.endTimeUnixNano),
      startMs: Math.floor(span.startMs * 1000) / 1000,
      durationMs: Math.floor(span.durationMs * 1000) / 1000,
      events: span.events.map(event => ({
        ...event,
        timeUnixNano: us(event.timeUnixNano),
        offsetMs: Math.floor(event.offsetMs * 1000) / 1000,
      })),
    })),
  };
}

describe('parseTraceFile', () => {
  it('reads OTLP JSON, Tempo v1 and v2 answers of one trace into the same trace', () => {
    const expected = reference();
    expect(expected.traceId).toBe(TRACE_ID);
    expect(expected.spans).toHaveLength(4);
    for (const [file, format] of [
      ['trace-v1.json', 'Tempo v1 JSON'],
      ['trace-v2.json', 'Tempo v2 JSON'],
    ]) {
      const parsed = parseTraceFile(fixture(file));
      expect(parsed.format).toBe(format);
      expect(parsed.traces).toEqual([{ traceId: TRACE_ID, spans: 4 }]);
      expect(decodeCompactTrace(parsed.trace)).toEqual(expected);
    }
  });

  it("reads Jaeger UI's download: the same trace to the microsecond, fields back from tags", () => {
    const parsed = parseTraceFile(fixture('jaeger-ui-download.json'));
    expect(parsed.format).toBe('Jaeger JSON');
    const trace = decodeCompactTrace(parsed.trace);
    expect(toMicros(trace)).toEqual(toMicros(reference()));
    expect(trace.spans[3]).toMatchObject({
      kind: 'client',
      status: { code: 'error', message: 'connection refused' },
      scope: { name: '@opentelemetry/instrumentation-pg', version: '0.43.0' },
    });
  });

  it("reads the collector's file exporter: one TracesData per line, several traces", () => {
    const request = JSON.parse(fixture('otlp-request-2.json'));
    const other = JSON.parse(
      JSON.stringify(request).replaceAll(TRACE_ID, '1'.repeat(32)),
    );
    other.resourceSpans = other.resourceSpans.slice(0, 1);
    const text = `${JSON.stringify(other)}\n\n${JSON.stringify(request)}\n`;
    const first = parseTraceFile(text);
    expect(first.format).toBe('OTLP JSON lines');
    expect(first.traces).toEqual([
      { traceId: '1'.repeat(32), spans: 2 },
      { traceId: TRACE_ID, spans: 4 },
    ]);
    expect(first.trace.traceId).toBe('1'.repeat(32));
    expect(first.trace.spans.parent).toHaveLength(2);
    const second = parseTraceFile(text, { traceId: TRACE_ID });
    expect(decodeCompactTrace(second.trace)).toEqual(reference());
  });

  it('reads 64-bit Jaeger IDs and FOLLOWS_FROM references', () => {
    const parsed = parseTraceFile(
      JSON.stringify({
        data: [
          {
            traceID: 'a3ce929d0e0e4736',
            spans: [
              {
                traceID: 'a3ce929d0e0e4736',
                spanID: 'a',
                operationName: 'root',
                startTime: 10,
                duration: 5,
              },
              {
                traceID: 'a3ce929d0e0e4736',
                spanID: 'b',
                operationName: 'job',
                startTime: 20,
                duration: 1,
                references: [
                  {
                    refType: 'FOLLOWS_FROM',
                    traceID: 'a3ce929d0e0e4736',
                    spanID: 'a',
                  },
                ],
                tags: [{ key: 'retries', type: 'int64', value: 2 }],
                processID: 'p1',
              },
            ],
            processes: { p1: { serviceName: 'worker', tags: [] } },
          },
        ],
      }),
    );
    const trace = decodeCompactTrace(parsed.trace);
    expect(trace.traceId).toBe('0000000000000000a3ce929d0e0e4736');
    expect(
      trace.spans.map(s => [s.spanId, s.parentSpanId, s.serviceName]),
    ).toEqual([
      ['000000000000000a', undefined, 'unknown_service'],
      ['000000000000000b', '000000000000000a', 'worker'],
    ]);
    expect(trace.spans[1].attributes).toEqual({ retries: 2 });
    expect(trace.spans[1].durationMs).toBe(0.001);
  });

  it.each([
    ['', 'The file is empty.'],
    ['{"resourceSpans": [', 'The file is not JSON'],
    ['{"a":1}\n{"b":', 'line 2'],
    ['[1, 2]', 'The file is JSON, but a list, not a trace.'],
    ['{"hello": "world"}', 'expected OTLP JSON ("resourceSpans")'],
    ['{"resourceSpans": {}}', 'resourceSpans is not a list'],
    [
      '{"resourceSpans": [{"scopeSpans": [{"spans": 3}]}]}',
      'resourceSpans[0].scopeSpans[0].spans is not a list',
    ],
    ['{"resourceSpans": []}', 'The file is OTLP JSON, but holds no spans.'],
    ['{"trace": {}}', 'The file is Tempo v2 JSON, but holds no spans.'],
    ['{"batches": [null]}', 'batches[0] is not an object'],
    ['{"data": {}}', 'not a list of traces'],
    ['{"data": [{"spans": [{}]}]}', 'data[0].spans[0] has no spanID'],
    ['{"data": []}', 'The file is Jaeger JSON, but holds no spans.'],
    ['{"a": 1}\n{"resourceSpans": []}', 'Line 1 has no resourceSpans.'],
    [
      '{"resourceSpans": [{"scopeSpans": [{"spans": [{"attributes": 5}]}]}]}',
      'cannot be read',
    ],
  ])('names what is wrong with %j', (text, message) => {
    expect(() => parseTraceFile(text)).toThrow(TraceFileError);
    expect(() => parseTraceFile(text)).toThrow(message);
  });
});

describe('compactToOtlpJson', () => {
  it('round-trips: compact → OTLP JSON → compact gives the same trace', () => {
    for (const file of [
      'trace-v2.json',
      'jaeger-ui-download.json',
      'otlp-request-2.json',
    ]) {
      const compact = parseTraceFile(fixture(file)).trace;
      const otlp = JSON.parse(JSON.stringify(compactToOtlpJson(compact)));
      expect(
        decodeCompactTrace(otlpJsonToCompact(otlp.resourceSpans)!),
      ).toEqual(decodeCompactTrace(compact));
    }
  });

  it('writes what OTLP/HTTP receivers take: hex IDs, nanosecond strings, numeric enums, AnyValues', () => {
    const trace = decodeCompactTrace(
      parseTraceFile(fixture('trace-v2.json')).trace,
    );
    trace.spans[0].attributes = {
      text: 'a',
      int: 7,
      big: '9007199254740993',
      double: 1.5,
      flag: false,
      none: null,
      list: [1, 'x'],
      map: { k: true },
    };
    trace.spans[0].links = [
      { traceId: 'f'.repeat(32), spanId: 'e'.repeat(16), attributes: {} },
    ];
    const otlp = compactToOtlpJson(encodeCompactTrace(trace));
    const [frontend] = otlp.resourceSpans!;
    const span = frontend.scopeSpans![0].spans![0];
    expect(frontend.scopeSpans![0].scope).toEqual({
      name: '@opentelemetry/instrumentation-http',
      version: '0.52.0',
    });
    expect(span).toMatchObject({
      traceId: TRACE_ID,
      spanId: '00f067aa0ba902b7',
      kind: 2,
      startTimeUnixNano: '1795549350524064365',
      endTimeUnixNano: '1795549350644064365',
      status: { code: 2 },
      links: [
        { traceId: 'f'.repeat(32), spanId: 'e'.repeat(16), attributes: [] },
      ],
    });
    expect(span.parentSpanId).toBeUndefined();
    expect(span.attributes).toEqual([
      { key: 'text', value: { stringValue: 'a' } },
      { key: 'int', value: { intValue: '7' } },
      { key: 'big', value: { stringValue: '9007199254740993' } },
      { key: 'double', value: { doubleValue: 1.5 } },
      { key: 'flag', value: { boolValue: false } },
      { key: 'none', value: {} },
      {
        key: 'list',
        value: {
          arrayValue: { values: [{ intValue: '1' }, { stringValue: 'x' }] },
        },
      },
      {
        key: 'map',
        value: {
          kvlistValue: { values: [{ key: 'k', value: { boolValue: true } }] },
        },
      },
    ]);
  });

  it('keeps orphans pointing at their missing parent', () => {
    const trace = reference();
    const compact = encodeCompactTrace({
      ...trace,
      spans: trace.spans.slice(1),
    });
    const otlp = compactToOtlpJson(compact);
    const spans = otlp.resourceSpans!.flatMap(r =>
      r.scopeSpans!.flatMap(s => s.spans!),
    );
    expect(spans.find(s => s.spanId === 'b7ad6b7169203331')?.parentSpanId).toBe(
      '00f067aa0ba902b7',
    );
  });
});
