/**
 * Runs work written as steps (a generator that yields between slices, so that the backend can
 * give its event loop a turn) at once, for callers with nothing else to do meanwhile.
 */
export function runSteps<T>(steps: Generator<unknown, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
