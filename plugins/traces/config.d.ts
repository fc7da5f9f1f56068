export interface Config {
  traces?: {
    /**
     * Grafana that the Traces tab links to ("Open in Grafana"). Without `baseUrl` and
     * `tempoDatasourceUid` no Grafana links are shown.
     */
    grafana?: {
      /**
       * Grafana's root URL including any sub-path it is served under (`root_url`),
       * e.g. `https://grafana.example.com` or `https://example.com/grafana`.
       * @visibility frontend
       */
      baseUrl?: string;
      /**
       * Grafana organisation ID of the data sources, for multi-org Grafana.
       * @visibility frontend
       */
      orgId?: number;
      /**
       * UID of the Tempo data source in Grafana.
       * @visibility frontend
       */
      tempoDatasourceUid?: string;
      /**
       * UID of the logs data source that holds the services' logs. Without it there is no
       * "Logs in Grafana" link.
       * @visibility frontend
       */
      logsDatasourceUid?: string;
      /**
       * Type of the logs data source. Default `grafana-opensearch-datasource`.
       * @visibility frontend
       */
      logsDatasourceType?:
        | 'grafana-opensearch-datasource'
        | 'elasticsearch'
        | 'loki';
      /**
       * Log field (OpenSearch/Elasticsearch) holding the trace ID. Default `traceId`.
       * For Loki the trace ID is matched as text in the log line.
       * @visibility frontend
       */
      logsTraceIdField?: string;
    };
  };
}
