import { memo } from 'react';
import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import Typography from '@mui/material/Typography';
import { WarningPanel } from '@backstage/core-components';
import type { Trace } from '@backstage-traces/plugin-traces-common';
import { formatDuration, formatTimestamp } from '../../lib/format';
import { FLAG_ORPHAN, type WaterfallModel } from './waterfallModel';
import { CopyButton } from './CopyButton';
import { epochMsFromNanos } from './timeAxis';
import { Icon } from './Icon';
import { DownloadTraceButton } from '../TraceFile/DownloadTraceButton';

export interface TraceSummaryProps {
  trace: Trace;
  model: WaterfallModel;
  /** "Open in Grafana" link for this trace, when Grafana is configured. */
  grafanaUrl?: string;
  /** Shown when the per-span log counts could not be loaded. */
  logCountsNote?: string;
  onClose?: () => void;
}

/** A labelled figure of the summary list (a render helper, not a component). */
const stat = (label: string, value: ReactNode) => (
  <Box>
    <Typography variant="caption" color="textSecondary" component="dt">
      {label}
    </Typography>
    <Typography variant="body2" component="dd" sx={{ m: 0, fontWeight: 500 }}>
      {value}
    </Typography>
  </Box>
);

/**
 * The trace as a whole: root span, trace ID, timing and size, the partial-trace warning.
 * Depends on the trace only, so it does not re-render as the view state changes.
 */
export const TraceSummary = memo(function TraceSummaryInner(
  props: TraceSummaryProps,
) {
  const { trace, model } = props;
  // The root that names the trace: the first real root, else the first fragment.
  let root: number | undefined = undefined;
  for (const r of model.roots) {
    if (!(model.flags[r] & FLAG_ORPHAN)) {
      root = r;
      break;
    }
  }
  root ??= model.roots[0];
  const rootSpan = root === undefined ? undefined : model.spans[root];
  const startMs = epochMsFromNanos(trace.startTimeUnixNano);
  const startText =
    startMs === undefined
      ? '–'
      : `${formatTimestamp(startMs)}.${String(startMs % 1000).padStart(
          3,
          '0',
        )}`;

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
      <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1 }}>
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <Typography variant="h6" component="h2" noWrap title={rootSpan?.name}>
            {rootSpan ? (
              <>
                <Box component="span" sx={{ color: 'text.secondary' }}>
                  {rootSpan.serviceName}:
                </Box>{' '}
                {rootSpan.name}
              </>
            ) : (
              'Trace without spans'
            )}
          </Typography>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }}>
            <Typography variant="body2" color="textSecondary">
              Trace ID
            </Typography>
            <Typography variant="body2" sx={{ fontFamily: 'monospace' }}>
              {trace.traceId}
            </Typography>
            <CopyButton text={trace.traceId} label="Copy trace ID" />
          </Box>
        </Box>
        <DownloadTraceButton trace={trace} />
        {props.grafanaUrl && (
          <Button
            size="small"
            variant="outlined"
            href={props.grafanaUrl}
            target="_blank"
            rel="noopener noreferrer"
            endIcon={<Icon name="openInNew" />}
          >
            Open in Grafana
          </Button>
        )}
        {props.onClose && (
          <IconButton
            aria-label="Close trace"
            onClick={props.onClose}
            size="small"
          >
            <Icon name="close" />
          </IconButton>
        )}
      </Box>

      {trace.partial && (
        <WarningPanel
          defaultExpanded
          severity="warning"
          title="Partial trace: Tempo returned only part of this trace"
          message={
            trace.partialMessage ??
            'The trace exceeded a Tempo limit; some spans are missing and parents may be absent.'
          }
        />
      )}

      <Box
        component="dl"
        sx={{
          display: 'flex',
          flexWrap: 'wrap',
          columnGap: 4,
          rowGap: 1,
          m: 0,
        }}
      >
        {stat('Started', startText)}
        {stat('Duration', formatDuration(trace.durationMs))}
        {stat(
          'Spans',
          trace.spanCount > model.size
            ? `${model.size.toLocaleString()} of ${trace.spanCount.toLocaleString()}`
            : model.size.toLocaleString(),
        )}
        {stat('Depth', model.size ? model.maxDepth + 1 : 0)}
        {stat('Services', model.services.length)}
        {stat(
          'Errors',
          <Box
            component="span"
            sx={{
              color:
                model.errorCount || trace.window?.errorCount
                  ? 'error.main'
                  : undefined,
            }}
          >
            {trace.window && trace.window.errorCount > model.errorCount
              ? `${model.errorCount.toLocaleString()} of ${trace.window.errorCount.toLocaleString()}`
              : model.errorCount.toLocaleString()}
          </Box>,
        )}
        {model.orphanCount > 0 &&
          stat(
            'Missing parents',
            <Box
              component="span"
              sx={{ color: 'warning.dark' }}
              title="Spans whose parent span is not in the trace; they are shown as roots"
            >
              {model.orphanCount.toLocaleString()}
            </Box>,
          )}
      </Box>

      {props.logCountsNote && (
        <Typography variant="caption" color="textSecondary">
          {props.logCountsNote}
        </Typography>
      )}
    </Box>
  );
});
