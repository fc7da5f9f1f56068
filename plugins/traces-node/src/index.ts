/**
 * Node.js library of the traces plugin: the `TraceStore` and `LogStore` interfaces the
 * backend's routes call, and `tracesStoresExtensionPoint`, through which a backend module
 * installs its own store.
 *
 * @packageDocumentation
 */
export * from './TraceScope';
export * from './TraceStore';
export * from './LogStore';
export * from './TracesRedactor';
export * from './UpstreamError';
export * from './extensions';
