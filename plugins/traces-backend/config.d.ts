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
