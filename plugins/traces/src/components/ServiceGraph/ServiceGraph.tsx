import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { ServiceGraphResponse } from '@backstage-traces/plugin-traces-common';
import Box from '@mui/material/Box';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useEffect, useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { errorMessage, tracesApiRef, TimeRange } from '../../api';
import {
  ERROR_HEAVY_RATIO,
  ERROR_WARNING_RATIO,
  layoutServiceGraph,
} from './layoutServiceGraph';
import { ServiceGraphDiagram } from './ServiceGraphDiagram';
import { ServiceGraphTable } from './ServiceGraphTable';
import { formatPercent } from '../../lib/format';
import { DependencyLegend } from './DependencyLegend';
import { DependencyList } from './DependencyList';
import { DEPENDENCY_STATES } from './dependencyState';

export interface ServiceGraphProps {
  entityRef: string;
  range: TimeRange;
  /** Changing it reloads the graph. */
  refreshKey?: number;
  /** The mark on the compared services' cards (default "this entity"). */
  ownLabel?: string;
}

/** Where the edges came from, in the user's terms. */
export function describeGraphSource(graph: ServiceGraphResponse): string {
  if (graph.source === 'prometheus') {
    return 'From Tempo metrics-generator service graph metrics';
  }
  const n = graph.sampledTraces ?? 0;
  const pending = graph.pendingTraces
    ? `, ${graph.pendingTraces} more loading`
    : '';
  return `From ${n} sampled trace${
    n === 1 ? '' : 's'
  }${pending} (the metrics-generator service graph is not available)`;
}

/** Hops upstream and downstream the user can ask for (the backend's maximum). */
const DEPTHS = [1, 2, 3] as const;

/** A first answer from part of the sample is followed up this often, this soon. */
const MAX_FOLLOW_UPS = 2;
const FOLLOW_UP_MS = 1_500;

/**
 * Who calls the entity's services and whom they call, with volume, error rate and latency on
 * every edge and the owning catalog entity on every service.
 */
export function ServiceGraph(props: ServiceGraphProps) {
  const { entityRef, range, refreshKey, ownLabel } = props;
  const api = useApi(tracesApiRef);
  const [view, setView] = useState<'graph' | 'table'>('graph');
  const [depth, setDepth] = useState<number>(1);
  // The backend answers early from part of a trace sample (`pendingTraces`) and keeps
  // fetching the rest into its cache: ask again shortly for the graph of the whole sample.
  const [followUp, setFollowUp] = useState(0);
  useEffect(
    () => setFollowUp(0),
    [entityRef, range.start, range.end, refreshKey, depth],
  );
  const graph = useAsync(
    () =>
      api.getServiceGraph({
        entityRef,
        start: range.start,
        end: range.end,
        depth,
      }),
    [api, entityRef, range.start, range.end, refreshKey, depth, followUp],
  );
  const pending = graph.value?.pendingTraces ?? 0;
  useEffect(() => {
    if (!pending || followUp >= MAX_FOLLOW_UPS) return undefined;
    const timer = setTimeout(() => setFollowUp(n => n + 1), FOLLOW_UP_MS);
    return () => clearTimeout(timer);
  }, [pending, followUp]);
  const layout = useMemo(
    () => (graph.value ? layoutServiceGraph(graph.value) : undefined),
    [graph.value],
  );

  // A follow-up keeps the first answer on screen while it loads.
  if (graph.loading && !(followUp > 0 && graph.value)) return <Progress />;
  if (graph.error) {
    return (
      <ResponseErrorPanel
        title={`Service graph failed: ${errorMessage(graph.error)}`}
        error={graph.error}
      />
    );
  }
  if (!graph.value || !layout) return null;

  const callers = layout.nodes.filter(n => n.distance < 0).length;
  const callees = layout.nodes.filter(n => n.distance > 0).length;
  // Edges drawn for declared dependencies without calls are not calls.
  const calls = layout.edges.filter(e => e.edge.observed !== false);
  const comparison = graph.value.dependencies;
  const counts = Object.fromEntries(
    DEPENDENCY_STATES.map(state => [
      state,
      comparison?.dependencies.filter(d => d.state === state).length ?? 0,
    ]),
  ) as Record<(typeof DEPENDENCY_STATES)[number], number>;

  return (
    <Box
      component="section"
      aria-label="Service dependencies"
      sx={{ display: 'grid', gap: 1.5 }}
    >
      <Box
        sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap' }}
      >
        <Typography
          variant="body2"
          color="text.secondary"
          sx={{ flex: 1, minWidth: 240 }}
        >
          {describeGraphSource(graph.value)} · {callers} caller
          {callers === 1 ? '' : 's'}, {callees} downstream service
          {callees === 1 ? '' : 's'}
        </Typography>
        <Typography variant="caption" color="text.secondary">
          Edge colour:{' '}
          <Box component="span" sx={{ color: 'warning.main' }}>
            ≥ {formatPercent(ERROR_WARNING_RATIO)}
          </Box>{' '}
          /{' '}
          <Box component="span" sx={{ color: 'error.main' }}>
            ≥ {formatPercent(ERROR_HEAVY_RATIO)}
          </Box>{' '}
          errors · width: call volume
        </Typography>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={depth}
          onChange={(_e, next) => next && setDepth(next)}
          aria-label="Hops upstream and downstream"
        >
          {DEPTHS.map(n => (
            <ToggleButton key={n} value={n}>
              {n} hop{n === 1 ? '' : 's'}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={view}
          onChange={(_e, next) => next && setView(next)}
          aria-label="Dependencies view"
        >
          <ToggleButton value="graph">Graph</ToggleButton>
          <ToggleButton value="table">Table</ToggleButton>
        </ToggleButtonGroup>
      </Box>
      {comparison && view === 'graph' && layout.edges.length > 0 && (
        <DependencyLegend counts={counts} />
      )}
      {calls.length === 0 && (
        <EmptyState
          missing="data"
          title="No calls observed"
          description="No calls to or from these services were recorded in the time range. Try a wider time range."
        />
      )}
      {layout.edges.length > 0 && view === 'graph' && (
        <ServiceGraphDiagram layout={layout} ownLabel={ownLabel} />
      )}
      {calls.length > 0 && view === 'table' && (
        <ServiceGraphTable edges={calls} />
      )}
      {comparison && (
        <Box
          component="section"
          aria-label="Declared and observed dependencies"
          sx={{ display: 'grid', gap: 1 }}
        >
          <Typography variant="h6" component="h3">
            Declared in the catalog vs observed in traces
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {counts['declared-and-observed']} declared and observed ·{' '}
            {counts['observed-not-declared']} observed, not declared ·{' '}
            {counts['declared-not-seen']} declared, not seen. Declared means{' '}
            <code>spec.dependsOn</code>, or an API consumed that the other side
            provides.
          </Typography>
          <DependencyList
            comparison={comparison}
            range={graph.value}
            nowMs={Date.now()}
          />
        </Box>
      )}
    </Box>
  );
}
