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
      /**
       * Ask for gzip-compressed answers (`Accept-Encoding: gzip`). Off by default: inside a
       * cluster the bytes cost less than compressing and decompressing them on both sides.
       * Turn it on when Tempo (e.g. Grafana Cloud) is across a slow or metered network.
       */
      compressedAnswers?: boolean;

      /**
       * Timeout of one trace-by-ID request, which for a trace of a million spans moves
       * hundreds of MB. Default 2 minutes.
       */
      traceTimeout?: HumanDuration | string;
    };
    /**
     * Logs correlated by trace ID, read from OpenSearch. Unset `baseUrl`: the log routes
     * answer 503 and `/health` reports OpenSearch as disabled; traces work regardless.
     * See "Logs (OpenSearch)" in the plugin README for the settings of common pipelines.
     */
    opensearch?: {
      /**
       * URL of the OpenSearch REST API, e.g. `https://opensearch:9200`
       * (app-config.yaml reads it from OPENSEARCH_URL). User info in the URL is moved to
       * basic auth and never echoed in messages.
       */
      baseUrl?: string;
      /**
       * Index, alias or comma-separated patterns searched.
       * Default `ss4o_logs-*,otel-v1-logs*,logs-*`.
       */
      index?: string;
      /** Either basic auth (`username`/`password`) or AWS SigV4 (`aws`), not both. */
      auth?: {
        username?: string;
        /** @visibility secret */
        password?: string;
        /** SigV4 signing for Amazon OpenSearch Service and OpenSearch Serverless. */
        aws?: {
          region: string;
          /** `es` for managed domains (default), `aoss` for OpenSearch Serverless. */
          service?: 'es' | 'aoss';
          /**
           * Static credentials. Without them the plugin uses AWS_ACCESS_KEY_ID /
           * AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, and otherwise the AWS SDK default
           * provider chain when `@aws-sdk/credential-provider-node` is installed.
           */
          accessKeyId?: string;
          /** @visibility secret */
          secretAccessKey?: string;
          /** @visibility secret */
          sessionToken?: string;
        };
      };
      tls?: {
        /** Default true. Only for test clusters with self-signed certificates. */
        rejectUnauthorized?: boolean;
        /** PEM certificate(s) of the CA that signed OpenSearch's certificate. */
        ca?: string;
      };
      /** Timeout of one OpenSearch request, e.g. '10s'. Default 30 seconds. */
      timeout?: HumanDuration | string;
      /**
       * Added before the trace's start and after its end when a request gives no time range.
       * Default 5 minutes.
       */
      timeMargin?: HumanDuration | string;
      /** Largest page of log records one request may ask for. Default 500. */
      maxResults?: number;
      /**
       * Suffix appended to the trace ID, span ID and severity text fields where the query
       * needs exact values (`term`, `terms` aggregations), e.g. `.keyword` for dynamically
       * mapped string fields. Default: none (the fields are mapped as `keyword`).
       */
      keywordSuffix?: string;
      /**
       * Field names (dot paths) in the log documents. The defaults fit the OpenTelemetry
       * Collector's OpenSearch exporter (`mapping.mode: ss4o`).
       */
      fields?: {
        /** Default `traceId`. Values are expected as lowercase hex, as exporters write them. */
        traceId?: string;
        /** Default `spanId`. */
        spanId?: string;
        /** A `date` or `date_nanos` field. Default `@timestamp`. */
        timestamp?: string;
        /** Default `body`. */
        message?: string;
        /** Default `severity.text`. */
        severity?: string;
        /**
         * Numeric OpenTelemetry severity (1-24). Default `severity.number`. `false` when the
         * documents carry only a severity text: per-span highest severity then comes from the
         * text (a `terms` aggregation, which needs a keyword field).
         */
        severityNumber?: string | false;
        /** Default `resource.service.name`. */
        service?: string;
      };
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
      /**
       * Ask for gzip-compressed answers (`Accept-Encoding: gzip`). Off by default; turn it on
       * when Prometheus is across a slow or metered network.
       */
      compressedAnswers?: boolean;
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
        /**
         * Span metrics latency histogram (in seconds), base name without `_bucket`: where
         * exemplars are read (see `traces.exemplars`). Default `traces_spanmetrics_latency`.
         */
        spanMetricsLatency?: string;
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
    /**
     * Exemplars of TraceQL metrics answers (the RED summary's chart markers that open a
     * trace): the trace store's TraceQL metrics exemplars, or with `traces.prometheus` set,
     * the exemplars of the metrics-generator's span metrics for the queries span metrics can
     * answer (one spanset filter of `=` on service, name, kind and status, grouped by nothing
     * or by `resource.service.name`); the store's when Prometheus has none.
     */
    exemplars?: {
      /**
       * Most exemplars per series, spread over the range; 0 turns exemplars off. Default
       * 20, at most 100. `GET /metrics/query_range?exemplars=N` may ask for fewer.
       */
      maxPerSeries?: number;
      /**
       * Read exemplars from Prometheus when `traces.prometheus.baseUrl` is set. Default true.
       * Prometheus keeps exemplars only with `--enable-feature=exemplar-storage`, and the
       * metrics-generator must send them (`remote_write` `send_exemplars: true`).
       */
      fromPrometheus?: boolean;
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
    /**
     * Masking of secrets in everything the backend answers: attributes of spans, resources,
     * events and links, span names, status and exception messages, search results, tag
     * values, TraceQL metrics labels, logs. Masked values read `[masked]`.
     */
    redaction?: {
      /** Default true. */
      enabled?: boolean;
      /**
       * Regular expressions matched (case-insensitively) anywhere in attribute keys; replaces
       * the defaults (authorization, cookie, api key, access key, token, password, secret,
       * credential, private key, session ID). Values of such keys are masked whole, and
       * TraceQL may not filter or group on them.
       */
      keys?: string[];
      /** Patterns added to the key list (defaults or `keys`). */
      additionalKeys?: string[];
      /**
       * Query parameter names masked inside URLs and query strings, besides those matching
       * `keys`. Default sig, signature, code, key, sid, X-Amz-Signature, X-Amz-Credential,
       * X-Amz-Security-Token.
       */
      queryParameters?: string[];
      /**
       * Rules for secrets inside free text, applied to every string value. Default all:
       * `private-keys`, `jwt`, `aws-access-keys`, `auth-schemes` (Bearer/Basic … credentials),
       * `url-userinfo` (scheme://user:password@host), `url-query` (sensitive query
       * parameters), `sql-passwords` (PASSWORD '…', IDENTIFIED BY …), `key-values`
       * (`password=…`, `"token": "…"`, `Authorization: …`).
       */
      textRules?: string[];
      /**
       * Extra regular expressions for free text (case-insensitive); the first capture group is
       * masked, or the whole match when there is none.
       */
      textPatterns?: string[];
      /**
       * Attributes holding free text, added to the defaults (name, statusMessage, url.full,
       * http.target, db.statement, exception.message, …): TraceQL may compare them for
       * equality but not match them with regular expressions or order them.
       */
      textFields?: string[];
    };
    /** Recently opened traces, kept in Backstage's cache service (backend.cache). */
    cache?: {
      /** Default true. */
      enabled?: boolean;
      /** How long a trace stays cached. Default 10 minutes. */
      ttl?: HumanDuration | string;
      /** Most this backend instance keeps cached, in MiB. Default 256. */
      maxSizeMb?: number;
      /** Larger traces are not cached, in MiB. Default 64. */
      maxTraceSizeMb?: number;
    };
    /**
     * Traces over `windowThreshold` spans open in windows: the first levels, the critical
     * path and the error spans first, subtrees as the user expands them. The whole trace is
     * decoded once and kept in this backend process while it is being browsed.
     */
    largeTraces?: {
      /** Spans above which a trace opens windowed. Default 50000. */
      windowThreshold?: number;
      /** Most spans in one window. Default 10000. */
      windowSpans?: number;
      /**
       * Most spans in the first window, the one a trace opens with (at most `windowSpans`):
       * the roots, a linked span, the critical path, error spans, then the first levels.
       * Smaller opens sooner; the rest loads in windows of `windowSpans`. Default 3000.
       */
      firstWindowSpans?: number;
      /** Most memory this backend process keeps windowed traces in, in MiB. Default 1536. */
      memoryMb?: number;
      /**
       * Traces larger than this are refused (502) before decoding, in MiB: Tempo's answers, and
       * the embedded store's traces before they are read. Default 1024.
       */
      maxTraceSizeMb?: number;
      /**
       * Largest trace sent whole when the frontend asks for it (`?whole=true`: the comparison
       * of two traces needs every span); larger traces open windowed there too. Default 100000.
       */
      wholeMaxSpans?: number;
    };
    /**
     * The embedded trace store, used while `traces.tempo.baseUrl` is unset: OTLP/HTTP
     * receivers at `/api/traces/v1/traces` and `/api/traces/v1/logs`, spans and logs kept in
     * the plugin's database (SQLite in development, PostgreSQL in production).
     */
    embedded?: {
      ingest?: {
        /** Accept OTLP from loopback addresses without a token. Default true. */
        allowLoopback?: boolean;
        /**
         * Bearer token other senders must present (`Authorization: Bearer <token>`). Unset:
         * only loopback senders are accepted.
         * @visibility secret
         */
        token?: string;
        /** Largest OTLP request body after decompression, in MiB. Default 32. */
        maxRequestSizeMb?: number;
      };
      retention?: {
        /** Traces whose last span ended longer ago are deleted. Default 24 hours. */
        maxAge?: HumanDuration | string;
        /** Most spans kept; the oldest traces go first. Default 500,000 (about 0.5 GB: a span takes ~1 KB). */
        maxSpans?: number;
        /** Most log records kept; the oldest go first. Default 1,000,000. */
        maxLogRecords?: number;
        /** How often retention runs. Default every minute. */
        frequency?: HumanDuration | string;
      };
    };
    /**
     * What one request may ask of Tempo, Prometheus and OpenSearch (or the embedded store),
     * enforced by the backend whichever store answers. Requests beyond a limit answer 400
     * naming the setting; answers beyond a size 502; requests beyond the concurrency caps 429
     * with `Retry-After`.
     */
    limits?: {
      /**
       * Longest search time range in hours, also for tag lookups with a range and the
       * service graph. Default 168 (Tempo's default `max_duration`).
       */
      maxRangeHours?: number;
      /** Longest TraceQL metrics range in hours. Default 24 (Tempo's default). */
      maxMetricsRangeHours?: number;
      /**
       * Most points per series of a TraceQL metrics range query: a smaller `step` is refused
       * (400), not widened. Default 11000 (Prometheus's limit).
       */
      maxMetricsPoints?: number;
      /** Most traces one search may return (`limit`). Default 500. */
      maxResults?: number;
      /** Most matched spans per spanset one search may ask for (`spss`). Default 100. */
      maxSpansPerSpanSet?: number;
      /** Longest TraceQL query accepted, in characters. Default 4096. */
      maxQueryLength?: number;
      /**
       * Largest answer read from Tempo (searches, tags, metrics), Prometheus and OpenSearch,
       * in MB; a larger one is dropped unread and the request answers 502. Default 32.
       * Traces have their own limit, `traces.largeTraces.maxTraceSizeMb`.
       */
      maxResponseSizeMb?: number;
      /**
       * Requests reading a store in flight at once, over all users. Beyond it: 429 with
       * `Retry-After`. `/health` is not counted. Default 64.
       */
      maxConcurrentRequests?: number;
      /** The same, per user (or per calling service). Default 16. */
      maxConcurrentRequestsPerUser?: number;
      /**
       * How long an entity's access decision (catalog entity, annotations, permission), the
       * dependencies the catalog declares for the service graph, and a group's team view are
       * reused for the same user, e.g. '5s'. Default 5 seconds.
       */
      accessCacheTtl?: HumanDuration | string;
    };
  };
}
