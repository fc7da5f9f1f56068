import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import {
  parseTraceIdParam,
  TRACE_ID_FORMAT,
} from '@backstage-traces/plugin-traces-common';

export interface CompareFormProps {
  traceIdA?: string;
  traceIdB?: string;
  onCompare: (traceIdA: string, traceIdB: string) => void;
}

/** Two trace IDs to compare, pasted or carried over from the trace list; A is the baseline. */
export function CompareForm(props: CompareFormProps) {
  const [a, setA] = useState(props.traceIdA ?? '');
  const [b, setB] = useState(props.traceIdB ?? '');
  useEffect(() => setA(props.traceIdA ?? ''), [props.traceIdA]);
  useEffect(() => setB(props.traceIdB ?? ''), [props.traceIdB]);
  const idA = parseTraceIdParam(a.trim());
  const idB = parseTraceIdParam(b.trim());
  const field = (
    label: string,
    value: string,
    set: (v: string) => void,
    valid: boolean,
  ) => (
    <TextField
      size="small"
      label={label}
      placeholder="Up to 32 hex characters"
      value={value}
      onChange={event => set(event.target.value)}
      error={value.trim() !== '' && !valid}
      helperText={
        value.trim() !== '' && !valid
          ? `A trace ID is ${TRACE_ID_FORMAT}`
          : undefined
      }
      inputProps={{ spellCheck: false, style: { fontFamily: 'monospace' } }}
      sx={{ width: 330 }}
    />
  );
  return (
    <Box
      component="form"
      role="search"
      aria-label="Compare two traces"
      onSubmit={event => {
        event.preventDefault();
        if (idA && idB) props.onCompare(idA, idB);
      }}
      sx={{
        display: 'flex',
        flexWrap: 'wrap',
        gap: 1,
        alignItems: 'flex-start',
      }}
    >
      {field('Trace A (baseline)', a, setA, Boolean(idA))}
      {field('Trace B', b, setB, Boolean(idB))}
      <Button
        onClick={() => {
          setA(b);
          setB(a);
        }}
        sx={{ height: 40 }}
      >
        Swap
      </Button>
      <Button
        type="submit"
        variant="contained"
        disabled={!idA || !idB}
        sx={{ height: 40 }}
      >
        Compare
      </Button>
    </Box>
  );
}
