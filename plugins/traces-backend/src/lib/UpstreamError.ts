// Shared with the stores of other modules, which throw it too.
export {
  UpstreamError,
  type UpstreamStatusCode,
} from '@backstage-traces/plugin-traces-node';
