import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { TRACES_SERVICE_NAME_ANNOTATION } from '@backstage-traces/plugin-traces-common';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMemo, useState, type ReactNode } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { errorMessage, tracesApiRef } from '../../api';
import { PRESET_LABELS, type TimeRangePreset } from '../Filters';
import { useQuery } from '../TraceExplorer/useTraceUrlState';
import { TeamComponentsTable } from './TeamComponentsTable';
import { TeamNotes } from './TeamNotes';
import { TeamOperationsTable } from './TeamOperationsTable';

/** TraceQL metrics cover at most 24 hours by default (Tempo's limit). */
const RANGES: TimeRangePreset[] = ['15m', '1h', '6h', '24h'];
const RANGE_SECONDS: Record<string, number> = {
  '15m': 900,
  '1h': 3600,
  '6h': 6 * 3600,
  '24h': 24 * 3600,
};
const DEFAULT_RANGE: TimeRangePreset = '1h';

function Section(props: { title: string; children: ReactNode }) {
  return (
    <Paper variant="outlined" sx={{ p: 2 }}>
      <Typography variant="h6" component="h3" gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </Paper>
  );
}

/**
 * The team view: the traced components of a group (through its child groups) with request
 * rate, error rate and p95, and the slowest and most erroring operations across them. One
 * backend call; the backend sends a fixed number of metrics queries for all components.
 */
export function TeamTracesContent(props: { entityRef: string }) {
  const api = useApi(tracesApiRef);
  const { search, update } = useQuery();
  const requested = new URLSearchParams(search).get('range') ?? '';
  const preset = (RANGES as string[]).includes(requested)
    ? (requested as TimeRangePreset)
    : DEFAULT_RANGE;
  const [refreshes, setRefreshes] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const end = useMemo(() => Math.ceil(Date.now() / 1000), [preset, refreshes]);
  const start = end - RANGE_SECONDS[preset];
  const team = useAsync(
    () => api.getTeamTraces({ entityRef: props.entityRef, start, end }),
    [api, props.entityRef, start, end],
  );
  // The components' tabs open on the same range.
  const tabParams = new URLSearchParams({ range: preset });

  return (
    <Box sx={{ display: 'grid', gap: 2 }}>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center' }}>
        <TextField
          select
          size="small"
          label="Time range"
          value={preset}
          onChange={event =>
            update(params => {
              params.set('range', event.target.value);
              return params;
            })
          }
        >
          {RANGES.map(range => (
            <MenuItem key={range} value={range}>
              {PRESET_LABELS[range]}
            </MenuItem>
          ))}
        </TextField>
        <Button onClick={() => setRefreshes(n => n + 1)}>Refresh</Button>
      </Box>
      {team.loading && <Progress />}
      {team.error && (
        <ResponseErrorPanel
          title={`Could not load the team's traces: ${errorMessage(
            team.error,
          )}`}
          error={team.error}
        />
      )}
      {team.value && team.value.components.length === 0 && (
        <EmptyState
          missing="data"
          title="No traced components"
          description={`Neither this group nor its child groups own a component you may read with the ${TRACES_SERVICE_NAME_ANNOTATION} annotation.`}
        />
      )}
      {team.value && <TeamNotes team={team.value} />}
      {team.value && team.value.components.length > 0 && (
        <>
          <Section title="Components">
            <TeamComponentsTable
              components={team.value.components}
              tabParams={tabParams}
            />
          </Section>
          <Box
            sx={{
              display: 'grid',
              gap: 2,
              gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' },
            }}
          >
            <Section title="Slowest operations">
              <TeamOperationsTable
                label="Slowest operations"
                operations={team.value.slowestOperations}
                emptyMessage="No requests in this range."
                tabParams={tabParams}
              />
            </Section>
            <Section title="Most erroring operations">
              <TeamOperationsTable
                label="Most erroring operations"
                operations={team.value.mostErroringOperations}
                emptyMessage="No failed requests in this range."
                tabParams={tabParams}
                errorsOnly
              />
            </Section>
          </Box>
        </>
      )}
    </Box>
  );
}
