export * from './TracesApi';
export { TracesClient } from '@backstage-traces/plugin-traces-common';
export { errorMessage, errorStatus } from './errors';
export {
  logsOffReason,
  TracesHealthProvider,
  useTracesHealth,
} from './TracesHealth';
