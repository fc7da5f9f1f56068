import { memo } from 'react';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import type { SpanLogCount } from '@backstage-traces/plugin-traces-common';
import type { WaterfallModel } from './waterfallModel';
import { Icon } from './Icon';
import { SpanDetails } from './SpanDetails';
import { SpanLogs, type LogScope } from './SpanLogs';

export type SpanPanelTab = 'details' | 'logs';

export interface SpanPanelProps {
  model: WaterfallModel;
  row: number;
  entityRef?: string;
  tab: SpanPanelTab;
  onTabChange: (tab: SpanPanelTab) => void;
  logScope: LogScope;
  onLogScopeChange: (scope: LogScope) => void;
  logCount?: SpanLogCount;
  traceStartMs?: number;
  onSelectRow: (row: number) => void;
  onSelectSpanId: (spanId: string) => void;
  onOpenTrace?: (traceId: string, spanId?: string) => void;
  onClose: () => void;
  /** "Open in Grafana" targets for this span and its logs, when Grafana is configured. */
  grafanaSpanUrl?: string;
  grafanaLogsUrl?: string;
  height: number | string;
  /** Why there are no logs (a trace from a file): then there is no Logs tab. */
  logsOff?: string;
}

/**
 * The panel beside the waterfall for the selected span: details and logs tabs. Memoised: the
 * view re-renders as the waterfall scrolls (minimap viewport), the panel need not.
 */
export const SpanPanel = memo(function SpanPanelInner(props: SpanPanelProps) {
  const { model, row } = props;
  const tab = props.logsOff ? 'details' : props.tab;
  const span = model.spans[row];
  const idBase = `span-panel-${span.spanId}`;
  return (
    <Box
      component="aside"
      aria-label={`Span ${span.name}`}
      sx={{
        display: 'flex',
        flexDirection: 'column',
        border: 1,
        borderColor: 'divider',
        borderRadius: 1,
        minWidth: 0,
        height: props.height,
        bgcolor: 'background.paper',
      }}
    >
      <Box
        sx={{
          display: 'flex',
          alignItems: 'center',
          borderBottom: 1,
          borderColor: 'divider',
          pr: 0.5,
        }}
      >
        <Tabs
          value={tab}
          onChange={(_, value: SpanPanelTab) => props.onTabChange(value)}
          aria-label="Span panel"
          sx={{ flex: 1, minHeight: 40 }}
        >
          <Tab
            value="details"
            label="Details"
            id={`${idBase}-details`}
            aria-controls={`${idBase}-details-panel`}
            sx={{ minHeight: 40 }}
          />
          {!props.logsOff && (
            <Tab
              value="logs"
              label={props.logCount ? `Logs (${props.logCount.count})` : 'Logs'}
              id={`${idBase}-logs`}
              aria-controls={`${idBase}-logs-panel`}
              sx={{ minHeight: 40 }}
            />
          )}
        </Tabs>
        {props.grafanaSpanUrl && (
          <IconButton
            size="small"
            href={props.grafanaSpanUrl}
            target="_blank"
            rel="noopener noreferrer"
            aria-label="Open this span in Grafana"
            title="Open this span in Grafana"
          >
            <Icon name="openInNew" />
          </IconButton>
        )}
        <IconButton
          size="small"
          aria-label="Close span details"
          onClick={props.onClose}
        >
          <Icon name="close" />
        </IconButton>
      </Box>
      <Box
        role="tabpanel"
        id={`${idBase}-${tab}-panel`}
        aria-labelledby={`${idBase}-${tab}`}
        sx={{ flex: 1, overflow: 'auto', p: 1.5 }}
      >
        {tab === 'details' ? (
          <SpanDetails
            model={model}
            row={row}
            onSelectRow={props.onSelectRow}
            onOpenTrace={props.onOpenTrace}
          />
        ) : (
          <SpanLogs
            traceId={model.trace.traceId}
            spanId={span.spanId}
            entityRef={props.entityRef}
            scope={props.logScope}
            onScopeChange={props.onLogScopeChange}
            traceStartMs={props.traceStartMs}
            hasSpan={id => model.indexOf(id) !== undefined}
            onSelectSpan={props.onSelectSpanId}
            grafanaUrl={props.grafanaLogsUrl}
          />
        )}
      </Box>
    </Box>
  );
});
