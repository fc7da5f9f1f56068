import { coreApis, useApi } from '@backstage/frontend-plugin-api';
import { useMemo } from 'react';
import type { GrafanaSettings } from './exploreUrls';
import { readGrafanaSettings } from './grafanaSettings';

/** The Grafana link settings, or undefined when Grafana links are not configured. */
export function useGrafanaSettings(): GrafanaSettings | undefined {
  const configApi = useApi(coreApis.config);
  return useMemo(() => readGrafanaSettings(configApi), [configApi]);
}
