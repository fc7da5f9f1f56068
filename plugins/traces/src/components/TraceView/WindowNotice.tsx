import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import type { TraceWindow } from '@backstage-traces/plugin-traces-common';
import { errorMessage } from '../../api';
import type { WaterfallModel } from './waterfallModel';
import type { TraceWindows } from './useTraceWindows';

export interface WindowNoticeProps {
  window: TraceWindow;
  model: WaterfallModel;
  windows: TraceWindows;
}

/**
 * Says what of a large trace is loaded and what is not, and how to load more; reports a
 * subtree that failed to load, with a retry.
 */
export function WindowNotice({ window, model, windows }: WindowNoticeProps) {
  const notLoaded = window.totalSpans - model.size;
  const errorsNotLoaded = Math.max(0, window.errorCount - model.errorCount);
  const failed = windows.error;
  const failedRow = failed && model.indexOf(failed.spanId);
  const failedName =
    failedRow === undefined ? failed?.spanId : model.spans[failedRow].name;
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
      <Alert severity="info" variant="outlined" data-testid="trace-window">
        <AlertTitle>
          Large trace: {model.size.toLocaleString()} of{' '}
          {window.totalSpans.toLocaleString()} spans loaded
        </AlertTitle>
        Loaded first: the top levels, the critical path and the spans with
        errors, each with its parents.{' '}
        {notLoaded > 0 && (
          <>
            {notLoaded.toLocaleString()} spans
            {errorsNotLoaded > 0 &&
              ` (${errorsNotLoaded.toLocaleString()} with errors)`}{' '}
            are not loaded yet: rows marked “+N not loaded” load the spans below
            them, children first, up to {window.windowSpans.toLocaleString()} at
            a time.{' '}
          </>
        )}
        Search, filters, the minimap and the service legend cover the loaded
        spans only; the critical path is the whole trace’s.
      </Alert>
      {failed && (
        <Alert
          severity="error"
          action={
            <Button
              color="inherit"
              size="small"
              onClick={() => windows.load(failed.spanId)}
            >
              Try again
            </Button>
          }
        >
          Could not load the spans below {failedName}:{' '}
          {errorMessage(failed.error)}
        </Alert>
      )}
    </Box>
  );
}
