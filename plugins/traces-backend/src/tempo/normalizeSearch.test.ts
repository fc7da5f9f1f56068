import { fixtureJson } from '../__testUtils__/tempoFixtures';
import { normalizeSearchResponse } from './normalizeSearch';

describe('normalizeSearchResponse', () => {
  it('pads trace IDs that Tempo shortened and orders traces newest first', () => {
    const traces = normalizeSearchResponse(
      fixtureJson('search-by-service.json'),
    );
    expect(traces.map(t => t.traceId)).toEqual([
      '00f067aa0ba902b7d0c6e1b8e4f3a2c1',
      '4bf92f3577b34da6a3ce929d0e0e4736',
      '5b8efff798038103d269b633813fc60c',
    ]);
    const starts = traces.map(t => BigInt(t.startTimeUnixNano));
    expect([...starts].sort((a, b) => (a > b ? -1 : 1))).toEqual(starts);
  });

  it('summarises root, duration, per-service stats and matched spans', () => {
    const [cart] = normalizeSearchResponse(
      fixtureJson('search-by-service.json'),
    );
    expect(cart).toMatchObject({
      rootServiceName: 'frontend',
      rootSpanName: 'GET /api/cart',
      startTimeUnixNano: '1795549351524064365',
      startTime: '2026-11-24T19:42:31.524Z',
      durationMs: 120,
      spanCount: 4,
      errorCount: 0,
      matched: 2,
      services: [
        { name: 'frontend', spanCount: 2, errorCount: 0 },
        { name: 'orders-api', spanCount: 2, errorCount: 0 },
      ],
    });
    expect(cart.matchedSpans).toEqual([
      {
        spanId: '5fb397be34d26b51',
        startTimeUnixNano: '1795549351524064365',
        durationMs: 120,
        attributes: { 'service.name': 'frontend' },
      },
      expect.objectContaining({ spanId: '2a3b4c5d6e7f8091', durationMs: 100 }),
    ]);
  });

  it('counts errors per service', () => {
    const traces = normalizeSearchResponse(fixtureJson('search-errors.json'));
    const failed = traces.find(
      t => t.traceId === '4bf92f3577b34da6a3ce929d0e0e4736',
    )!;
    expect(failed.errorCount).toBe(4);
    expect(failed.services).toEqual([
      { name: 'frontend', spanCount: 2, errorCount: 2 },
      { name: 'orders-api', spanCount: 2, errorCount: 2 },
    ]);
  });

  it('carries select()ed attributes of matched spans', () => {
    const [trace] = normalizeSearchResponse(
      fixtureJson('search-with-select.json'),
    );
    expect(trace.matchedSpans[0].attributes).toMatchObject({
      'db.statement': 'SELECT * FROM orders WHERE id = $1',
      status: 'unset',
    });
  });

  it('treats a missing traces key as no results', () => {
    expect(
      normalizeSearchResponse(fixtureJson('search-no-results.json')),
    ).toEqual([]);
    expect(normalizeSearchResponse({})).toEqual([]);
  });

  it('drops the placeholder root service of traces whose root span has not arrived', () => {
    const [trace] = normalizeSearchResponse({
      traces: [
        {
          traceID: 'abc',
          rootServiceName: '<root span not yet received>',
          rootTraceName: '',
          startTimeUnixNano: '1700000000000000000',
        },
      ],
    });
    expect(trace.traceId).toBe('00000000000000000000000000000abc');
    expect(trace.rootServiceName).toBeUndefined();
    expect(trace.durationMs).toBe(0);
    expect(trace.spanCount).toBeUndefined();
  });
});
