import {
  parseTraceIdParam,
  TRACE_ID_FORMAT,
} from '@backstage-traces/plugin-traces-common';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import { useState } from 'react';

export interface TraceIdLookupProps {
  onOpen: (traceId: string) => void;
}

/** Opens a trace by ID, e.g. one copied from a log line or an error report. */
export function TraceIdLookup(props: TraceIdLookupProps) {
  const [value, setValue] = useState('');
  const [touched, setTouched] = useState(false);
  const id = value.trim();
  // Tempo's search and Grafana strip leading zeros; the padded ID is what opens
  const traceId = parseTraceIdParam(id);
  const invalid = id !== '' && !traceId;

  return (
    <Box
      component="form"
      role="search"
      aria-label="Open a trace by ID"
      onSubmit={e => {
        e.preventDefault();
        setTouched(true);
        if (traceId) {
          props.onOpen(traceId);
          setValue('');
          setTouched(false);
        }
      }}
      sx={{ display: 'flex', gap: 1, alignItems: 'flex-start' }}
    >
      <TextField
        size="small"
        label="Trace ID"
        placeholder="Up to 32 hex characters"
        value={value}
        onChange={e => setValue(e.target.value)}
        onBlur={() => setTouched(true)}
        error={touched && invalid}
        helperText={
          touched && invalid ? `A trace ID is ${TRACE_ID_FORMAT}` : undefined
        }
        inputProps={{ spellCheck: false, style: { fontFamily: 'monospace' } }}
        sx={{ width: 300 }}
      />
      <Button
        type="submit"
        variant="outlined"
        disabled={!id}
        sx={{ height: 40 }}
      >
        Open trace
      </Button>
    </Box>
  );
}
