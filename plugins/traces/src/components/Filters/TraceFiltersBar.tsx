import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Collapse from '@mui/material/Collapse';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import { useEffect, useState } from 'react';
import type { TimeRange } from '../../api';
import { DurationInput } from './DurationInput';
import { EnvironmentPicker } from './EnvironmentPicker';
import { LIMIT_OPTIONS, TraceFilters } from './filterState';
import { filtersQuery } from './searchQuery';
import { TagValuePicker } from './TagValuePicker';
import { TimeRangePicker } from './TimeRangePicker';
import { TraceQLEditor } from './TraceQLEditor';

export interface TraceFiltersBarProps {
  filters: TraceFilters;
  onChange: (filters: TraceFilters) => void;
  /** Scopes to this entity's services; unscoped (traces.query) without. */
  entityRef?: string;
  /** The resolved time range of the current search (scopes the value suggestions). */
  range: TimeRange;
  /** When presets were last resolved, epoch ms. */
  nowMs: number;
  /** Re-runs the search, resolving relative time ranges against the current time. */
  onRefresh: () => void;
}

/** The search form of the Traces tab. Every change goes to the URL through `onChange`. */
export function TraceFiltersBar(props: TraceFiltersBarProps) {
  const { filters, onChange, entityRef, range, nowMs, onRefresh } = props;
  const set = (patch: Partial<TraceFilters>) =>
    onChange({ ...filters, ...patch });
  const advanced = Boolean(filters.traceql);
  const [showEditor, setShowEditor] = useState(advanced);
  useEffect(() => {
    if (advanced) setShowEditor(true);
  }, [advanced]);

  return (
    <Box
      component="section"
      aria-label="Trace search filters"
      sx={{ display: 'grid', gap: 1.5, gridTemplateColumns: 'minmax(0, 1fr)' }}
    >
      <Box
        sx={{
          display: 'flex',
          gap: 1,
          flexWrap: 'wrap',
          alignItems: 'flex-start',
        }}
      >
        <TimeRangePicker
          value={filters.timeRange}
          nowMs={nowMs}
          onChange={timeRange => set({ timeRange })}
        />
        <EnvironmentPicker
          value={filters.environment}
          onChange={environment => set({ environment })}
          entityRef={entityRef}
          range={range}
        />
        <TextField
          select
          size="small"
          label="Max results"
          value={filters.limit}
          onChange={e => set({ limit: Number(e.target.value) })}
          sx={{ width: 120 }}
        >
          {[...new Set([...LIMIT_OPTIONS, filters.limit])]
            .sort((a, b) => a - b)
            .map(limit => (
              <MenuItem key={limit} value={limit}>
                {limit}
              </MenuItem>
            ))}
        </TextField>
        <Button variant="outlined" onClick={onRefresh} sx={{ height: 40 }}>
          Refresh
        </Button>
        <Button
          onClick={() => setShowEditor(v => !v)}
          aria-expanded={showEditor}
          sx={{ height: 40 }}
        >
          {showEditor ? 'Hide TraceQL' : 'TraceQL'}
        </Button>
      </Box>

      <Box
        sx={{
          display: 'flex',
          gap: 1,
          flexWrap: 'wrap',
          alignItems: 'flex-start',
        }}
      >
        <FormControlLabel
          control={
            <Switch
              checked={filters.errorsOnly}
              onChange={e => set({ errorsOnly: e.target.checked })}
              disabled={advanced}
            />
          }
          label="Errors only"
        />
        <DurationInput
          label="Min span duration"
          value={filters.minDuration}
          onChange={minDuration => set({ minDuration })}
          disabled={advanced}
        />
        <DurationInput
          label="Max span duration"
          value={filters.maxDuration}
          onChange={maxDuration => set({ maxDuration })}
          disabled={advanced}
        />
        <TagValuePicker
          label="HTTP route"
          tag="span.http.route"
          value={filters.httpRoute}
          onChange={httpRoute => set({ httpRoute })}
          entityRef={entityRef}
          range={range}
          disabled={advanced}
        />
        <TagValuePicker
          label="Span name"
          tag="name"
          value={filters.spanName}
          onChange={spanName => set({ spanName })}
          entityRef={entityRef}
          range={range}
          disabled={advanced}
        />
      </Box>

      {advanced && (
        <Alert severity="info" variant="outlined">
          Your TraceQL query is in effect; errors only, durations, route and
          span name are not applied. Time range, environment and max results
          still are.
        </Alert>
      )}

      <Collapse in={showEditor} unmountOnExit>
        <TraceQLEditor
          value={filters.traceql}
          onRun={traceql => set({ traceql })}
          filtersQuery={filtersQuery(filters)}
          entityRef={entityRef}
          range={range}
        />
      </Collapse>
    </Box>
  );
}
