import type { WaterfallModel } from './waterfallModel';

/** How far a span lies outside its parent, in ms (0 when inside); undefined without a parent. */
export interface OutsideParent {
  /** How long before its parent's start the span starts. */
  startsBeforeMs: number;
  /** How long after its parent's end the span ends. */
  endsAfterMs: number;
}

/**
 * A child span that starts before its parent or ends after it, as Jaeger UI flags: usually the
 * hosts' clocks disagree (clock skew), sometimes the parent did not wait for the work. Not for
 * a CONSUMER below a PRODUCER, which is asynchronous by design. Nanosecond rounding is ignored.
 */
export function outsideParent(
  model: WaterfallModel,
  row: number,
): OutsideParent | undefined {
  const parent = model.parent[row];
  if (parent < 0) return undefined;
  if (
    model.spans[row].kind === 'consumer' &&
    model.spans[parent].kind === 'producer'
  ) {
    return undefined;
  }
  const EPSILON_MS = 0.001;
  const startsBeforeMs = model.startMs[parent] - model.startMs[row];
  const endsAfterMs = model.endMs[row] - model.endMs[parent];
  if (startsBeforeMs <= EPSILON_MS && endsAfterMs <= EPSILON_MS)
    return undefined;
  return {
    startsBeforeMs: Math.max(0, startsBeforeMs),
    endsAfterMs: Math.max(0, endsAfterMs),
  };
}
