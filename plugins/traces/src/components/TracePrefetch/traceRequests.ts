import type {
  GetTraceRequest,
  Trace,
  TracesApi,
} from '@backstage-traces/plugin-traces-common';

/** How long a started request waits for the view that asked for it. */
const KEEP_MS = 60_000;

const started = new Map<string, Promise<Trace>>();

/** One key per answer: entity refs and trace IDs are case-insensitive. */
function keyOf(request: GetTraceRequest): string {
  return JSON.stringify([
    request.traceId.toLocaleLowerCase('en-US'),
    request.entityRef?.toLocaleLowerCase('en-US') ?? '',
    request.start ?? '',
    request.end ?? '',
    request.focusSpanId?.toLocaleLowerCase('en-US') ?? '',
    request.whole === true,
  ]);
}

/**
 * Starts loading a trace before the view that shows it is mounted (see TracePrefetch), so that
 * the request runs while the page around it still loads. The view takes it with `loadTrace`.
 */
export function prefetchTrace(api: TracesApi, request: GetTraceRequest) {
  const key = keyOf(request);
  if (started.has(key)) return;
  const promise = api.getTrace(request);
  // Not a failure of its own: the view that takes it shows the error.
  promise.catch(() => {});
  started.set(key, promise);
  setTimeout(() => {
    if (started.get(key) === promise) started.delete(key);
  }, KEEP_MS);
}

/** The trace, from a request started early for exactly this one when there is one. */
export function loadTrace(
  api: TracesApi,
  request: GetTraceRequest,
): Promise<Trace> {
  const key = keyOf(request);
  const early = started.get(key);
  if (early) {
    started.delete(key);
    return early;
  }
  return api.getTrace(request);
}
