import { EmptyState, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useState } from 'react';
import { errorMessage, tracesApiRef, TimeRange } from '../../api';
import type { GrafanaSettings } from '../../grafana';
import {
  describeTimeRange,
  hasNarrowingFilters,
  searchQuery,
  TraceFilters,
  widenTimeRange,
} from '../Filters';
import { QueryBox } from './QueryBox';
import { TraceList } from './TraceList';
import { UnknownServices } from './UnknownServices';
import { ROW_HEIGHT } from './TraceListRow';
import type { TraceSort } from './traceSort';
import { useRootServiceOwners } from './useRootServiceOwners';

export interface TraceSearchResultsProps {
  /**
   * Scopes to this entity's services; unscoped (traces.query) without, and then each row
   * names the owner of its root service.
   */
  entityRef?: string;
  filters: TraceFilters;
  /** The resolved time range of `filters.timeRange`. */
  range: TimeRange;
  nowMs: number;
  sort: TraceSort;
  onSortChange: (sort: TraceSort) => void;
  onOpenTrace: (traceId: string) => void;
  selectedTraceId?: string;
  /** Applies new filters, e.g. a wider time range from the empty state. */
  onFiltersChange: (filters: TraceFilters) => void;
  grafana?: GrafanaSettings;
  /** Changing it re-runs the search (the Refresh button). */
  refreshKey?: number;
  /** Offers to pick two traces and compare them (A is the one picked first). */
  onCompareTraces?: (traceIdA: string, traceIdB: string) => void;
}

/** Runs the search for the filters and shows the list, or why there is none. */
export function TraceSearchResults(props: TraceSearchResultsProps) {
  const { entityRef, filters, range, nowMs, grafana, onFiltersChange } = props;
  const api = useApi(tracesApiRef);
  const query = searchQuery(filters);

  const search = useAsyncRetry(
    () =>
      api.searchTraces({
        entityRef,
        query,
        start: range.start,
        end: range.end,
        limit: filters.limit,
        environment: filters.environment,
      }),
    [
      api,
      entityRef,
      query,
      range.start,
      range.end,
      filters.limit,
      filters.environment,
      props.refreshKey,
    ],
  );
  const rootOwners = useRootServiceOwners(search.value?.traces, !entityRef);
  const [picked, setPicked] = useState<string[]>([]);
  const { onCompareTraces } = props;

  if (search.error) {
    return (
      <Box
        sx={{ display: 'grid', gap: 1, gridTemplateColumns: 'minmax(0, 1fr)' }}
      >
        <ResponseErrorPanel
          title={`Trace search failed: ${errorMessage(search.error)}`}
          error={search.error}
        />
        <Box>
          <Button variant="outlined" onClick={search.retry}>
            Try again
          </Button>
        </Box>
      </Box>
    );
  }

  if (!search.value) {
    return <ListSkeleton />;
  }

  const response = search.value;
  const { traces } = response;
  const wider = widenTimeRange(filters.timeRange);
  const widenButton = wider ? (
    <Button
      variant="contained"
      onClick={() => onFiltersChange({ ...filters, timeRange: wider })}
    >
      Widen to {describeTimeRange(wider).replace(/^Last/, 'last')}
    </Button>
  ) : undefined;

  const noTraces = response.unknownServices ? (
    <UnknownServices
      unknown={response.unknownServices}
      rangeLabel={describeTimeRange(filters.timeRange).toLowerCase()}
      action={widenButton}
    />
  ) : (
    <EmptyState
      missing="data"
      title="No traces found"
      description={`No traces matched in ${describeTimeRange(
        filters.timeRange,
      ).toLowerCase()}. Traces may be sampled or retained for a limited time; try a wider time range${
        hasNarrowingFilters(filters) ? ' or fewer filters' : ''
      }.`}
      action={
        <Box sx={{ display: 'flex', gap: 1 }}>
          {widenButton}
          {hasNarrowingFilters(filters) && (
            <Button
              variant="outlined"
              onClick={() =>
                onFiltersChange({
                  ...filters,
                  errorsOnly: false,
                  minDuration: undefined,
                  maxDuration: undefined,
                  httpRoute: undefined,
                  spanName: undefined,
                  traceql: undefined,
                })
              }
            >
              Clear filters
            </Button>
          )}
        </Box>
      }
    />
  );

  return (
    <Box
      sx={{ display: 'grid', gap: 1.5, gridTemplateColumns: 'minmax(0, 1fr)' }}
    >
      <QueryBox
        query={response.query}
        range={{ start: response.start, end: response.end }}
        limit={response.limit}
        grafana={grafana}
      />
      <Box sx={{ height: 4 }}>
        {search.loading && <LinearProgress aria-label="Updating traces" />}
      </Box>
      {traces.length === 0 ? (
        noTraces
      ) : (
        <>
          <Typography variant="body2" color="text.secondary" role="status">
            {traces.length} trace{traces.length === 1 ? '' : 's'} ·{' '}
            {describeTimeRange(filters.timeRange)}
            {traces.length >= response.limit &&
              ` · showing the first ${response.limit}; narrow the filters or raise "Max results" to see more`}
          </Typography>
          {onCompareTraces && (
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
              <Button
                variant="outlined"
                size="small"
                disabled={picked.length !== 2}
                onClick={() => onCompareTraces(picked[0], picked[1])}
              >
                Compare
                {picked.length === 2 ? '' : ` (${picked.length} of 2 picked)`}
              </Button>
              {picked.length > 0 && (
                <Button size="small" onClick={() => setPicked([])}>
                  Clear picks
                </Button>
              )}
              <Typography variant="caption" color="text.secondary">
                Tick two traces to compare them; the first one ticked is the
                baseline (A).
              </Typography>
            </Box>
          )}
          <TraceList
            traces={traces}
            sort={props.sort}
            onSortChange={props.onSortChange}
            onOpenTrace={props.onOpenTrace}
            selectedTraceId={props.selectedTraceId}
            nowMs={nowMs}
            rootOwners={rootOwners}
            compare={
              onCompareTraces && {
                picked,
                max: 2,
                onToggle: id =>
                  setPicked(current =>
                    current.includes(id)
                      ? current.filter(p => p !== id)
                      : [...current, id].slice(-2),
                  ),
              }
            }
          />
        </>
      )}
    </Box>
  );
}

function ListSkeleton() {
  return (
    <Box
      role="progressbar"
      aria-label="Loading traces"
      sx={{ display: 'grid', gap: 0.5, gridTemplateColumns: 'minmax(0, 1fr)' }}
    >
      <Skeleton variant="rounded" height={40} />
      {Array.from({ length: 8 }, (_, i) => (
        <Skeleton key={i} variant="rectangular" height={ROW_HEIGHT - 8} />
      ))}
    </Box>
  );
}
