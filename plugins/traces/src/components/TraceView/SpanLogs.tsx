import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import {
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import {
  errorMessage,
  errorStatus,
  logsOffReason,
  useTracesHealth,
} from '../../api';
import { Icon } from './Icon';
import { LogRow } from './LogRow';
import { useSpanLogs } from './useSpanLogs';

export type LogScope = 'span' | 'trace';

export interface SpanLogsProps {
  traceId: string;
  spanId: string;
  entityRef?: string;
  scope: LogScope;
  onScopeChange: (scope: LogScope) => void;
  traceStartMs?: number;
  /** Span IDs present in the trace, so a log can link to its span. */
  hasSpan?: (spanId: string) => boolean;
  onSelectSpan?: (spanId: string) => void;
  /** Link to the same logs in Grafana, when configured. */
  grafanaUrl?: string;
}

/**
 * Logs from OpenSearch for the selected span or for the whole trace, oldest first, a page at a
 * time. When the backend has no log store it answers 503 with the reason, which is shown as is.
 */
export function SpanLogs(props: SpanLogsProps) {
  // Without a log store (as /health said), say why instead of asking for logs.
  const logsOff = logsOffReason(useTracesHealth());
  if (logsOff) {
    return (
      <Box sx={{ p: 1.5 }}>
        <WarningPanel
          defaultExpanded
          severity="info"
          title="Logs are not available"
          message={logsOff}
        />
      </Box>
    );
  }
  return <SpanLogList {...props} />;
}

function SpanLogList(props: SpanLogsProps) {
  const { traceId, spanId, entityRef, scope, hasSpan, onSelectSpan } = props;
  const state = useSpanLogs({
    traceId,
    spanId: scope === 'span' ? spanId : undefined,
    entityRef,
  });
  const firstLoad = state.loading && state.logs.length === 0;
  const status = state.error ? errorStatus(state.error) : undefined;

  let body;
  if (state.error && state.logs.length === 0) {
    body =
      status === 503 ? (
        <WarningPanel
          defaultExpanded
          severity="info"
          title="Logs are not available"
          message={errorMessage(state.error)}
        />
      ) : (
        <Box>
          <ResponseErrorPanel
            error={state.error as Error}
            title="Could not load logs"
          />
          <Button size="small" onClick={state.retry} sx={{ mt: 1 }}>
            Try again
          </Button>
        </Box>
      );
  } else if (firstLoad) {
    body = <Progress />;
  } else if (state.logs.length === 0) {
    body = (
      <Typography variant="body2" color="textSecondary" sx={{ py: 2 }}>
        {scope === 'span'
          ? 'No logs carry this span ID. Try the logs of the whole trace.'
          : 'No logs carry this trace ID in the searched time window.'}
      </Typography>
    );
  } else {
    body = (
      <>
        <Typography variant="caption" color="textSecondary" aria-live="polite">
          {state.total !== undefined
            ? `Showing ${state.logs.length.toLocaleString()} of ${state.total.toLocaleString()} logs`
            : `Showing ${state.logs.length.toLocaleString()} logs`}
        </Typography>
        <Box
          component="ul"
          aria-label="Logs"
          sx={{ listStyle: 'none', m: 0, p: 0 }}
        >
          {state.logs.map(log => (
            <LogRow
              key={log.id}
              log={log}
              traceStartMs={props.traceStartMs}
              showService={scope === 'trace'}
              onSelectSpan={
                log.spanId && log.spanId !== spanId && hasSpan?.(log.spanId)
                  ? onSelectSpan
                  : undefined
              }
            />
          ))}
        </Box>
        {state.error !== undefined && (
          <Typography variant="body2" color="error" sx={{ mt: 1 }}>
            Could not load more logs: {errorMessage(state.error)}{' '}
            <Button size="small" onClick={state.retry}>
              Try again
            </Button>
          </Typography>
        )}
        {state.hasMore && state.error === undefined && (
          <Button
            size="small"
            variant="outlined"
            onClick={state.loadMore}
            disabled={state.loading}
            sx={{ mt: 1 }}
          >
            {state.loading ? 'Loading…' : 'Load more'}
          </Button>
        )}
      </>
    );
  }

  return (
    <Box>
      <Box
        sx={{
          display: 'flex',
          alignItems: 'center',
          gap: 1,
          mb: 1,
          flexWrap: 'wrap',
        }}
      >
        <ToggleButtonGroup
          size="small"
          exclusive
          value={scope}
          onChange={(_, value: LogScope | null) =>
            value && props.onScopeChange(value)
          }
          aria-label="Which logs to show"
        >
          <ToggleButton value="span">Logs for this span</ToggleButton>
          <ToggleButton value="trace">Logs for this trace</ToggleButton>
        </ToggleButtonGroup>
        {props.grafanaUrl && (
          <Button
            size="small"
            href={props.grafanaUrl}
            target="_blank"
            rel="noopener noreferrer"
            endIcon={<Icon name="openInNew" />}
          >
            Open in Grafana
          </Button>
        )}
      </Box>
      {body}
    </Box>
  );
}
