import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi, useAppSearchParams } from '@backstage/frontend-plugin-api';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import { useCallback, useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { errorMessage, tracesApiRef } from '../../api';
import { useGrafanaSettings } from '../../grafana';
import {
  parseFilters,
  resolveTimeRange,
  TimeRangePicker,
  TraceFilters,
  TraceFiltersBar,
  writeFilters,
} from '../Filters';
import { RedSummary } from '../RedSummary';
import { ServiceGraph } from '../ServiceGraph';
import {
  parseSort,
  serializeSort,
  TraceSearchResults,
  TraceSort,
} from '../TraceList';
import { TraceView } from '../TraceView';
import { TempoNotConfigured } from './TempoNotConfigured';
import { TraceIdLookup } from './TraceIdLookup';

/** URL parameters of the tab itself; the filters own theirs (see filterState). */
export const VIEW_PARAM = 'view';
export const TRACE_ID_PARAM = 'traceId';
export const SPAN_ID_PARAM = 'spanId';
export const SORT_PARAM = 'sort';

type View = 'traces' | 'dependencies';

export interface TracesTabContentProps {
  entity: Entity;
}

/**
 * The Traces tab of an annotated entity: RED summary, then the trace search and the dependency
 * graph; or, when the URL names a trace, the trace view. All state is in the URL, so any view
 * (search, open trace, selected span) can be shared as a link.
 */
export function TracesTabContent(props: TracesTabContentProps) {
  const entityRef = stringifyEntityRef(props.entity);
  const api = useApi(tracesApiRef);
  const grafana = useGrafanaSettings();
  const health = useAsync(() => api.health(), [api]);

  const [searchParams, setSearchParams] = useAppSearchParams();
  const search = searchParams.toString();
  const filters = useMemo(
    () => parseFilters(new URLSearchParams(search)),
    [search],
  );
  const sort = parseSort(searchParams.get(SORT_PARAM));
  const view: View =
    searchParams.get(VIEW_PARAM) === 'dependencies' ? 'dependencies' : 'traces';
  const traceId = searchParams.get(TRACE_ID_PARAM) ?? undefined;
  const spanId = searchParams.get(SPAN_ID_PARAM) ?? undefined;

  // Relative ranges ("last hour") are resolved when the filters change or on refresh, not on
  // every render, so the queries keep stable keys.
  const [refreshes, setRefreshes] = useState(0);
  const refresh = () => setRefreshes(n => n + 1);
  const filtersKey = writeFilters(new URLSearchParams(), filters).toString();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const nowMs = useMemo(() => Date.now(), [filtersKey, refreshes]);
  const range = useMemo(
    () => resolveTimeRange(filters.timeRange, nowMs),
    [filters.timeRange, nowMs],
  );

  const update = useCallback(
    (change: (params: URLSearchParams) => URLSearchParams, replace = false) => {
      const next = change(new URLSearchParams(search));
      if (next.toString() !== search) setSearchParams(next, { replace });
    },
    [search, setSearchParams],
  );
  const setFilters = (next: TraceFilters) => update(p => writeFilters(p, next));
  const setSort = (next: TraceSort) =>
    update(p => {
      const value = serializeSort(next);
      if (value) p.set(SORT_PARAM, value);
      else p.delete(SORT_PARAM);
      return p;
    }, true);
  const setView = (next: View) =>
    update(p => {
      if (next === 'traces') p.delete(VIEW_PARAM);
      else p.set(VIEW_PARAM, next);
      return p;
    });
  const openTrace = (id: string, span?: string) =>
    update(p => {
      p.set(TRACE_ID_PARAM, id);
      if (span) p.set(SPAN_ID_PARAM, span);
      else p.delete(SPAN_ID_PARAM);
      return p;
    });
  // span selection replaces the history entry: Back should leave the trace, not step spans
  const selectSpan = (id: string | undefined) =>
    update(p => {
      if (id) p.set(SPAN_ID_PARAM, id);
      else p.delete(SPAN_ID_PARAM);
      return p;
    }, true);
  const closeTrace = () =>
    update(p => {
      p.delete(TRACE_ID_PARAM);
      p.delete(SPAN_ID_PARAM);
      return p;
    });

  if (health.loading) return <Progress />;
  if (health.error) {
    return (
      <ResponseErrorPanel
        title={`The traces backend is not available: ${errorMessage(
          health.error,
        )}`}
        error={health.error}
      />
    );
  }
  const tempo = health.value?.tempo;
  if (tempo?.status === 'disabled') {
    return <TempoNotConfigured message={tempo.message} />;
  }

  return (
    <Box sx={{ display: 'grid', gap: 2 }}>
      {tempo?.status === 'down' && (
        <WarningPanel
          severity="warning"
          title="Tempo is not responding"
          message={
            tempo.message ?? 'Searches and metrics may fail until it is back.'
          }
        />
      )}
      {traceId && (
        <TraceView
          traceId={traceId}
          entityRef={entityRef}
          selectedSpanId={spanId}
          onSelectSpan={selectSpan}
          onClose={closeTrace}
          onOpenTrace={openTrace}
        />
      )}
      {/* kept mounted while a trace is open so that closing it returns to the same list */}
      <Box
        hidden={Boolean(traceId)}
        sx={{ display: traceId ? 'none' : 'grid', gap: 2 }}
      >
        <RedSummary
          entityRef={entityRef}
          range={range}
          refreshKey={refreshes}
        />
        <Box sx={{ borderBottom: 1, borderColor: 'divider' }}>
          <Tabs
            value={view}
            onChange={(_e, next: View) => setView(next)}
            aria-label="Traces views"
          >
            <Tab
              label="Traces"
              value="traces"
              id="traces-tab-traces"
              aria-controls="traces-panel-traces"
            />
            <Tab
              label="Dependencies"
              value="dependencies"
              id="traces-tab-dependencies"
              aria-controls="traces-panel-dependencies"
            />
          </Tabs>
        </Box>
        {view === 'traces' ? (
          <Box
            role="tabpanel"
            id="traces-panel-traces"
            aria-labelledby="traces-tab-traces"
            sx={{ display: 'grid', gap: 2 }}
          >
            <TraceFiltersBar
              filters={filters}
              onChange={setFilters}
              entityRef={entityRef}
              range={range}
              nowMs={nowMs}
              onRefresh={refresh}
            />
            <TraceIdLookup onOpen={id => openTrace(id)} />
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
            />
          </Box>
        ) : (
          <Box
            role="tabpanel"
            id="traces-panel-dependencies"
            aria-labelledby="traces-tab-dependencies"
            sx={{ display: 'grid', gap: 2 }}
          >
            <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start' }}>
              <TimeRangePicker
                value={filters.timeRange}
                nowMs={nowMs}
                onChange={timeRange => setFilters({ ...filters, timeRange })}
              />
              <Button variant="outlined" onClick={refresh} sx={{ height: 40 }}>
                Refresh
              </Button>
            </Box>
            <ServiceGraph
              entityRef={entityRef}
              range={range}
              refreshKey={refreshes}
            />
          </Box>
        )}
      </Box>
    </Box>
  );
}
