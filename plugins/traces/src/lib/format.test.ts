import {
  formatCount,
  formatDuration,
  formatPercent,
  formatRateIn,
  rateUnitFor,
  formatRelativeTime,
  formatTimestamp,
} from './format';

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [0.0042, '4.2µs'],
    [0.85, '850µs'],
    [1.234, '1.23ms'],
    [12.34, '12.3ms'],
    [250, '250ms'],
    [999.6, '1s'],
    [1500, '1.5s'],
    [12_345, '12.3s'],
    [200_000, '3m 20s'],
    [120_000, '2m'],
    [3_600_000 * 2 + 60_000 * 5, '2h 5m'],
    [NaN, '–'],
  ])('%p ms → %p', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('rateUnitFor and formatRateIn', () => {
  it.each([
    [1234.5, 's', '1.2k/s'],
    [2.5, 's', '2.5/s'],
    [0.5, 'min', '30/min'],
    [0.001, 'h', '3.6/h'],
  ] as const)('%p/s → %p, %p', (rate, unit, text) => {
    expect(rateUnitFor(rate)).toBe(unit);
    expect(formatRateIn(rate, unit)).toBe(text);
  });

  it('keeps the unit it is given, so figures of one card compare', () => {
    expect(formatRateIn(0, 'min')).toBe('0/min');
    expect(formatRateIn(0.8, 'min')).toBe('48/min');
    expect(formatRateIn(0.0134, 'h')).toBe('48.2/h');
    expect(formatRateIn(Infinity, 's')).toBe('–');
  });
});

describe('other formats', () => {
  it('formats counts and percentages', () => {
    expect(formatCount(7)).toBe('7');
    expect(formatCount(15_300)).toBe('15k');
    expect(formatCount(2_500_000)).toBe('2.5M');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.0035)).toBe('0.35%');
    expect(formatPercent(0.042)).toBe('4.2%');
    expect(formatPercent(0.372)).toBe('37%');
  });

  it('formats timestamps in local time (UTC in tests) and relative times', () => {
    expect(formatTimestamp('2026-11-20T14:03:07.123Z')).toBe(
      '2026-11-20 14:03:07',
    );
    expect(formatTimestamp('garbage')).toBe('garbage');
    const now = Date.parse('2026-11-20T14:00:00Z');
    expect(formatRelativeTime('2026-11-20T13:59:30Z', now)).toBe('just now');
    expect(formatRelativeTime('2026-11-20T13:57:00Z', now)).toBe(
      '3 minutes ago',
    );
    expect(formatRelativeTime('2026-11-20T13:00:00Z', now)).toBe('1 hour ago');
    expect(formatRelativeTime('2026-11-18T14:00:00Z', now)).toBe('2 days ago');
  });
});
