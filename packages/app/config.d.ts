export interface Config {
  app?: {
    /**
     * Frontend telemetry with Grafana Faro: errors, logs, web vitals and
     * browser spans, sent to a Faro collector (Grafana Alloy's
     * `faro.receiver` or Grafana Cloud Frontend Observability). Requests to
     * the Backstage backend carry a W3C `traceparent` header, so backend
     * spans join the browser's trace. Telemetry is off unless `url` is set.
     */
    faro?: {
      /**
       * The Faro collector endpoint, for example
       * `https://faro-collector.example.com/collect`.
       * @visibility frontend
       */
      url?: string;
      /**
       * Reported as the app name and as the `service.name` of browser spans.
       * Defaults to `backstage-traces`, the `opentelemetry.io/service-name`
       * of this app's own catalog entity.
       * @visibility frontend
       */
      appName?: string;
      /**
       * Reported as the app environment, for example `production`.
       * @visibility frontend
       */
      environment?: string;
    };
  };
}
