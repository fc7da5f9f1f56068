import {
  CompactTraceBuilder,
  type CompactSpanInput,
} from './CompactTraceBuilder';
import { decodeCompactTrace } from './decodeCompactTrace';

function span(
  b: CompactTraceBuilder,
  id: string,
  parent: string,
  start: number,
  end: number,
  extra: Partial<CompactSpanInput> = {},
): CompactSpanInput {
  return {
    spanId: id,
    parentSpanId: parent,
    name: b.string(`op ${id.slice(-1)}`),
    resource: 0,
    kind: 2,
    status: 0,
    statusMessage: -1,
    start,
    end,
    attributes: b.attributes(),
    ...extra,
  };
}

const A = '000000000000000a';
const B = '000000000000000b';
const C = '000000000000000c';

describe('CompactTraceBuilder', () => {
  it('orders rows by start (stably), resolves parents to rows and keeps orphans', () => {
    const b = new CompactTraceBuilder();
    b.setTimeOrigin('1000000000000000000');
    b.resource({ 'service.name': 'shop' });
    b.addSpan(span(b, C, 'ffffffffffffffff', 50, 60));
    b.addSpan(span(b, B, A, 10, 40));
    b.addSpan(span(b, A, '', 0, 100));
    const compact = b.build('1')!;
    expect(compact.spans.ids).toBe(A + B + C);
    expect(compact.spans.parent).toEqual([-1, 0, -2]);
    expect(compact.spans.orphanParents).toEqual({ 2: 'ffffffffffffffff' });
    expect(compact.spans.startDelta).toEqual([0, 10, 40]);
    expect(compact.spans.durationNanos).toEqual([100, 30, 10]);
    expect(compact.startTimeUnixNano).toBe('1000000000000000000');
    expect(compact.endTimeUnixNano).toBe('1000000000000000100');
    expect(compact.traceId).toBe('1'.padStart(32, '0'));
  });

  it('takes a resource and scope set after the span, and events relative to the trace start', () => {
    const b = new CompactTraceBuilder();
    const offset = b.offset('5000');
    const row = b.addSpan(span(b, A, '', offset + 100, offset + 300));
    const resource = b.resource({
      'service.name': 'cart',
      'service.namespace': 'shop',
    });
    b.setResource(row, resource);
    b.setScope(row, b.string('io.opentelemetry.http'), b.string('1.2'));
    b.addEvent(
      row,
      b.string('retry'),
      b.offset('5150'),
      b.attributes({ n: 1 }),
    );
    b.addLink(row, 'f'.repeat(32), B, b.attributes());
    const trace = decodeCompactTrace(b.build()!);
    expect(trace.startTimeUnixNano).toBe('5100');
    expect(trace.resources).toEqual([
      {
        serviceName: 'cart',
        serviceNamespace: 'shop',
        attributes: { 'service.name': 'cart', 'service.namespace': 'shop' },
      },
    ]);
    expect(trace.spans[0]).toMatchObject({
      serviceName: 'cart',
      scope: { name: 'io.opentelemetry.http', version: '1.2' },
      events: [
        {
          name: 'retry',
          timeUnixNano: '5150',
          offsetMs: 0.00005,
          attributes: { n: 1 },
        },
      ],
      links: [{ traceId: 'f'.repeat(32), spanId: B, attributes: {} }],
    });
  });

  it('dedupes resources by attributes and names one without service.name unknown_service', () => {
    const b = new CompactTraceBuilder();
    expect(b.resource({ a: 1, 'service.name': 'x' })).toBe(
      b.resource({ 'service.name': 'x', a: 1 }),
    );
    expect(b.resource({})).toBe(1);
    b.addSpan(span(b, A, '', 0, 1, { resource: 1 }));
    expect(decodeCompactTrace(b.build()!).resources[1].serviceName).toBe(
      'unknown_service',
    );
  });

  it('clamps what the wire may get wrong: end before start, unknown kinds and status codes, no span ID', () => {
    const b = new CompactTraceBuilder();
    b.resource({});
    b.addSpan(span(b, '', '', 10, 5, { kind: 42, status: -1 }));
    const trace = decodeCompactTrace(b.build()!);
    expect(trace.spans[0]).toMatchObject({
      spanId: '0'.repeat(16),
      kind: 'unspecified',
      status: { code: 'unset' },
      durationMs: 0,
    });
  });

  it('interns attribute strings once and keeps other values as JSON', () => {
    const b = new CompactTraceBuilder();
    b.resource({});
    const list = b.attributes();
    b.addAttribute(list, b.string('http.method'), 'GET');
    b.addAttribute(list, b.string('retries'), 2);
    b.addStringAttribute(list, b.string('peer'), b.string('GET'));
    b.addSpan(span(b, A, '', 0, 1, { attributes: list }));
    const compact = b.build()!;
    expect(compact.strings.filter(s => s === 'GET')).toHaveLength(1);
    expect(decodeCompactTrace(compact).spans[0].attributes).toEqual({
      'http.method': 'GET',
      retries: 2,
      peer: 'GET',
    });
  });

  it('answers undefined without spans, and the given bounds when set', () => {
    const empty = new CompactTraceBuilder();
    expect(empty.build()).toBeUndefined();
    const bounded = new CompactTraceBuilder();
    bounded.setBounds(bounded.offset('100'), bounded.offset('200'));
    bounded.setPartial('cut');
    expect(bounded.build('ab')).toMatchObject({
      traceId: 'ab'.padStart(32, '0'),
      startTimeUnixNano: '100',
      endTimeUnixNano: '200',
      partial: true,
      partialMessage: 'cut',
    });
  });

  it('keeps nanosecond precision far from the epoch without BigInt per span', () => {
    const b = new CompactTraceBuilder();
    b.resource({});
    const start = b.offset('1795549350524064365');
    b.addSpan(span(b, A, '', start, b.offset('1795549350524064366')));
    const trace = decodeCompactTrace(b.build()!);
    expect(trace.spans[0].startTimeUnixNano).toBe('1795549350524064365');
    expect(trace.spans[0].endTimeUnixNano).toBe('1795549350524064366');
  });
});
