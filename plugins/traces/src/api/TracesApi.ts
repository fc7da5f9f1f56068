import { createApiRef } from '@backstage/core-plugin-api';
import type { TracesApi } from '@backstage-traces/plugin-traces-common';

export type {
  TimeRange,
  SearchTracesRequest,
  GetTraceRequest,
  GetTraceSubtreeRequest,
  GetLogsRequest,
  MetricsRequest,
  TagValuesRequest,
  ServiceOwnersRequest,
  TracesApi,
} from '@backstage-traces/plugin-traces-common';

export const tracesApiRef = createApiRef<TracesApi>({
  id: 'plugin.traces.client',
});
