/**
 * Long CPU work (decoding a million spans, building their tree) is written as generators that
 * yield between slices of work. `runToEnd` runs one at once; `runSliced` gives the event loop
 * a turn whenever a slice has run for `sliceMs`, so other requests keep being answered.
 */
export function runToEnd<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * 10 ms: a slice ends after the step that crosses it, and steps run up to ~25 ms on a loaded
 * machine, so pauses stay near the 50 ms the backend aims for (with 25 ms slices a million
 * spans gave 62-144 ms, with 10 ms 47-103 ms, at load 5); the extra turns cost nothing
 * measurable.
 */
const SLICE_MS = 10;

export async function runSliced<T>(
  steps: Generator<void, T>,
  sliceMs = SLICE_MS,
): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise(resolve => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}
