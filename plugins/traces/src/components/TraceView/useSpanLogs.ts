import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type { LogRecord } from '@backstage-traces/plugin-traces-common';
import { tracesApiRef } from '../../api';

export const LOG_PAGE_SIZE = 50;

export interface SpanLogsState {
  logs: LogRecord[];
  /** Total matching documents, when the store counts them. */
  total?: number;
  hasMore: boolean;
  /** True while the first page or a further page is loading. */
  loading: boolean;
  error?: unknown;
  loadMore(): void;
  retry(): void;
}

/**
 * Pages of logs for a trace, or one span of it, in time order. A new trace/span starts over;
 * answers to superseded requests are dropped so a slow page cannot land in the wrong list.
 */
export function useSpanLogs(options: {
  traceId: string;
  spanId?: string;
  entityRef?: string;
}): SpanLogsState {
  const { traceId, spanId, entityRef } = options;
  const api = useApi(tracesApiRef);
  const [logs, setLogs] = useState<LogRecord[]>([]);
  const [total, setTotal] = useState<number | undefined>();
  const [cursor, setCursor] = useState<string | undefined>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);
  const request = useRef(0);

  const load = useCallback(
    (after: string | undefined) => {
      const id = ++request.current;
      setLoading(true);
      setError(undefined);
      api
        .getLogs({
          traceId,
          spanId,
          entityRef,
          limit: LOG_PAGE_SIZE,
          cursor: after,
          order: 'asc',
        })
        .then(
          page => {
            if (id !== request.current) return;
            setLogs(previous =>
              after ? [...previous, ...page.logs] : page.logs,
            );
            setTotal(page.total);
            setCursor(page.nextCursor);
            setLoading(false);
          },
          failure => {
            if (id !== request.current) return;
            setError(failure);
            setLoading(false);
          },
        );
    },
    [api, traceId, spanId, entityRef],
  );

  useEffect(() => {
    setLogs([]);
    setTotal(undefined);
    setCursor(undefined);
    load(undefined);
    const requests = request;
    return () => {
      // Invalidate the request in flight.
      requests.current++;
    };
  }, [load, attempt]);

  return {
    logs,
    total,
    hasMore: cursor !== undefined,
    loading,
    error,
    loadMore: useCallback(() => {
      if (cursor) load(cursor);
    }, [cursor, load]),
    // A failed "load more" retries that page; a failed first page starts over.
    retry: useCallback(() => {
      if (cursor && logs.length) load(cursor);
      else setAttempt(a => a + 1);
    }, [cursor, logs.length, load]),
  };
}
