/**
 * Shared types, catalog annotations, permissions and TraceQL helpers of the traces plugin.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './permissions';
export * from './ids';
export * from './types';
export * from './redaction';
export * from './compact';
export * from './formats';
export * from './traceql';
export * from './tree';
export * from './client';
export * from './search';
export * from './team';
export * from './exemplars';
