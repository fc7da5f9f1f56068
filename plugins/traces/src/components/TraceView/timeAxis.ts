/*
 * Time ruler: "nice" tick steps (1, 2, 5 × 10^k ms) and labels whose unit follows the step, so a
 * 300 µs trace reads 0µs, 100µs, 200µs… and a 12 s trace reads 0s, 5s, 10s.
 */

/** A window of the time axis, in ms from the trace start. */
export interface TimeRange {
  startMs: number;
  endMs: number;
}

/** The window that shows [startMs, endMs] with a margin of `pad` of its length on each side. */
export function paddedRange(
  startMs: number,
  endMs: number,
  pad = 0.05,
): TimeRange {
  const margin = Math.max(endMs - startMs, 1e-3) * pad;
  return { startMs: Math.max(0, startMs - margin), endMs: endMs + margin };
}

export interface TimeTicks {
  stepMs: number;
  /** Tick times in ms from the trace start (the range's end included when it lands on a tick). */
  ticks: number[];
}

const NICE = [1, 2, 5, 10];

/** About `target` ticks over [startMs, startMs + spanMs], at multiples of the step. */
export function timeTicks(spanMs: number, target = 5, startMs = 0): TimeTicks {
  if (!(spanMs > 0) || !Number.isFinite(spanMs))
    return { stepMs: 1, ticks: [startMs] };
  const raw = spanMs / Math.max(1, target);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const stepMs = magnitude * NICE.find(f => f * magnitude >= raw)!;
  const ticks: number[] = [];
  // Integer multiples avoid drift from repeated float addition.
  const first = Math.ceil(startMs / stepMs - 1e-9) || 0; // || 0: never -0
  const end = (startMs + spanMs) * (1 + 1e-9);
  for (let k = first; k * stepMs <= end; k++) ticks.push(k * stepMs);
  return { stepMs, ticks };
}

/** Estimated width in px of a tick label: caption-size tabular digits, plus its padding. */
export function tickLabelPx(label: string): number {
  return label.length * 7 + 10;
}

/**
 * The most ticks (up to `target`) whose labels fit between one tick and the next across
 * `widthPx`, so labels never overlap however far the ruler is zoomed (long labels such as
 * `1203.45ms` need fewer ticks than `0ms`, `20ms`…). Without a width, `target` ticks.
 */
export function fittingTimeTicks(
  spanMs: number,
  widthPx: number,
  startMs = 0,
  target = 6,
): TimeTicks {
  if (!(widthPx > 0)) return timeTicks(spanMs, target, startMs);
  for (let count = target; count > 1; count--) {
    const ticks = timeTicks(spanMs, count, startMs);
    const spacingPx = (ticks.stepMs / spanMs) * widthPx;
    const widest = Math.max(
      ...ticks.ticks.map(t => tickLabelPx(formatTick(t, ticks.stepMs))),
    );
    if (spacingPx >= widest) return ticks;
  }
  return timeTicks(spanMs, 1, startMs);
}

/**
 * A tick label in the unit that suits the step: µs for steps up to 100 µs, ms up to 100 ms,
 * then s — so labels stay short (`1.5ms`, not `1500µs`; `2.5s`, not `2500ms`).
 */
export function formatTick(ms: number, stepMs: number): string {
  if (stepMs < 0.2) return `${round(ms * 1000, stepMs * 1000)}µs`;
  if (stepMs < 200) return `${round(ms, stepMs)}ms`;
  return `${round(ms / 1000, stepMs / 1000)}s`;
}

/** Enough decimals to tell ticks `step` apart (0.5 → 1 decimal, 0.05 → 2). */
function round(value: number, step: number): string {
  const decimals =
    step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step) - 1e-9));
  return String(Number(value.toFixed(decimals)));
}

/** An offset from the trace start, e.g. `+12.5ms`. */
export function formatOffset(
  ms: number,
  format: (ms: number) => string,
): string {
  return `${ms < 0 ? '-' : '+'}${format(Math.abs(ms))}`;
}

/** Epoch ms of a nanosecond timestamp string (BigInt, so no float loss); undefined if invalid. */
export function epochMsFromNanos(nanos: string): number | undefined {
  try {
    return Number(BigInt(nanos) / 1_000_000n);
  } catch {
    return undefined;
  }
}
