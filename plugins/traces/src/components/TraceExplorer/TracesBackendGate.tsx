import {
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@mui/material/Box';
import { ReactNode } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { errorMessage, tracesApiRef, TracesHealthProvider } from '../../api';
import { TempoNotConfigured } from './TempoNotConfigured';

/**
 * Renders its children once the traces backend answers: explains a backend without a trace
 * store instead of failing every query, and warns above the children while the store (the
 * health answer names it: Tempo, or one a backend module installed) is down. The
 * answer is provided to the children (`useTracesHealth`), e.g. so that no logs are asked for
 * when there is no log store.
 */
export function TracesBackendGate(props: { children: ReactNode }) {
  const api = useApi(tracesApiRef);
  const health = useAsync(() => api.health(), [api]);

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
  const traces = health.value?.traces;
  if (traces?.status === 'disabled') {
    return <TempoNotConfigured message={traces.message} />;
  }
  return (
    <TracesHealthProvider value={health.value}>
      <Box
        sx={{ display: 'grid', gap: 2, gridTemplateColumns: 'minmax(0, 1fr)' }}
      >
        {traces?.status === 'down' && (
          <WarningPanel
            severity="warning"
            title={`${traces.store} is not responding`}
            message={
              traces.message ??
              'Searches and metrics may fail until it is back.'
            }
          />
        )}
        {props.children}
      </Box>
    </TracesHealthProvider>
  );
}
