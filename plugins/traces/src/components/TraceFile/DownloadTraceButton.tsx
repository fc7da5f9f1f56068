import Button from '@mui/material/Button';
import type { Trace } from '@backstage-traces/plugin-traces-common';
import { downloadTrace } from './downloadTrace';

/**
 * Downloads the trace as OTLP JSON, to attach to an incident and open later (here, with
 * "Open trace from file", or in any tool that reads OTLP). Of a large trace loaded in windows,
 * the spans loaded so far.
 */
export function DownloadTraceButton(props: { trace: Trace }) {
  const { trace } = props;
  const loaded = trace.spans.length;
  const title =
    trace.spanCount > loaded
      ? `Download the ${loaded.toLocaleString()} loaded spans of ${trace.spanCount.toLocaleString()} as OTLP JSON`
      : 'Download the trace as OTLP JSON (as shown: redacted values stay redacted)';
  return (
    <Button
      size="small"
      variant="outlined"
      title={title}
      aria-label={title}
      onClick={() => downloadTrace(trace)}
    >
      Download
    </Button>
  );
}
