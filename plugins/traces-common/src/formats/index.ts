export * from './otlpJson';
export { otlpJsonToCompact, addOtlpJson } from './otlpJsonToCompact';
