import { parseTraceIdParam } from '@backstage-traces/plugin-traces-common';
import { useQuery } from '../TraceExplorer/useTraceUrlState';

/** `?compare=A,B` in the trace explorer: the comparison of two traces is open. */
export const COMPARE_PARAM = 'compare';

export interface CompareUrlState {
  /** The comparison is open (possibly still without two IDs). */
  active: boolean;
  traceIdA?: string;
  traceIdB?: string;
  open(traceIdA?: string, traceIdB?: string): void;
  close(): void;
}

/** Which two traces are compared; in the URL, so that a comparison can be shared as a link. */
export function useCompareUrlState(): CompareUrlState {
  const { search, update } = useQuery();
  const raw = new URLSearchParams(search).get(COMPARE_PARAM);
  const [a = '', b = ''] = raw?.split(',') ?? [];
  return {
    active: raw !== null,
    traceIdA: parseTraceIdParam(a),
    traceIdB: parseTraceIdParam(b),
    open: (traceIdA = '', traceIdB = '') =>
      update(p => {
        p.set(
          COMPARE_PARAM,
          traceIdA || traceIdB ? `${traceIdA},${traceIdB}` : '',
        );
        return p;
      }),
    close: () =>
      update(p => {
        p.delete(COMPARE_PARAM);
        return p;
      }),
  };
}
