import { useAppSearchParams } from '@backstage/frontend-plugin-api';
import { useCallback } from 'react';

/** URL parameters of the open trace; the filters own theirs (see filterState). */
export const TRACE_ID_PARAM = 'traceId';
export const SPAN_ID_PARAM = 'spanId';

/** Changes the query string; each change is a history entry unless `replace` is set. */
export type UpdateQuery = (
  change: (params: URLSearchParams) => URLSearchParams,
  replace?: boolean,
) => void;

/** The current query string and a way to change it without dropping other parameters. */
export function useQuery(): { search: string; update: UpdateQuery } {
  const [searchParams, setSearchParams] = useAppSearchParams();
  const search = searchParams.toString();
  const update = useCallback<UpdateQuery>(
    (change, replace = false) => {
      const next = change(new URLSearchParams(search));
      if (next.toString() !== search) setSearchParams(next, { replace });
    },
    [search, setSearchParams],
  );
  return { search, update };
}

/** Which trace and span are open, and how to change that; all of it lives in the URL. */
export interface TraceUrlState {
  traceId?: string;
  spanId?: string;
  openTrace(traceId: string, spanId?: string): void;
  selectSpan(spanId: string | undefined): void;
  closeTrace(): void;
}

/**
 * The open trace as `?traceId=…&spanId=…`, so an open trace and its selected span can be
 * shared as a link.
 */
export function useTraceUrlState(): TraceUrlState {
  const { search, update } = useQuery();
  const params = new URLSearchParams(search);
  return {
    traceId: params.get(TRACE_ID_PARAM) ?? undefined,
    spanId: params.get(SPAN_ID_PARAM) ?? undefined,
    openTrace: (id, span) =>
      update(p => {
        p.set(TRACE_ID_PARAM, id);
        if (span) p.set(SPAN_ID_PARAM, span);
        else p.delete(SPAN_ID_PARAM);
        return p;
      }),
    // span selection replaces the history entry: Back should leave the trace, not step spans
    selectSpan: id =>
      update(p => {
        if (id) p.set(SPAN_ID_PARAM, id);
        else p.delete(SPAN_ID_PARAM);
        return p;
      }, true),
    closeTrace: () =>
      update(p => {
        p.delete(TRACE_ID_PARAM);
        p.delete(SPAN_ID_PARAM);
        return p;
      }),
  };
}
