import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import Typography from '@mui/material/Typography';
import { ResponseErrorPanel, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useRef, type ReactNode } from 'react';
import type { Trace } from '@backstage-traces/plugin-traces-common';
import {
  errorMessage,
  errorStatus,
  logsOffReason,
  tracesApiRef,
  useTracesHealth,
} from '../../api';
import { Icon } from './Icon';
import { TraceViewContent } from './TraceViewContent';
import { TraceViewSkeleton } from './TraceViewSkeleton';
import { useTraceWindows } from './useTraceWindows';
import { loadTrace } from '../TracePrefetch/traceRequests';

export interface TraceViewProps {
  traceId: string;
  /** Entity whose Traces tab shows the trace; the backend scopes access by it. */
  entityRef?: string;
  /** The selected span (e.g. from the URL). */
  selectedSpanId?: string;
  onSelectSpan?: (spanId: string | undefined) => void;
  onClose?: () => void;
  /** Open another trace, e.g. from a span link; `spanId` is the linked span in it. */
  onOpenTrace?: (traceId: string, spanId?: string) => void;
  /** Where to look for the trace (epoch seconds), e.g. from a Grafana link; narrows Tempo's search. */
  range?: { start: number; end: number };
  /** Shown above the loaded trace, e.g. the owners of its services. */
  aside?: (trace: Trace) => ReactNode;
}

export const TRACE_NOT_FOUND_TITLE =
  "Trace not found — it may be older than Tempo's retention (7 days) or outside the time range";

/**
 * One trace: header, minimap, span waterfall and the details/logs panel. Loads the trace and,
 * in parallel, the per-span log counts; the counts are optional (no log store, a slow
 * OpenSearch) and never block or break the view.
 */
export function TraceView(props: TraceViewProps) {
  const { traceId, entityRef, onClose } = props;
  const start = props.range?.start;
  const end = props.range?.end;
  const api = useApi(tracesApiRef);
  // A linked span is loaded with the first window of a large trace; later selections are
  // of spans already loaded, so they do not refetch.
  const focus = useRef<{ traceId: string; spanId?: string }>();
  if (focus.current?.traceId !== traceId) {
    focus.current = { traceId, spanId: props.selectedSpanId };
  }
  const trace = useAsyncRetry(
    () =>
      loadTrace(api, {
        traceId,
        entityRef,
        start,
        end,
        focusSpanId: focus.current?.spanId,
      }),
    [api, traceId, entityRef, start, end],
  );
  const windows = useTraceWindows(api, { traceId, entityRef }, trace.value);
  // Without a log store (as /health said) there are no counts to ask for.
  const logsOff = logsOffReason(useTracesHealth());
  const counts = useAsync(
    async () =>
      logsOff
        ? undefined
        : api.getLogCounts({ traceId, entityRef, start, end }),
    [api, traceId, entityRef, start, end, logsOff],
  );

  if (trace.loading && !trace.value) {
    return <TraceViewSkeleton traceId={traceId} onClose={onClose} />;
  }

  if (trace.error || !trace.value) {
    const status = errorStatus(trace.error);
    const closeButton = onClose && (
      <IconButton aria-label="Close trace" onClick={onClose} size="small">
        <Icon name="close" />
      </IconButton>
    );
    return (
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
        <Box sx={{ display: 'flex', alignItems: 'center' }}>
          <Typography variant="h6" component="h2" sx={{ flex: 1 }}>
            Trace{' '}
            <Box component="span" sx={{ fontFamily: 'monospace' }}>
              {traceId}
            </Box>
          </Typography>
          {closeButton}
        </Box>
        {status === 404 ? (
          <WarningPanel
            defaultExpanded
            severity="warning"
            title={TRACE_NOT_FOUND_TITLE}
            message={errorMessage(trace.error)}
          />
        ) : (
          <ResponseErrorPanel
            error={trace.error ?? new Error('The backend returned no trace')}
            title="Could not load the trace"
          />
        )}
        {status !== 404 && status !== 400 && (
          <Box>
            <Button variant="outlined" size="small" onClick={trace.retry}>
              Try again
            </Button>
          </Box>
        )}
      </Box>
    );
  }

  let logCountsNote: string | undefined;
  if (logsOff) {
    logCountsNote = `Log badges are off: ${logsOff}`;
  } else if (counts.error) {
    logCountsNote =
      errorStatus(counts.error) === 503
        ? `Log badges are off: ${errorMessage(counts.error)}`
        : `Log counts could not be loaded: ${errorMessage(counts.error)}`;
  }

  const content = (
    <TraceViewContent
      // A fresh view state (collapse, search, filter) per trace.
      key={trace.value.traceId}
      trace={windows.trace ?? trace.value}
      windows={trace.value.window ? windows : undefined}
      entityRef={entityRef}
      logCounts={counts.value?.counts}
      logCountsNote={logCountsNote}
      selectedSpanId={props.selectedSpanId}
      onSelectSpan={props.onSelectSpan}
      onClose={onClose}
      onOpenTrace={props.onOpenTrace}
    />
  );
  if (!props.aside) return content;
  return (
    <Box sx={{ display: 'grid', gap: 2 }}>
      {props.aside(trace.value)}
      {content}
    </Box>
  );
}
