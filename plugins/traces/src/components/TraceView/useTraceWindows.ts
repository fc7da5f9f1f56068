import { useCallback, useEffect, useRef, useState } from 'react';
import type { Trace } from '@backstage-traces/plugin-traces-common';
import type { TracesApi } from '../../api';
import { mergeTraceWindow } from './mergeTraceWindow';

export interface TraceWindows {
  /** The loaded part of the trace: the first window plus every subtree loaded since. */
  trace: Trace | undefined;
  /** Spans whose subtree is being loaded. */
  loading: ReadonlySet<string>;
  /** The last subtree load that failed. */
  error?: { spanId: string; error: Error };
  /** Loads the next window below a span (its children first). */
  load(spanId: string): void;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Subtree windows of a large trace on top of its first window (`first`): each answer is
 * merged into the loaded trace, and where an answer stopped inside a span's children the next
 * load below that span continues there. A new first window (another trace, a retry) starts
 * over.
 */
export function useTraceWindows(
  api: TracesApi,
  request: { traceId: string; entityRef?: string },
  first: Trace | undefined,
): TraceWindows {
  const { traceId, entityRef } = request;
  const [state, setState] = useState<{ base?: Trace; trace?: Trace }>({});
  const [loading, setLoading] = useState<ReadonlySet<string>>(NONE);
  const [error, setError] = useState<TraceWindows['error']>();
  const continuations = useRef(new Map<string, number>());
  const inFlight = useRef(new Set<string>());
  const current = useRef(first);
  current.current = first;

  useEffect(() => {
    continuations.current = new Map();
    inFlight.current = new Set();
    setLoading(NONE);
    setError(undefined);
  }, [first]);

  const load = useCallback(
    (spanId: string) => {
      if (inFlight.current.has(spanId)) return;
      const base = current.current;
      if (!base) return;
      const requests = inFlight.current;
      requests.add(spanId);
      setLoading(new Set(requests));
      setError(undefined);
      api
        .getTraceSubtree({
          traceId,
          spanId,
          entityRef,
          from: continuations.current.get(spanId),
        })
        .then(
          window => {
            if (current.current !== base) return;
            const next = window.window?.continuation;
            if (next?.spanId === spanId)
              continuations.current.set(spanId, next.from);
            else continuations.current.delete(spanId);
            setState(prev => {
              const loaded =
                prev.base === base && prev.trace ? prev.trace : base;
              return { base, trace: mergeTraceWindow(loaded, window) };
            });
          },
          (reason: unknown) => {
            if (current.current !== base) return;
            setError({
              spanId,
              error:
                reason instanceof Error ? reason : new Error(String(reason)),
            });
          },
        )
        .finally(() => {
          if (inFlight.current !== requests) return;
          requests.delete(spanId);
          setLoading(new Set(requests));
        });
    },
    [api, traceId, entityRef],
  );

  const trace = state.base === first && state.trace ? state.trace : first;
  return { trace, loading, error, load };
}
