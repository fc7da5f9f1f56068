import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useRef } from 'react';
import { TraceViewContent } from '../TraceView/TraceViewContent';
import { openTraceText, type OpenedTraceFile } from './readTraceFile';

export interface TraceFileDialogProps {
  file: OpenedTraceFile;
  /** Another trace of the same file was picked. */
  onChange: (file: OpenedTraceFile) => void;
  onClose: () => void;
}

/**
 * A trace read from a file, in the trace view, over the page: labelled with the file it came
 * from, with no logs (they are in the log store, not in the file) and nothing loaded from the
 * backend.
 */
export function TraceFileDialog(props: TraceFileDialogProps) {
  const { file, onClose } = props;
  const { traces, format } = file.parsed;
  // Escape first closes the span panel (the trace view's own key), then the dialog: whether
  // a span was selected is noted before the trace view handles the key.
  const selected = useRef<string>();
  const selectedAtEscape = useRef<string>();
  return (
    <Dialog
      open
      fullScreen
      onClose={(_event, reason) => {
        const spanWasOpen = selectedAtEscape.current;
        selectedAtEscape.current = undefined;
        if (reason === 'escapeKeyDown' && spanWasOpen) return;
        onClose();
      }}
      PaperProps={{ 'aria-label': `Trace from file ${file.name}` }}
    >
      <DialogContent
        onKeyDownCapture={() => {
          selectedAtEscape.current = selected.current;
        }}
        sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}
      >
        <Alert severity="info" sx={{ alignItems: 'center' }}>
          <Box
            sx={{
              display: 'flex',
              gap: 2,
              alignItems: 'center',
              flexWrap: 'wrap',
            }}
          >
            <span>
              From file <strong>{file.name}</strong> ({format}). Read in the
              browser; nothing was sent to the server.
            </span>
            {traces.length > 1 && (
              <TextField
                select
                size="small"
                label={`${traces.length} traces in the file`}
                value={file.trace.traceId}
                onChange={event =>
                  props.onChange(
                    openTraceText(file.name, file.text, event.target.value),
                  )
                }
                sx={{ minWidth: 320 }}
              >
                {traces.map(t => (
                  <MenuItem key={t.traceId} value={t.traceId}>
                    <Box component="span" sx={{ fontFamily: 'monospace' }}>
                      {t.traceId}
                    </Box>
                    &nbsp;({t.spans.toLocaleString()} spans)
                  </MenuItem>
                ))}
              </TextField>
            )}
          </Box>
        </Alert>
        <TraceViewContent
          key={file.trace.traceId}
          trace={file.trace}
          logsOff="Logs are not part of a trace file"
          onSelectSpan={spanId => {
            selected.current = spanId;
          }}
          onClose={onClose}
        />
      </DialogContent>
    </Dialog>
  );
}
