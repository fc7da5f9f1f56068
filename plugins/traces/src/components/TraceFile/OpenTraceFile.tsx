import { useRef, useState, type DragEvent } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { readTraceFile, type OpenedTraceFile } from './readTraceFile';
import { TraceFileDialog } from './TraceFileDialog';

/**
 * "Open trace from file": pick a file or drop one on the button's area. OTLP JSON (ours, the
 * collector's file exporter), Tempo's trace JSON and Jaeger UI's download are read in the
 * browser and shown in the trace view; nothing is sent to the backend.
 */
export function OpenTraceFile() {
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [reading, setReading] = useState(false);
  const [error, setError] = useState<{ name: string; message: string }>();
  const [opened, setOpened] = useState<OpenedTraceFile>();

  const open = async (file: File | undefined) => {
    if (!file) return;
    setError(undefined);
    setReading(true);
    try {
      setOpened(await readTraceFile(file));
    } catch (e) {
      setError({ name: file.name, message: (e as Error).message });
    } finally {
      setReading(false);
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    open(event.dataTransfer.files[0]);
  };

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
      <Box
        data-testid="trace-file-drop"
        onDragOver={event => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        sx={{
          display: 'flex',
          alignItems: 'center',
          gap: 1,
          px: 1,
          py: 0.5,
          border: 1,
          borderStyle: 'dashed',
          borderRadius: 1,
          borderColor: dragging ? 'primary.main' : 'divider',
          bgcolor: dragging ? 'action.hover' : undefined,
        }}
      >
        <Button
          variant="outlined"
          onClick={() => input.current?.click()}
          disabled={reading}
        >
          {reading ? 'Reading…' : 'Open trace from file'}
        </Button>
        <Typography variant="caption" color="textSecondary">
          or drop an OTLP, Tempo or Jaeger JSON file here
        </Typography>
        <input
          ref={input}
          type="file"
          accept=".json,.jsonl,.ndjson,application/json"
          aria-label="Trace file"
          hidden
          onChange={event => {
            open(event.target.files?.[0]);
            // the same file may be picked again after it was closed
            event.target.value = '';
          }}
        />
      </Box>
      {error && (
        <Alert severity="error" onClose={() => setError(undefined)}>
          Could not open {error.name}: {error.message}
        </Alert>
      )}
      {opened && (
        <TraceFileDialog
          file={opened}
          onChange={setOpened}
          onClose={() => setOpened(undefined)}
        />
      )}
    </Box>
  );
}
