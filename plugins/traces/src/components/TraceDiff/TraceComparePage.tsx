import { useAppNavigate, useRouteRef } from '@backstage/frontend-plugin-api';
import { parseTraceIdParam } from '@backstage-traces/plugin-traces-common';
import { compareRouteRef, traceRouteRef } from '../../routes';
import { TracesBackendGate, useQuery } from '../TraceExplorer';
import { SPAN_ID_PARAM } from '../TraceExplorer/useTraceUrlState';
import { TraceDiffView } from './TraceDiffView';

/**
 * `/traces/compare?a=…&b=…`: two traces compared outside any entity (needs `traces.query`),
 * a link that can be shared; a row's A and B buttons open that span in its trace.
 */
export function TraceComparePage() {
  const { search } = useQuery();
  const params = new URLSearchParams(search);
  const traceLink = useRouteRef(traceRouteRef);
  const compareLink = useRouteRef(compareRouteRef);
  const navigate = useAppNavigate();
  return (
    <TracesBackendGate>
      <TraceDiffView
        traceIdA={parseTraceIdParam(params.get('a') ?? '')}
        traceIdB={parseTraceIdParam(params.get('b') ?? '')}
        onCompare={(a, b) =>
          compareLink &&
          navigate(`${compareLink()}?${new URLSearchParams({ a, b })}`)
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
      />
    </TracesBackendGate>
  );
}
