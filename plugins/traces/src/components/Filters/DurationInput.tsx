import TextField from '@mui/material/TextField';
import { useEffect, useState } from 'react';
import { isValidDuration } from './filterState';

export interface DurationInputProps {
  label: string;
  value?: string;
  onChange: (value: string | undefined) => void;
  disabled?: boolean;
}

/**
 * A TraceQL duration (`250ms`, `1.5s`). Commits on Enter or blur, so typing does not start a
 * search per keystroke; an invalid value is shown inline and never sent.
 */
export function DurationInput(props: DurationInputProps) {
  const { label, value, onChange, disabled } = props;
  const [draft, setDraft] = useState(value ?? '');
  useEffect(() => setDraft(value ?? ''), [value]);

  const trimmed = draft.trim();
  const invalid = trimmed !== '' && !isValidDuration(trimmed);
  const commit = () => {
    if (invalid) return;
    const next = trimmed || undefined;
    if (next !== value) onChange(next);
  };

  return (
    <TextField
      size="small"
      label={label}
      placeholder="e.g. 250ms"
      value={draft}
      disabled={disabled}
      error={invalid}
      helperText={invalid ? 'Use a duration like 250ms, 1.5s or 2m' : undefined}
      onChange={e => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={e => {
        if (e.key === 'Enter') commit();
      }}
      // Wide enough for the whole label ("Max span duration") at the theme's font size.
      sx={{ width: 176 }}
    />
  );
}
