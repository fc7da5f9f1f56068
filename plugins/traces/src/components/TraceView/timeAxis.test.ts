import {
  fittingTimeTicks,
  epochMsFromNanos,
  formatOffset,
  formatTick,
  paddedRange,
  tickLabelPx,
  timeTicks,
} from './timeAxis';

describe('timeTicks', () => {
  it('picks 1-2-5 steps for about five ticks', () => {
    expect(timeTicks(100)).toEqual({
      stepMs: 20,
      ticks: [0, 20, 40, 60, 80, 100],
    });
    expect(timeTicks(12_000).stepMs).toBe(5000);
    expect(timeTicks(0.3).stepMs).toBeCloseTo(0.1);
    expect(timeTicks(7).ticks).toEqual([0, 2, 4, 6]);
  });

  it('keeps tick values exact multiples of the step', () => {
    const { stepMs, ticks } = timeTicks(0.7);
    expect(stepMs).toBeCloseTo(0.2);
    ticks.forEach((t, k) => expect(t).toBe(k * stepMs));
  });

  it('aligns ticks to the step inside a zoomed range', () => {
    expect(timeTicks(50, 5, 33)).toEqual({
      stepMs: 10,
      ticks: [40, 50, 60, 70, 80],
    });
  });

  it('returns a single tick for an empty or invalid span', () => {
    expect(timeTicks(0).ticks).toEqual([0]);
    expect(timeTicks(NaN).ticks).toEqual([0]);
  });
});

describe('fittingTimeTicks', () => {
  /** True when every label ends before the next tick starts. */
  const fits = (spanMs: number, startMs: number, widthPx: number) => {
    const { ticks, stepMs } = fittingTimeTicks(spanMs, widthPx, startMs);
    const spacing = (stepMs / spanMs) * widthPx;
    return ticks.every(t => tickLabelPx(formatTick(t, stepMs)) <= spacing);
  };

  it('keeps six ticks where short labels fit', () => {
    expect(fittingTimeTicks(100, 800).ticks).toEqual(timeTicks(100, 6).ticks);
  });

  it('spaces long labels of a zoomed ruler so that they never overlap', () => {
    // Zoomed deep into a long trace: labels like 1203.455ms.
    expect(fits(0.3, 1203.4, 300)).toBe(true);
    expect(fits(0.3, 1203.4, 300)).toBe(true);
    expect(fittingTimeTicks(0.3, 300, 1203.4).ticks.length).toBeLessThan(
      timeTicks(0.3, 6, 1203.4).ticks.length,
    );
    for (const width of [160, 240, 420, 900]) {
      expect(fits(37.5, 98_765.4, width)).toBe(true);
    }
  });

  it('falls back to the target count before the width is known', () => {
    expect(fittingTimeTicks(100, 0)).toEqual(timeTicks(100, 6));
  });
});

describe('formatTick', () => {
  it('labels in µs, ms or s depending on the step', () => {
    expect(formatTick(0.15, 0.05)).toBe('150µs');
    expect(formatTick(40, 20)).toBe('40ms');
    expect(formatTick(2.5, 0.5)).toBe('2.5ms');
    expect(formatTick(2500, 500)).toBe('2.5s');
    expect(formatTick(0.3, 0.1)).toBe('300µs');
    expect(formatTick(150, 50)).toBe('150ms');
    expect(formatTick(10_000, 5000)).toBe('10s');
    expect(formatTick(7500, 500)).toBe('7.5s');
    expect(formatTick(0.0005, 0.0002)).toBe('0.5µs');
  });
});

describe('formatOffset', () => {
  it('signs the offset', () => {
    expect(formatOffset(12, ms => `${ms}ms`)).toBe('+12ms');
    expect(formatOffset(-3, ms => `${ms}ms`)).toBe('-3ms');
  });
});

describe('epochMsFromNanos', () => {
  it('converts without losing precision and rejects junk', () => {
    expect(epochMsFromNanos('1764000000123456789')).toBe(1764000000123);
    expect(epochMsFromNanos('not a number')).toBeUndefined();
  });
});

describe('paddedRange', () => {
  it('adds a margin on both sides, never before the trace start', () => {
    expect(paddedRange(100, 200)).toEqual({ startMs: 95, endMs: 205 });
    expect(paddedRange(1, 101, 0.1)).toEqual({ startMs: 0, endMs: 111 });
  });
});
