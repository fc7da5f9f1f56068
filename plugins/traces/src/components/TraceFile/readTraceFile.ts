import {
  decodeCompactTrace,
  parseTraceFile,
  TraceFileError,
  type ParsedTraceFile,
  type Trace,
} from '@backstage-traces/plugin-traces-common';

/** Beyond this a file is not read: the browser would hold it several times over. */
export const MAX_TRACE_FILE_BYTES = 512 * 1024 * 1024;

export interface OpenedTraceFile {
  name: string;
  text: string;
  parsed: Omit<ParsedTraceFile, 'trace'>;
  trace: Trace;
}

/** Reads a picked or dropped file in the browser; nothing is sent anywhere. */
export async function readTraceFile(
  file: File,
  traceId?: string,
): Promise<OpenedTraceFile> {
  if (file.size > MAX_TRACE_FILE_BYTES) {
    throw new TraceFileError(
      `The file is ${Math.round(file.size / 1048576)} MB; files up to ${
        MAX_TRACE_FILE_BYTES / 1048576
      } MB are opened.`,
    );
  }
  return openTraceText(file.name, await readText(file), traceId);
}

/** The file's text through FileReader, which every browser (and jsdom) has. */
export function readText(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () =>
      reject(reader.error ?? new Error('The file could not be read'));
    reader.readAsText(blob);
  });
}

/** Parses the text; `traceId` picks one trace of several in the file. */
export function openTraceText(
  name: string,
  text: string,
  traceId?: string,
): OpenedTraceFile {
  const { trace, ...parsed } = parseTraceFile(text, { traceId });
  return { name, text, parsed, trace: decodeCompactTrace(trace) };
}
