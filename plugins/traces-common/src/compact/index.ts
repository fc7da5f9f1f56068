export * from './CompactTrace';
export { encodeCompactTrace } from './encodeCompactTrace';
export { decodeCompactTrace } from './decodeCompactTrace';
