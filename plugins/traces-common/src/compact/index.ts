export * from './CompactTrace';
export {
  CompactTraceBuilder,
  attributeText,
  type CompactSpanInput,
} from './CompactTraceBuilder';
export { StringTable, type StringInterner } from './StringTable';
export { stableOrderBy } from './stableOrderBy';
export { encodeCompactTrace } from './encodeCompactTrace';
export { decodeCompactTrace } from './decodeCompactTrace';
