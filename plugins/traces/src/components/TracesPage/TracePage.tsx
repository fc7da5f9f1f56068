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
import { linkRange } from './linkRange';

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
