import { WarningPanel } from '@backstage/core-components';
import { useAppNavigate, useRouteRef } from '@backstage/frontend-plugin-api';
import { useParams } from 'react-router-dom';
import {
  parseTraceIdParam,
  TRACE_ID_FORMAT,
} from '@backstage-traces/plugin-traces-common';
import { useMemo } from 'react';
import { traceRouteRef } from '../../routes';
import { TracesBackendGate, useQuery } from '../TraceExplorer';
import { SPAN_ID_PARAM } from '../TraceExplorer/useTraceUrlState';
import { TraceView } from '../TraceView';
import { TraceOwners } from './TraceOwners';

/** `from`/`to` as a deep link carries them (epoch ms) → the API's epoch seconds. */
export function linkRange(
  params: URLSearchParams,
): { start: number; end: number } | undefined {
  const from = Number(params.get('from') ?? NaN);
  const to = Number(params.get('to') ?? NaN);
  if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) {
    return undefined;
  }
  return { start: Math.floor(from / 1000), end: Math.ceil(to / 1000) };
}

/**
 * `/traces/trace/:traceId`: one trace outside any entity (needs `traces.query`), with the
 * owners of its services. `?spanId=` selects a span; `from`/`to` narrow Tempo's search.
 */
export function TracePage() {
  const raw = useParams().traceId ?? '';
  const traceId = parseTraceIdParam(raw);
  const traceLink = useRouteRef(traceRouteRef);
  const navigate = useAppNavigate();
  const { search, update } = useQuery();
  const params = useMemo(() => new URLSearchParams(search), [search]);
  const range = useMemo(() => linkRange(params), [params]);

  if (!traceId) {
    return (
      <WarningPanel
        severity="error"
        title={`'${raw}' is not a trace ID`}
        message={`A trace ID is ${TRACE_ID_FORMAT}.`}
      />
    );
  }
  return (
    <TracesBackendGate>
      <TraceView
        traceId={traceId}
        range={range}
        selectedSpanId={params.get(SPAN_ID_PARAM) ?? undefined}
        // span selection replaces the history entry, as in the Traces tab
        onSelectSpan={spanId =>
          update(p => {
            if (spanId) p.set(SPAN_ID_PARAM, spanId);
            else p.delete(SPAN_ID_PARAM);
            return p;
          }, true)
        }
        onOpenTrace={
          traceLink &&
          ((id, spanId) =>
            navigate(
              `${traceLink({ traceId: id })}${
                spanId ? `?${SPAN_ID_PARAM}=${spanId}` : ''
              }`,
            ))
        }
        aside={trace => <TraceOwners trace={trace} />}
      />
    </TracesBackendGate>
  );
}
