import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import { useGrafanaSettings } from '../../grafana';
import { TraceFiltersBar } from '../Filters';
import { RedSummary } from '../RedSummary';
import { TraceSearchResults } from '../TraceList';
import { TraceDiffView } from '../TraceDiff/TraceDiffView';
import { useCompareUrlState } from '../TraceDiff/useCompareUrlState';
import { OpenTraceFile } from '../TraceFile';
import { TraceIdLookup } from './TraceIdLookup';
import { UrlTraceView } from './UrlTraceView';
import { DependenciesView } from './DependenciesView';
import {
  TraceExplorerView,
  useTraceSearchUrlState,
} from './useTraceSearchUrlState';
import { useTraceUrlState } from './useTraceUrlState';

export interface TraceExplorerProps {
  /**
   * The entity whose services are searched; without one the search spans all services
   * (the backend requires `traces.query`) and there is no dependency graph.
   */
  entityRef?: string;
}

/**
 * RED summary, then the trace search and the dependency graph; or, when the URL names a trace,
 * the trace view. All state is in the URL, so any view (search, open trace, selected span) can
 * be shared as a link.
 */
export function TraceExplorer(props: TraceExplorerProps) {
  const { entityRef } = props;
  const grafana = useGrafanaSettings();
  const trace = useTraceUrlState();
  const search = useTraceSearchUrlState();
  const {
    filters,
    sort,
    view: urlView,
    range,
    nowMs,
    refreshes,
    refresh,
    setFilters,
    setSort,
    setView,
  } = search;
  const { traceId, openTrace } = trace;
  const compare = useCompareUrlState();
  // An open trace (e.g. a span opened from the comparison) comes first; closing it returns.
  const comparing = compare.active && !traceId;
  // the dependency graph is drawn around an entity's services
  const view = entityRef ? urlView : 'traces';
  // Opened at a trace or a comparison (a shared link, a reload), the summary, search and
  // graph behind it are mounted only once it is closed: hidden, their requests would compete
  // with the trace's (the backend decodes a large trace on the same event loop) and their
  // rendering with its first rows. Once mounted they stay, so that closing a trace opened
  // from the list returns to the same list.
  const covered = Boolean(traceId) || comparing;
  const [explorerMounted, setExplorerMounted] = useState(!covered);
  if (!covered && !explorerMounted) setExplorerMounted(true);

  return (
    <>
      <UrlTraceView state={trace} entityRef={entityRef} />
      {comparing && (
        <TraceDiffView
          traceIdA={compare.traceIdA}
          traceIdB={compare.traceIdB}
          entityRef={entityRef}
          onCompare={compare.open}
          onOpenTrace={openTrace}
          onClose={compare.close}
        />
      )}
      {/* kept mounted while a trace is open so that closing it returns to the same list */}
      {explorerMounted && (
        <Box
          hidden={covered}
          sx={{
            display: covered ? 'none' : 'grid',
            gap: 2,
            // One column that may shrink below its content's width: wide children (the trace
            // list, the graph) scroll or wrap inside, the page never scrolls sideways.
            gridTemplateColumns: 'minmax(0, 1fr)',
          }}
        >
          <RedSummary
            entityRef={entityRef}
            range={range}
            refreshKey={refreshes}
            onOpenTrace={openTrace}
          />
          <Box sx={{ borderBottom: 1, borderColor: 'divider' }}>
            <Tabs
              value={view}
              onChange={(_e, next: TraceExplorerView) => setView(next)}
              aria-label="Traces views"
            >
              <Tab
                label="Traces"
                value="traces"
                id="traces-tab-traces"
                aria-controls="traces-panel-traces"
              />
              {entityRef && (
                <Tab
                  label="Dependencies"
                  value="dependencies"
                  id="traces-tab-dependencies"
                  aria-controls="traces-panel-dependencies"
                />
              )}
            </Tabs>
          </Box>
          {view === 'traces' || !entityRef ? (
            <Box
              role="tabpanel"
              id="traces-panel-traces"
              aria-labelledby="traces-tab-traces"
              sx={{
                display: 'grid',
                gap: 2,
                gridTemplateColumns: 'minmax(0, 1fr)',
              }}
            >
              <TraceFiltersBar
                filters={filters}
                onChange={setFilters}
                entityRef={entityRef}
                range={range}
                nowMs={nowMs}
                onRefresh={refresh}
              />
              <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1 }}>
                <TraceIdLookup onOpen={id => openTrace(id)} />
                <Button sx={{ height: 40 }} onClick={() => compare.open()}>
                  Compare two traces…
                </Button>
                <OpenTraceFile />
              </Box>
              <TraceSearchResults
                entityRef={entityRef}
                filters={filters}
                range={range}
                nowMs={nowMs}
                sort={sort}
                onSortChange={setSort}
                onOpenTrace={id => openTrace(id)}
                selectedTraceId={traceId}
                onFiltersChange={setFilters}
                grafana={grafana}
                refreshKey={refreshes}
                onCompareTraces={compare.open}
              />
            </Box>
          ) : (
            <Box
              role="tabpanel"
              id="traces-panel-dependencies"
              aria-labelledby="traces-tab-dependencies"
              sx={{
                display: 'grid',
                gap: 2,
                gridTemplateColumns: 'minmax(0, 1fr)',
              }}
            >
              <DependenciesView entityRef={entityRef} state={search} />
            </Box>
          )}
        </Box>
      )}
    </>
  );
}
