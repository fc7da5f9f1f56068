import { HttpResponse } from 'msw';

/**
 * An msw resolver for an upstream that accepts the request and never answers: only the
 * caller's timeout can end it. Unlike an answer after a delay, it cannot win a race against
 * a timeout on a loaded machine, where timers fire late. Once the caller gives up, the
 * handler settles too, so that no request is left pending in msw for later tests.
 */
export function neverAnswers({
  request,
}: {
  request: Request;
}): Promise<Response> {
  return new Promise<Response>(resolve => {
    const settle = () => resolve(HttpResponse.error());
    if (request.signal.aborted) settle();
    else request.signal.addEventListener('abort', settle, { once: true });
  });
}
