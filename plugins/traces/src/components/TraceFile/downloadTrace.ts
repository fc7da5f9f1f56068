import {
  traceToOtlpJson,
  type Trace,
} from '@backstage-traces/plugin-traces-common';

/** `trace-<id>.otlp.json`: names the trace and says what is inside. */
export function traceFileName(trace: Trace): string {
  return `trace-${trace.traceId}.otlp.json`;
}

/** The trace as the user sees it (redacted, the loaded spans) as OTLP JSON text. */
export function traceAsOtlpJson(trace: Trace): string {
  return JSON.stringify(traceToOtlpJson(trace));
}

/** Saves the trace as an OTLP JSON file through the browser's download. */
export function downloadTrace(trace: Trace): void {
  const url = URL.createObjectURL(
    new Blob([traceAsOtlpJson(trace)], { type: 'application/json' }),
  );
  const link = document.createElement('a');
  link.href = url;
  link.download = traceFileName(trace);
  link.click();
  // After the click has started the download: revoking at once can cancel it in Firefox.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
