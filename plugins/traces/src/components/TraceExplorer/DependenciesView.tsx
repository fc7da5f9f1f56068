import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { TimeRangePicker } from '../Filters';
import { ServiceGraph } from '../ServiceGraph';
import type { useTraceSearchUrlState } from './useTraceSearchUrlState';

/**
 * The dependency graph around an entity's services (or a System's components) with its time
 * range and refresh, on the URL state of the trace search (`useTraceSearchUrlState`).
 */
export function DependenciesView(props: {
  entityRef: string;
  state: ReturnType<typeof useTraceSearchUrlState>;
  /** The mark on the compared services' cards (default "this entity"). */
  ownLabel?: string;
}) {
  const { filters, range, nowMs, refreshes, refresh, setFilters } = props.state;
  return (
    <>
      <Box
        sx={{
          display: 'flex',
          flexWrap: 'wrap',
          gap: 1,
          alignItems: 'flex-start',
        }}
      >
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
        entityRef={props.entityRef}
        range={range}
        refreshKey={refreshes}
        ownLabel={props.ownLabel}
      />
    </>
  );
}
