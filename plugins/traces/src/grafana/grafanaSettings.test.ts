import { ConfigReader } from '@backstage/core-app-api';
import { readGrafanaSettings } from './grafanaSettings';

describe('readGrafanaSettings', () => {
  it('is undefined unless Grafana and the Tempo data source are configured', () => {
    expect(readGrafanaSettings(new ConfigReader({}))).toBeUndefined();
    expect(
      readGrafanaSettings(
        new ConfigReader({ traces: { grafana: { baseUrl: 'https://g' } } }),
      ),
    ).toBeUndefined();
    expect(
      readGrafanaSettings(
        new ConfigReader({
          traces: { grafana: { tempoDatasourceUid: 'tempo' } },
        }),
      ),
    ).toBeUndefined();
  });

  it('applies defaults and trims the trailing slash', () => {
    expect(
      readGrafanaSettings(
        new ConfigReader({
          traces: {
            grafana: {
              baseUrl: 'https://g/grafana/',
              tempoDatasourceUid: 'tempo',
            },
          },
        }),
      ),
    ).toEqual({
      baseUrl: 'https://g/grafana',
      orgId: undefined,
      tempoDatasourceUid: 'tempo',
      logsDatasourceUid: undefined,
      logsDatasourceType: 'grafana-opensearch-datasource',
      logsTraceIdField: 'traceId',
    });
  });

  it('reads every field and rejects unknown logs data source types', () => {
    const grafana = {
      baseUrl: 'https://g',
      orgId: 3,
      tempoDatasourceUid: 'tempo',
      logsDatasourceUid: 'loki',
      logsDatasourceType: 'loki',
      logsTraceIdField: 'trace_id',
    };
    expect(
      readGrafanaSettings(new ConfigReader({ traces: { grafana } })),
    ).toEqual({
      ...grafana,
    });
    expect(() =>
      readGrafanaSettings(
        new ConfigReader({
          traces: { grafana: { ...grafana, logsDatasourceType: 'splunk' } },
        }),
      ),
    ).toThrow(/logsDatasourceType/);
  });
});
