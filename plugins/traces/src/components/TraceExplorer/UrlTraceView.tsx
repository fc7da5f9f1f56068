import { TraceView } from '../TraceView';
import { TraceUrlState } from './useTraceUrlState';

export interface UrlTraceViewProps {
  /** Where the open trace and span live (see useTraceUrlState). */
  state: TraceUrlState;
  /** Entity whose Traces tab shows the trace; the backend scopes access by it. */
  entityRef?: string;
}

/** The trace view of the trace the URL names, with span selection and links kept in the URL. */
export function UrlTraceView(props: UrlTraceViewProps) {
  const { state, entityRef } = props;
  if (!state.traceId) return null;
  return (
    <TraceView
      traceId={state.traceId}
      entityRef={entityRef}
      selectedSpanId={state.spanId}
      onSelectSpan={state.selectSpan}
      onClose={state.closeTrace}
      onOpenTrace={state.openTrace}
    />
  );
}
