export * from './TracesApi';
export { TracesClient } from './TracesClient';
export { errorMessage, errorStatus } from './errors';
