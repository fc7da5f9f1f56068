import fc from 'fast-check';
import type { AttributeValue, Span, Trace } from '../types';
import { setAttribute, SPAN_KINDS, STATUS_CODES } from '../types';
import { decodeCompactTrace } from './decodeCompactTrace';
import { encodeCompactTrace } from './encodeCompactTrace';

const TRACE_START = 1795549350524064365n;

const attributeValue: fc.Arbitrary<AttributeValue> = fc.letrec<{
  value: AttributeValue;
}>(tie => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string(),
    fc.integer(),
    // JSON itself has no negative zero; whatever carries the trace turns -0 into 0.
    fc
      .double({ noNaN: true, noDefaultInfinity: true })
      .map(v => (Object.is(v, -0) ? 0 : v)),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string({ minLength: 1 }), tie('value'), { maxKeys: 3 }),
  ),
})).value;

const attributes = fc.dictionary(
  fc.oneof(
    fc.constantFrom('http.route', 'db.system', 'url.full'),
    fc.string({ minLength: 1 }),
  ),
  attributeValue,
  { maxKeys: 5 },
);

const hex = (length: number) =>
  fc.stringMatching(new RegExp(`^[0-9a-f]{${length}}$`));

/** Arbitrary traces: a random forest with orphans, events, links, scopes and redactions. */
const traceArbitrary: fc.Arbitrary<Trace> = fc
  .record({
    resources: fc.array(
      fc.record({
        serviceName: fc.string(),
        namespace: fc.option(fc.string(), { nil: undefined }),
        attributes,
      }),
      { minLength: 1, maxLength: 3 },
    ),
    spans: fc.array(
      fc.record({
        parentChoice: fc.nat(),
        orphan: fc.boolean(),
        name: fc.string(),
        resource: fc.nat(),
        kind: fc.constantFrom(...SPAN_KINDS),
        status: fc.constantFrom(...STATUS_CODES),
        message: fc.option(fc.string(), { nil: undefined }),
        startGap: fc.nat({ max: 5_000_000 }),
        duration: fc.nat({ max: 3_000_000_000 }),
        attributes,
        events: fc.array(
          fc.record({
            name: fc.string(),
            at: fc.nat({ max: 1e9 }),
            attributes,
          }),
          { maxLength: 2 },
        ),
        links: fc.array(
          fc.record({ traceId: hex(32), spanId: hex(16), attributes }),
          { maxLength: 2 },
        ),
        scope: fc.option(
          fc.record({
            name: fc.string(),
            version: fc.option(fc.string(), { nil: undefined }),
          }),
          { nil: undefined },
        ),
        redacted: fc.option(
          fc.array(fc.string(), { minLength: 1, maxLength: 2 }),
          { nil: undefined },
        ),
      }),
      { minLength: 1, maxLength: 40 },
    ),
  })
  .map(({ resources, spans }) => {
    let start = TRACE_START;
    let end = TRACE_START;
    const built: Span[] = spans.map((s, row) => {
      start += BigInt(s.startGap);
      const spanEnd = start + BigInt(s.duration);
      if (spanEnd > end) end = spanEnd;
      const spanId = row.toString(16).padStart(16, '0');
      const isRoot = row === 0 || s.parentChoice % 4 === 0;
      const orphanParent = s.orphan ? 'ffffffffffffffff' : undefined;
      const parentSpanId = isRoot
        ? orphanParent
        : (s.parentChoice % row).toString(16).padStart(16, '0');
      const resourceIndex = s.resource % resources.length;
      return {
        spanId,
        ...(parentSpanId && { parentSpanId }),
        name: s.name,
        serviceName: resources[resourceIndex].serviceName,
        resourceIndex,
        kind: s.kind,
        status: {
          code: s.status,
          ...(s.message !== undefined && { message: s.message }),
        },
        startTimeUnixNano: start.toString(),
        endTimeUnixNano: spanEnd.toString(),
        startMs: Number(start - TRACE_START) / 1e6,
        durationMs: s.duration / 1e6,
        attributes: s.attributes,
        events: s.events.map(e => ({
          name: e.name,
          timeUnixNano: (TRACE_START + BigInt(e.at)).toString(),
          offsetMs: e.at / 1e6,
          attributes: e.attributes,
        })),
        links: s.links,
        ...(s.scope && {
          scope: {
            name: s.scope.name,
            ...(s.scope.version !== undefined && { version: s.scope.version }),
          },
        }),
        ...(s.redacted && { redactedKeys: s.redacted }),
      };
    });
    const services = [...new Set(built.map(s => s.serviceName))];
    return {
      traceId: 'ab'.repeat(16),
      startTimeUnixNano: TRACE_START.toString(),
      endTimeUnixNano: end.toString(),
      durationMs: Number(end - TRACE_START) / 1e6,
      spanCount: built.length,
      services,
      resources: resources.map(r => ({
        serviceName: r.serviceName,
        ...(r.namespace !== undefined && { serviceNamespace: r.namespace }),
        attributes: r.attributes,
      })),
      spans: built,
    };
  });

describe('compact trace encoding', () => {
  it('round-trips any trace exactly, through JSON', () => {
    fc.assert(
      fc.property(traceArbitrary, trace => {
        const wire = JSON.parse(JSON.stringify(encodeCompactTrace(trace)));
        expect(decodeCompactTrace(wire)).toEqual(trace);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps partial status, owners and resource redactions', () => {
    const trace: Trace = {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      startTimeUnixNano: '1000',
      endTimeUnixNano: '3000',
      durationMs: 0.002,
      spanCount: 1,
      services: ['svc'],
      resources: [
        {
          serviceName: 'svc',
          attributes: { 'service.name': 'svc', token: '[masked]' },
          redactedKeys: ['token'],
          owners: [
            { entityRef: 'component:default/svc', owner: 'group:default/team' },
          ],
        },
      ],
      spans: [
        {
          spanId: '00f067aa0ba902b7',
          name: 'GET /',
          serviceName: 'svc',
          resourceIndex: 0,
          kind: 'server',
          status: { code: 'error', message: 'boom' },
          startTimeUnixNano: '1000',
          endTimeUnixNano: '3000',
          startMs: 0,
          durationMs: 0.002,
          attributes: { 'http.response.status_code': 500 },
          events: [],
          links: [],
        },
      ],
      partial: true,
      partialMessage: 'Trace exceeds maximum size',
    };
    expect(decodeCompactTrace(encodeCompactTrace(trace))).toEqual(trace);
  });

  it('shares repeated strings through the string table', () => {
    const span = (i: number): Span => ({
      spanId: i.toString(16).padStart(16, '0'),
      ...(i > 0 && { parentSpanId: '0'.repeat(16) }),
      name: 'SELECT orders',
      serviceName: 'orders-api',
      resourceIndex: 0,
      kind: 'client',
      status: { code: 'unset' },
      startTimeUnixNano: String(1000 + i),
      endTimeUnixNano: String(2000 + i),
      startMs: i / 1e6,
      durationMs: 0.001,
      attributes: {
        'db.system': 'postgresql',
        'db.statement': 'SELECT * FROM orders',
      },
      events: [],
      links: [],
    });
    const spans = Array.from({ length: 1000 }, (_, i) => span(i));
    const compact = encodeCompactTrace({
      traceId: '1'.repeat(32),
      startTimeUnixNano: '1000',
      endTimeUnixNano: '2999',
      durationMs: 0.001999,
      spanCount: spans.length,
      services: ['orders-api'],
      resources: [{ serviceName: 'orders-api', attributes: {} }],
      spans,
    });
    expect(compact.strings).toEqual([
      'orders-api',
      'SELECT orders',
      'db.system',
      'postgresql',
      'db.statement',
      'SELECT * FROM orders',
    ]);
    expect(compact.spans.startDelta.slice(0, 3)).toEqual([0, 1, 1]);
    expect(compact.spans.parent.slice(0, 3)).toEqual([-1, 0, 0]);
  });

  it('keeps an attribute named __proto__ as data', () => {
    const hostile: Trace['resources'][number]['attributes'] = {};
    setAttribute(hostile, '__proto__', { polluted: true });
    const trace: Trace = {
      traceId: '1'.repeat(32),
      startTimeUnixNano: '1000',
      endTimeUnixNano: '1000',
      durationMs: 0,
      spanCount: 0,
      services: [],
      resources: [{ serviceName: 'svc', attributes: hostile }],
      spans: [],
    };
    const decoded = decodeCompactTrace(
      JSON.parse(JSON.stringify(encodeCompactTrace(trace))),
    );
    const back = decoded.resources[0].attributes;
    expect(Object.keys(back)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect((back as any).polluted).toBeUndefined();
  });

  it('rejects unknown formats', () => {
    expect(() => decodeCompactTrace({ format: 'compact/9' } as any)).toThrow(
      "Unsupported compact trace format 'compact/9'",
    );
  });
});
