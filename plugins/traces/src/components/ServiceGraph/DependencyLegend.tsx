import type { DependencyState } from '@backstage-traces/plugin-traces-common';
import Box from '@mui/material/Box';
import { useTheme } from '@mui/material/styles';
import Typography from '@mui/material/Typography';
import {
  DEPENDENCY_STATE_LABELS,
  DEPENDENCY_STATES,
  NOT_SEEN_DASH,
} from './dependencyState';

/** A short stroke drawn as the graph draws edges of that state. */
function Sample(props: { state: DependencyState }) {
  const theme = useTheme();
  const stroke = theme.palette.text.secondary;
  return (
    <svg width={34} height={12} aria-hidden style={{ flex: 'none' }}>
      {props.state === 'observed-not-declared' && (
        <line
          x1={4}
          y1={6}
          x2={30}
          y2={6}
          stroke={theme.palette.info.main}
          strokeWidth={9}
          strokeOpacity={0.35}
          strokeLinecap="round"
        />
      )}
      <line
        x1={4}
        y1={6}
        x2={30}
        y2={6}
        stroke={stroke}
        strokeOpacity={0.8}
        strokeWidth={props.state === 'declared-not-seen' ? 1.5 : 2.5}
        strokeDasharray={
          props.state === 'declared-not-seen' ? NOT_SEEN_DASH : undefined
        }
      />
    </svg>
  );
}

/** What the edge styles of the graph mean against the catalog, with how many of each. */
export function DependencyLegend(props: {
  counts: Record<DependencyState, number>;
}) {
  return (
    <Box
      role="list"
      aria-label="Dependency legend"
      sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'center' }}
    >
      {DEPENDENCY_STATES.map(state => (
        <Box
          key={state}
          role="listitem"
          sx={{ display: 'flex', gap: 0.75, alignItems: 'center' }}
        >
          <Sample state={state} />
          <Typography variant="caption">
            {DEPENDENCY_STATE_LABELS[state]} ({props.counts[state]})
          </Typography>
        </Box>
      ))}
    </Box>
  );
}
