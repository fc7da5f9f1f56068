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

export async function runSliced<T>(
  steps: Generator<void, T>,
  sliceMs = 25,
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
