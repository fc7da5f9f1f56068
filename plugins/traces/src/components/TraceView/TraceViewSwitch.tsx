import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';

/** The trace's views: the span waterfall, the flame graph and the span statistics. */
export type TraceViewKind = 'waterfall' | 'flame' | 'statistics';

const LABELS: Record<TraceViewKind, string> = {
  waterfall: 'Waterfall',
  flame: 'Flame graph',
  statistics: 'Statistics',
};

export function TraceViewSwitch(props: {
  value: TraceViewKind;
  onChange: (view: TraceViewKind) => void;
}) {
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={props.value}
      onChange={(_event, view: TraceViewKind | null) => {
        if (view) props.onChange(view);
      }}
      aria-label="Trace view"
    >
      {(Object.keys(LABELS) as TraceViewKind[]).map(view => (
        <ToggleButton
          key={view}
          value={view}
          sx={{ textTransform: 'none', px: 1.5 }}
        >
          {LABELS[view]}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}
