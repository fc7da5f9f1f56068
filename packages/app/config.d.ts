export interface Config {
  app?: {
    /**
     * Frontend telemetry with Grafana Faro: errors, logs, web vitals and
     * browser spans, sent to a Faro collector (Grafana Alloy's
     * `faro.receiver` or Grafana Cloud Frontend Observability). Requests to
     * the Backstage backend carry a W3C `traceparent` header, so backend
     * spans join the browser's trace. Telemetry is off unless `url` is set,
     * or `protocol` is `otlp`.
     */
    faro?: {
      /**
       * `faro` (default): Faro's own payloads to a Faro collector at `url`.
       * `otlp`: browser spans as OTLP/JSON to the OTLP/HTTP receiver at `url`
       * (`/v1/traces` is appended), by default the traces backend's embedded
       * store (`<backend.baseUrl>/api/traces`), which accepts loopback
       * senders only: a development setting.
       * @visibility frontend
       */
      protocol?: 'faro' | 'otlp';
      /**
       * The Faro collector endpoint, for example
       * `https://faro-collector.example.com/collect`, or with
       * `protocol: otlp` an OTLP/HTTP base URL such as
       * `http://localhost:4318`.
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
