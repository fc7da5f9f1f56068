import type { Span, Trace } from '@backstage-traces/plugin-traces-common';
import { mergeTraceWindow } from './mergeTraceWindow';

function span(spanId: string, startMs: number, parentSpanId?: string): Span {
  return {
    spanId,
    ...(parentSpanId && { parentSpanId }),
    name: spanId,
    serviceName: 'svc',
    resourceIndex: 0,
    kind: 'internal',
    status: { code: 'unset' },
    startTimeUnixNano: '0',
    endTimeUnixNano: '0',
    startMs,
    durationMs: 1,
    attributes: {},
    events: [],
    links: [],
  };
}

function trace(spans: Span[], critical: string[] = []): Trace {
  return {
    traceId: 't',
    startTimeUnixNano: '0',
    endTimeUnixNano: '0',
    durationMs: 10,
    spanCount: 100,
    services: ['svc'],
    resources: [{ serviceName: 'svc', attributes: {} }],
    spans,
    window: {
      totalSpans: 100,
      errorCount: 0,
      windowSpans: 10,
      services: [{ name: 'svc', spanCount: 100, errorCount: 0 }],
      criticalPath: critical.map(spanId => ({ spanId, startMs: 0, endMs: 1 })),
    },
  };
}

describe('mergeTraceWindow', () => {
  it('adds new spans in start order and keeps the loaded ones', () => {
    const a = span('a', 0);
    const c = span('c', 5, 'a');
    const loaded = trace([a, c], ['a']);
    const merged = mergeTraceWindow(
      loaded,
      trace(
        [span('b', 2, 'a'), { ...c, name: 'changed' }, span('d', 9, 'c')],
        ['a', 'd'],
      ),
    );
    expect(merged.spans.map(s => s.spanId)).toEqual(['a', 'b', 'c', 'd']);
    expect(merged.spans[2]).toBe(c);
    expect(merged.window!.criticalPath.map(s => s.spanId)).toEqual(['a', 'd']);
    expect(merged.spanCount).toBe(100);
  });

  it('returns the loaded trace itself when nothing is new', () => {
    const loaded = trace([span('a', 0)]);
    expect(mergeTraceWindow(loaded, trace([span('a', 0)]))).toBe(loaded);
  });
});
