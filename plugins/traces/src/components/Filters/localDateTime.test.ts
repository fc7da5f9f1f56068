import { fromLocalInputValue, toLocalInputValue } from './localDateTime';

describe('local datetime input values', () => {
  // backstage-cli runs tests with TZ=UTC, so local time is UTC here
  it('formats and parses wall-clock minutes', () => {
    const ms = Date.UTC(2026, 10, 20, 9, 5);
    expect(toLocalInputValue(ms)).toBe('2026-11-20T09:05');
    expect(fromLocalInputValue('2026-11-20T09:05')).toBe(ms);
    expect(fromLocalInputValue('2026-11-20T09:05:30')).toBe(ms + 30_000);
  });

  it('rejects anything else', () => {
    expect(fromLocalInputValue('')).toBeUndefined();
    expect(fromLocalInputValue('2026-11-20')).toBeUndefined();
    expect(fromLocalInputValue('yesterday')).toBeUndefined();
  });
});
