import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useEffect, useState } from 'react';
import {
  PRESET_LABELS,
  TIME_RANGE_PRESETS,
  TimeRangePreset,
  TimeRangeSelection,
} from './filterState';
import { fromLocalInputValue, toLocalInputValue } from './localDateTime';

export interface TimeRangePickerProps {
  value: TimeRangeSelection;
  onChange: (value: TimeRangeSelection) => void;
  /** Epoch ms used to seed the custom inputs when switching from a preset. */
  nowMs: number;
}

const PRESET_MS: Record<TimeRangePreset, number> = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 24 * 3_600_000,
  '2d': 48 * 3_600_000,
  '7d': 168 * 3_600_000,
};

/** Preset time ranges, and a custom window entered as local date-times and applied explicitly. */
export function TimeRangePicker(props: TimeRangePickerProps) {
  const { value, onChange, nowMs } = props;
  const [customOpen, setCustomOpen] = useState(value.kind === 'custom');
  const initial =
    value.kind === 'custom'
      ? { from: value.fromMs, to: value.toMs }
      : { from: nowMs - PRESET_MS[value.preset], to: nowMs };
  const [from, setFrom] = useState(toLocalInputValue(initial.from));
  const [to, setTo] = useState(toLocalInputValue(initial.to));

  // follow URL changes (back button, "widen time range"), not mere re-renders
  const valueKey =
    value.kind === 'custom' ? `${value.fromMs}-${value.toMs}` : value.preset;
  useEffect(() => {
    if (value.kind === 'custom') {
      setCustomOpen(true);
      setFrom(toLocalInputValue(value.fromMs));
      setTo(toLocalInputValue(value.toMs));
    } else {
      setCustomOpen(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [valueKey]);

  const fromMs = fromLocalInputValue(from);
  const toMs = fromLocalInputValue(to);
  let rangeError: string | undefined;
  if (fromMs === undefined || toMs === undefined)
    rangeError = 'Enter both dates';
  else if (fromMs >= toMs) rangeError = '"From" must be before "To"';
  const unchanged =
    value.kind === 'custom' && value.fromMs === fromMs && value.toMs === toMs;

  return (
    <Box
      sx={{
        display: 'flex',
        gap: 1,
        alignItems: 'flex-start',
        flexWrap: 'wrap',
      }}
    >
      <TextField
        select
        size="small"
        label="Time range"
        value={!customOpen && value.kind === 'preset' ? value.preset : 'custom'}
        onChange={e => {
          const next = e.target.value;
          if (next === 'custom') {
            setCustomOpen(true);
          } else {
            setCustomOpen(false);
            onChange({ kind: 'preset', preset: next as TimeRangePreset });
          }
        }}
        sx={{ minWidth: 170 }}
      >
        {TIME_RANGE_PRESETS.map(preset => (
          <MenuItem key={preset} value={preset}>
            {PRESET_LABELS[preset]}
          </MenuItem>
        ))}
        <MenuItem value="custom">Custom range…</MenuItem>
      </TextField>
      {customOpen && (
        <Box
          component="form"
          aria-label="Custom time range"
          onSubmit={e => {
            e.preventDefault();
            if (!rangeError && fromMs !== undefined && toMs !== undefined) {
              onChange({ kind: 'custom', fromMs, toMs });
            }
          }}
          sx={{ display: 'flex', gap: 1, alignItems: 'flex-start' }}
        >
          <TextField
            type="datetime-local"
            size="small"
            label="From"
            value={from}
            onChange={e => setFrom(e.target.value)}
            InputLabelProps={{ shrink: true }}
            error={Boolean(rangeError)}
            helperText={rangeError}
          />
          <TextField
            type="datetime-local"
            size="small"
            label="To"
            value={to}
            onChange={e => setTo(e.target.value)}
            InputLabelProps={{ shrink: true }}
            error={Boolean(rangeError)}
          />
          <Button
            type="submit"
            variant="outlined"
            disabled={Boolean(rangeError) || unchanged}
            sx={{ height: 40 }}
          >
            Apply range
          </Button>
        </Box>
      )}
    </Box>
  );
}
