import type { ConfigApi } from '@backstage/frontend-plugin-api';
import type { GrafanaSettings, LogsDatasourceType } from './exploreUrls';

const LOGS_TYPES: readonly LogsDatasourceType[] = [
  'grafana-opensearch-datasource',
  'elasticsearch',
  'loki',
];

/**
 * Reads `traces.grafana`. Returns undefined unless both Grafana's URL and the Tempo data source
 * are configured: without them no Grafana link can work, so the UI shows none.
 */
export function readGrafanaSettings(
  config: ConfigApi,
): GrafanaSettings | undefined {
  const grafana = config.getOptionalConfig('traces.grafana');
  const baseUrl = grafana?.getOptionalString('baseUrl')?.trim();
  const tempoDatasourceUid = grafana
    ?.getOptionalString('tempoDatasourceUid')
    ?.trim();
  if (!grafana || !baseUrl || !tempoDatasourceUid) return undefined;

  const type = grafana.getOptionalString('logsDatasourceType');
  if (type !== undefined && !LOGS_TYPES.includes(type as LogsDatasourceType)) {
    throw new Error(
      `Invalid traces.grafana.logsDatasourceType '${type}', expected one of ${LOGS_TYPES.join(
        ', ',
      )}`,
    );
  }
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    orgId: grafana.getOptionalNumber('orgId'),
    tempoDatasourceUid,
    logsDatasourceUid:
      grafana.getOptionalString('logsDatasourceUid')?.trim() || undefined,
    logsDatasourceType:
      (type as LogsDatasourceType) ?? 'grafana-opensearch-datasource',
    logsTraceIdField:
      grafana.getOptionalString('logsTraceIdField') ?? 'traceId',
  };
}
