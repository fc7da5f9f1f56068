/**
 * An msw resolver for an upstream that accepts the request and never answers: only the
 * caller's timeout can end it. Unlike an answer after a delay, it cannot win a race against
 * a timeout on a loaded machine, where timers fire late.
 */
export function neverAnswers(): Promise<never> {
  return new Promise<never>(() => undefined);
}
