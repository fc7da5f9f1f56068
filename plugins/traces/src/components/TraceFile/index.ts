export { OpenTraceFile } from './OpenTraceFile';
export { DownloadTraceButton } from './DownloadTraceButton';
