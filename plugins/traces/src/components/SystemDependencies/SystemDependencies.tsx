import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import {
  DependenciesView,
  TracesBackendGate,
  useTraceSearchUrlState,
} from '../TraceExplorer';

/**
 * The dependencies of a System's components, declared in the catalog against observed in
 * traces: one graph around all their services, one list of every dependency with its state.
 */
export function SystemDependencies() {
  const { entity } = useEntity();
  const state = useTraceSearchUrlState();
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
        <DependenciesView
          entityRef={stringifyEntityRef(entity)}
          state={state}
          ownLabel="in this system"
        />
      </Box>
    </TracesBackendGate>
  );
}
