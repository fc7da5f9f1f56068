import {
  DEFAULT_FILTERS,
  describeTimeRange,
  hasNarrowingFilters,
  isValidDuration,
  parseFilters,
  resolveTimeRange,
  TraceFilters,
  widenTimeRange,
  writeFilters,
} from './filterState';

const params = (init: string) => new URLSearchParams(init);

describe('parseFilters', () => {
  it('gives the defaults for an empty URL', () => {
    expect(parseFilters(params(''))).toEqual({
      timeRange: { kind: 'preset', preset: '1h' },
      environment: undefined,
      errorsOnly: false,
      minDuration: undefined,
      maxDuration: undefined,
      httpRoute: undefined,
      spanName: undefined,
      traceql: undefined,
      limit: 100,
    });
  });

  it('reads every filter', () => {
    expect(
      parseFilters(
        params(
          'range=6h&env=prod&errors=1&minDuration=250ms&maxDuration=2s&route=%2Fapi%2F%7Bid%7D&spanName=GET+%2Fapi&q=%7B+status+%3D+error+%7D&limit=500',
        ),
      ),
    ).toEqual({
      timeRange: { kind: 'preset', preset: '6h' },
      environment: 'prod',
      errorsOnly: true,
      minDuration: '250ms',
      maxDuration: '2s',
      httpRoute: '/api/{id}',
      spanName: 'GET /api',
      traceql: '{ status = error }',
      limit: 500,
    });
  });

  it('reads a custom range from ISO or epoch-millisecond instants', () => {
    expect(
      parseFilters(
        params('range=custom&from=2025-11-20T10:00:00.000Z&to=1763640000000'),
      ).timeRange,
    ).toEqual({
      kind: 'custom',
      fromMs: Date.parse('2025-11-20T10:00:00.000Z'),
      toMs: 1763640000000,
    });
  });

  it('falls back to defaults for invalid values', () => {
    const parsed = parseFilters(
      params(
        'range=3y&from=nope&to=2026-01-01&minDuration=fast&limit=-4&errors=yes',
      ),
    );
    expect(parsed.timeRange).toEqual(DEFAULT_FILTERS.timeRange);
    expect(parsed.minDuration).toBeUndefined();
    expect(parsed.limit).toBe(100);
    expect(parsed.errorsOnly).toBe(false);
    // from after to is not a range
    expect(
      parseFilters(params('from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z'))
        .timeRange,
    ).toEqual(DEFAULT_FILTERS.timeRange);
  });

  it('distinguishes the default environment from all environments', () => {
    expect(parseFilters(params('')).environment).toBeUndefined();
    expect(parseFilters(params('env=*')).environment).toBe('');
    expect(parseFilters(params('env=staging')).environment).toBe('staging');
  });
});

describe('writeFilters', () => {
  it('writes nothing for the defaults and keeps unrelated parameters', () => {
    const out = writeFilters(
      params('traceId=abc&tab=traces&range=6h&q=x'),
      DEFAULT_FILTERS,
    );
    expect(out.toString()).toBe('traceId=abc&tab=traces');
  });

  it('round-trips every filter', () => {
    const filters: TraceFilters = {
      timeRange: { kind: 'custom', fromMs: 1763632800000, toMs: 1763640000000 },
      environment: '',
      errorsOnly: true,
      minDuration: '100ms',
      maxDuration: '5s',
      httpRoute: '/orders/{id}',
      spanName: 'SELECT orders',
      traceql: '{ span.http.status_code >= 500 }',
      limit: 20,
    };
    const written = writeFilters(params('spanId=1'), filters);
    expect(written.get('range')).toBe('custom');
    expect(written.get('from')).toBe('2025-11-20T10:00:00.000Z');
    expect(written.get('env')).toBe('*');
    expect(written.get('spanId')).toBe('1');
    expect(parseFilters(written)).toEqual(filters);
  });

  it('writes a non-default preset and clears a previous custom window', () => {
    const written = writeFilters(params('range=custom&from=1&to=2'), {
      ...DEFAULT_FILTERS,
      timeRange: { kind: 'preset', preset: '24h' },
    });
    expect(written.toString()).toBe('range=24h');
  });
});

describe('resolveTimeRange', () => {
  it('resolves presets against now, in epoch seconds', () => {
    expect(
      resolveTimeRange({ kind: 'preset', preset: '15m' }, 1_000_000_500),
    ).toEqual({
      start: 1_000_000 - 900,
      end: 1_000_000,
    });
    expect(resolveTimeRange({ kind: 'preset', preset: '7d' }, 1e12)).toEqual({
      start: 1e9 - 7 * 86400,
      end: 1e9,
    });
  });

  it('rounds a custom window outwards to whole seconds', () => {
    expect(
      resolveTimeRange({ kind: 'custom', fromMs: 1500, toMs: 4500 }, 0),
    ).toEqual({
      start: 1,
      end: 5,
    });
  });
});

describe('widenTimeRange', () => {
  it('steps through the presets and stops at 7 days', () => {
    expect(widenTimeRange({ kind: 'preset', preset: '15m' })).toEqual({
      kind: 'preset',
      preset: '1h',
    });
    expect(widenTimeRange({ kind: 'preset', preset: '2d' })).toEqual({
      kind: 'preset',
      preset: '7d',
    });
    expect(widenTimeRange({ kind: 'preset', preset: '7d' })).toBeUndefined();
  });

  it('doubles a custom window backwards, capped at 7 days', () => {
    const hour = 3_600_000;
    expect(
      widenTimeRange({ kind: 'custom', fromMs: 10 * hour, toMs: 12 * hour }),
    ).toEqual({
      kind: 'custom',
      fromMs: 8 * hour,
      toMs: 12 * hour,
    });
    expect(
      widenTimeRange({ kind: 'custom', fromMs: 0, toMs: 100 * 24 * hour }),
    ).toBeUndefined();
    expect(
      widenTimeRange({ kind: 'custom', fromMs: 200 * hour, toMs: 300 * hour }),
    ).toEqual({
      kind: 'custom',
      fromMs: 300 * hour - 168 * hour,
      toMs: 300 * hour,
    });
  });
});

describe('helpers', () => {
  it('validates TraceQL durations', () => {
    expect(
      ['1ms', '1.5s', '2m', '1h', '300us', '10ns', ' 5s '].every(
        isValidDuration,
      ),
    ).toBe(true);
    expect(
      ['', '5', 's', '1 s', '1d', '-1s', '1.s'].some(isValidDuration),
    ).toBe(false);
  });

  it('describes time ranges', () => {
    expect(describeTimeRange({ kind: 'preset', preset: '6h' })).toBe(
      'Last 6 hours',
    );
    expect(
      describeTimeRange({
        kind: 'custom',
        fromMs: 1763632800000,
        toMs: 1763640000000,
      }),
    ).toBe('2025-11-20 10:00 – 2025-11-20 12:00 UTC');
  });

  it('knows when filters narrow the result beyond the time range', () => {
    expect(hasNarrowingFilters(DEFAULT_FILTERS)).toBe(false);
    expect(
      hasNarrowingFilters({ ...DEFAULT_FILTERS, environment: 'prod' }),
    ).toBe(false);
    expect(hasNarrowingFilters({ ...DEFAULT_FILTERS, errorsOnly: true })).toBe(
      true,
    );
    expect(hasNarrowingFilters({ ...DEFAULT_FILTERS, traceql: '{}' })).toBe(
      true,
    );
  });
});
