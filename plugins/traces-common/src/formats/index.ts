export * from './otlpJson';
export { otlpJsonToCompact, addOtlpJson } from './otlpJsonToCompact';
export { compactToOtlpJson, traceToOtlpJson } from './compactToOtlpJson';
export {
  jaegerJsonToCompact,
  type JaegerSpan,
  type JaegerTag,
  type JaegerTrace,
} from './jaegerJsonToCompact';
export {
  parseTraceFile,
  TraceFileError,
  type ParsedTraceFile,
  type TraceFileFormat,
} from './parseTraceFile';
