import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the traces plugin (Grafana Tempo, OpenSearch logs, service graph). */
  traces?: {
    tempo?: {
      /**
       * Base URL of Tempo's HTTP API, including any `http_api_prefix`
       * (e.g. `http://tempo:3200` or `https://tempo-eu.grafana.net/tempo`).
       * Unset: the Traces tab and `/health` say that Tempo is not configured.
       */
      baseUrl?: string;
      /** Default tenant sent as `X-Scope-OrgID`; an entity's tenant annotation overrides it. */
      tenant?: string;
      auth?: {
        /** @visibility secret */
        bearerToken?: string;
        /** Basic auth user name (Grafana Cloud: the stack's Tempo user ID). */
        username?: string;
        /** @visibility secret */
        password?: string;
      };
      /**
       * Extra headers sent with every Tempo request.
       * @deepVisibility secret
       */
      headers?: { [name: string]: string };
      /** Timeout of one Tempo request. Default 30 seconds. */
      timeout?: HumanDuration | string;
    };
    /**
     * Service graph metrics (Tempo metrics-generator `service-graphs`, or the OpenTelemetry
     * Collector `servicegraph` connector) in Prometheus or a Prometheus-compatible store
     * (Mimir, Thanos, VictoriaMetrics). Unset `baseUrl`: the service graph is aggregated
     * from a sample of recent traces instead (see `serviceGraph`).
     */
    prometheus?: {
      /**
       * Base URL of the Prometheus HTTP API, including any path prefix; `/api/v1/query` is
       * appended (e.g. `http://prometheus:9090` or `http://mimir:8080/prometheus`).
       */
      baseUrl?: string;
      auth?: {
        /** @visibility secret */
        bearerToken?: string;
        /** Basic auth user name (Grafana Cloud: the stack's Prometheus user ID). */
        username?: string;
        /** @visibility secret */
        password?: string;
      };
      /**
       * Extra headers sent with every Prometheus request (e.g. `X-Scope-OrgID` for Mimir).
       * @deepVisibility secret
       */
      headers?: { [name: string]: string };
      /** Timeout of one Prometheus request. Default 30 seconds. */
      timeout?: HumanDuration | string;
      /** Metric names. The defaults are Tempo metrics-generator's. */
      metrics?: {
        /** Counter of requests per edge. Default `traces_service_graph_request_total`. */
        requestTotal?: string;
        /** Counter of failed requests per edge. Default `traces_service_graph_request_failed_total`. */
        requestFailedTotal?: string;
        /**
         * Histogram (in seconds) of the server side's duration, base name without `_bucket`.
         * Default `traces_service_graph_request_server_seconds`.
         */
        requestServerSeconds?: string;
      };
      /** Label names of the calling and the called service. */
      labels?: {
        /** Default `client`. */
        client?: string;
        /** Default `server`. */
        server?: string;
      };
      /**
       * Label matchers added to every selector, without braces, e.g. `cluster="eu-1"` or
       * `cluster="eu-1", namespace=~"shop-.*"`.
       */
      extraSelector?: string;
    };
    /** The service dependency graph of an entity's services. */
    serviceGraph?: {
      /**
       * Without Prometheus: how many recent traces of the entity are fetched and aggregated.
       * Default 50, at most 500.
       */
      sampleTraces?: number;
      /**
       * Without Prometheus: time budget for fetching the sampled traces; the traces fetched
       * by then are aggregated. Default 20 seconds.
       */
      sampleTimeout?: HumanDuration | string;
    };
    /** Default `deployment.environment` filter (TRACE_ENVIRONMENT). */
    environment?: string;
    /** Default cluster filter (TRACE_CLUSTER_NAME). */
    cluster?: string;
    /** Resource attribute names of the default filters. */
    attributes?: {
      /** Default `deployment.environment` (newer semantic conventions: `deployment.environment.name`). */
      environment?: string;
      /** Default `k8s.cluster.name`. */
      cluster?: string;
    };
    /** Masking of secrets in span, resource and event attributes and log fields. */
    redaction?: {
      /** Default true. */
      enabled?: boolean;
      /**
       * Regular expressions matched (case-insensitively) anywhere in attribute keys; replaces
       * the defaults (authorization, cookie, api key, token, password, secret, credential, ...).
       */
      keys?: string[];
      /** Patterns added to the key list (defaults or `keys`). */
      additionalKeys?: string[];
      /** Query parameter names masked inside URLs, besides those matching `keys`. */
      queryParameters?: string[];
      /** Attributes holding URLs or query strings (default http.url, url.full, url.query, http.target, url.original). */
      urlAttributes?: string[];
    };
    limits?: {
      /** Longest search time range in hours. Default 168 (Tempo's default `max_duration`). */
      maxRangeHours?: number;
      /** Longest TraceQL metrics range in hours. Default 24 (Tempo's default). */
      maxMetricsRangeHours?: number;
      /** Most traces one search may return. Default 500. */
      maxResults?: number;
      /** Longest TraceQL query accepted, in characters. Default 4096. */
      maxQueryLength?: number;
    };
  };
}
