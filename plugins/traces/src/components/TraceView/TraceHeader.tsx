import { forwardRef } from 'react';
import Box from '@mui/material/Box';
import type { Trace } from '@backstage-traces/plugin-traces-common';
import type { WaterfallModel } from './waterfallModel';
import type { WaterfallState } from './useWaterfallState';
import { ServiceLegend } from './ServiceLegend';
import { TraceSummary } from './TraceSummary';
import { TraceToolbar } from './TraceToolbar';

export interface TraceHeaderProps {
  trace: Trace;
  model: WaterfallModel;
  state: WaterfallState;
  /** "Open in Grafana" link for this trace, when Grafana is configured. */
  grafanaUrl?: string;
  /** Shown when the per-span log counts could not be loaded. */
  logCountsNote?: string;
  onClose?: () => void;
}

/**
 * Everything above the waterfall: the trace summary, the services with their colours (toggles
 * that collapse a service) and the toolbar. Each part is memoised on just the state it shows,
 * so collapsing a span re-renders the legend, not the summary or the toolbar's inputs.
 */
export const TraceHeader = forwardRef<HTMLInputElement, TraceHeaderProps>(
  function TraceHeaderInner(props, searchRef) {
    const { model, state } = props;
    return (
      <Box
        component="header"
        sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}
      >
        <TraceSummary
          trace={props.trace}
          model={model}
          grafanaUrl={props.grafanaUrl}
          logCountsNote={props.logCountsNote}
          onClose={props.onClose}
        />
        <ServiceLegend
          model={model}
          collapsedServices={state.collapsedServices}
          onToggleService={state.toggleService}
        />
        <TraceToolbar
          ref={searchRef}
          model={model}
          query={state.query}
          setQuery={state.setQuery}
          matchCount={state.matches.length}
          matchCursor={state.matchCursor}
          currentMatchPlaces={state.currentMatchPlaces}
          nextMatch={state.nextMatch}
          previousMatch={state.previousMatch}
          spanFilter={state.spanFilter}
          setSpanFilter={state.setSpanFilter}
          expandAll={state.expandAll}
          collapseAll={state.collapseAll}
          expandToLevel={state.expandToLevel}
          showCriticalPath={state.showCriticalPath}
          setShowCriticalPath={state.setShowCriticalPath}
        />
      </Box>
    );
  },
);
