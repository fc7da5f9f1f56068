import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { TimeRangePicker } from '../Filters';
import { ServiceGraph } from '../ServiceGraph';
import { TracesBackendGate, useTraceSearchUrlState } from '../TraceExplorer';

/**
 * The dependencies of a System's components, declared in the catalog against observed in
 * traces: one graph around all their services, one list of every dependency with its state.
 */
export function SystemDependencies() {
  const { entity } = useEntity();
  const { filters, range, nowMs, refreshes, refresh, setFilters } =
    useTraceSearchUrlState();
  return (
    <TracesBackendGate>
      <Box
        sx={{ display: 'grid', gap: 2, gridTemplateColumns: 'minmax(0, 1fr)' }}
      >
        <Typography variant="body2" color="text.secondary">
          The calls of this system’s components (those with an{' '}
          <code>opentelemetry.io/service-name</code> annotation), compared with
          the dependencies their catalog entries declare.
        </Typography>
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
          entityRef={stringifyEntityRef(entity)}
          range={range}
          refreshKey={refreshes}
          ownLabel="in this system"
        />
      </Box>
    </TracesBackendGate>
  );
}
