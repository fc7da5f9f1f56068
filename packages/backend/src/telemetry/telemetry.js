/*
 * OpenTelemetry for Node.js services: the Backstage backend and the demo
 * workload (examples/demo-workload) load it through `instrumentation.js`
 * before anything else, so that http, express, knex, pg, fetch and winston are
 * instrumented when they are first required.
 *
 * The platform's variables are mapped onto the standard OTEL_* variables that
 * the SDK reads; a standard variable that is already set always wins:
 *
 *   TEMPO_OTLP_HTTP_ENDPOINT   traces over OTLP/HTTP (protobuf) to Tempo or a collector, e.g. http://tempo:4318
 *   TEMPO_OTLP_GRPC_ENDPOINT   traces over OTLP/gRPC, e.g. http://tempo:4317
 *   TRACE_SAMPLING_PERCENTAGE  head sampling of new traces, 0-100 (parent-based: a sampled caller is always kept)
 *                              (default 100; OTEL_TRACES_SAMPLER, when set, replaces it)
 *   TRACE_CLUSTER_NAME         resource attribute k8s.cluster.name
 *   TRACE_ENVIRONMENT          resource attribute deployment.environment
 *
 * With no endpoint at all, a development process exports traces to the
 * embedded receiver of the local backend (/api/traces/v1/traces); a production
 * process (NODE_ENV=production) exports nothing.
 */
// @ts-check
'use strict';

/** `service.name` of the backend, claimed by catalog-info.yaml. */
const DEFAULT_SERVICE_NAME = 'backstage-traces-backend';

/** Paths that receive telemetry: tracing them would trace every export. */
const TELEMETRY_PATHS = /^\/api\/traces\/v1\/(?:traces|logs)(?:[/?]|$)/;
const HEALTH_PATHS = /^\/\.backstage\/health\//;

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} name
 */
function read(env, name) {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** OTLP endpoints, gRPC ones included, are http:// or https:// URLs. */
function isHttpUrl(/** @type {string} */ value) {
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
}

/** OTLP/HTTP endpoints name the signal path; a bare collector URL gets it appended. */
function withSignalPath(/** @type {string} */ url, /** @type {string} */ path) {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith(path) ? trimmed : `${trimmed}${path}`;
}

/**
 * The embedded receiver of the backend started from this checkout:
 * `backend.listen.port` comes from APP_CONFIG_backend_listen_port when it is
 * moved, and is 7007 in app-config.yaml otherwise.
 *
 * @param {NodeJS.ProcessEnv} env
 */
function embeddedReceiverUrl(env) {
  const port = read(env, 'APP_CONFIG_backend_listen_port') ?? '7007';
  return `http://127.0.0.1:${port}/api/traces`;
}

/**
 * Maps the platform's variables onto standard OTEL_* variables.
 *
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ env: Record<string, string>, exportsTo?: string, samplingRatio: number, warnings: string[] }}
 *   the variables to add (never one that is already set), where traces go
 *   (undefined: nowhere), the share of new traces to keep, and problems with
 *   the variables
 */
function otelEnvironment(env) {
  /** @type {Record<string, string>} */
  const out = {};
  /** @type {string[]} */
  const warnings = [];
  const set = (/** @type {string} */ name, /** @type {string} */ value) => {
    if (read(env, name) === undefined) out[name] = value;
  };

  // Metrics are not part of this setup; without this the SDK would push them
  // to an OTLP endpoint that only takes traces and logs.
  set('OTEL_METRICS_EXPORTER', 'none');

  const standardTraces =
    read(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ??
    read(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const standardLogs =
    read(env, 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT') ??
    read(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const tempoHttp = read(env, 'TEMPO_OTLP_HTTP_ENDPOINT');
  const tempoGrpc = read(env, 'TEMPO_OTLP_GRPC_ENDPOINT');
  /** @type {string | undefined} */
  let exportsTo;

  if (read(env, 'OTEL_TRACES_EXPORTER') === 'none') {
    exportsTo = undefined;
  } else if (standardTraces) {
    exportsTo = standardTraces;
  } else if (tempoHttp) {
    exportsTo = withSignalPath(tempoHttp, '/v1/traces');
    set('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', exportsTo);
    set('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'http/protobuf');
  } else if (tempoGrpc) {
    exportsTo = tempoGrpc;
    set('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', tempoGrpc);
    set('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'grpc');
  } else if (read(env, 'NODE_ENV') !== 'production') {
    const embedded = embeddedReceiverUrl(env);
    exportsTo = `${embedded}/v1/traces`;
    set('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', exportsTo);
    // The embedded receiver takes logs as well; they are only sent where
    // OTEL_LOGS_EXPORTER asks for it (see below).
    set('OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', `${embedded}/v1/logs`);
  } else {
    set('OTEL_TRACES_EXPORTER', 'none');
  }

  // Log records go over OTLP only when asked for (OTEL_LOGS_EXPORTER=otlp, as
  // the demo workload does) and somewhere takes them: Tempo does not. The
  // backend's own logs stay on stdout with trace_id and span_id, where
  // Backstage redacts configured secrets before they are written.
  if (read(env, 'OTEL_LOGS_EXPORTER') === undefined) {
    out.OTEL_LOGS_EXPORTER = 'none';
  } else if (
    read(env, 'OTEL_LOGS_EXPORTER') !== 'none' &&
    !standardLogs &&
    !out.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT
  ) {
    warnings.push(
      'OTEL_LOGS_EXPORTER is set but no OTLP logs endpoint is (Tempo takes no logs): set OTEL_EXPORTER_OTLP_LOGS_ENDPOINT',
    );
    out.OTEL_LOGS_EXPORTER = 'none';
  }

  if (exportsTo !== undefined && !isHttpUrl(exportsTo)) {
    warnings.push(
      `"${exportsTo}" is not an http(s) URL; no traces are exported`,
    );
    exportsTo = undefined;
    out.OTEL_TRACES_EXPORTER = 'none';
  }
  if (exportsTo === undefined) {
    set('OTEL_TRACES_EXPORTER', 'none');
  }

  let samplingRatio = 1;
  const percentage = read(env, 'TRACE_SAMPLING_PERCENTAGE');
  if (percentage !== undefined) {
    const ratio = Number(percentage) / 100;
    if (Number.isFinite(ratio) && ratio >= 0 && ratio <= 1) {
      samplingRatio = ratio;
    } else {
      warnings.push(
        `TRACE_SAMPLING_PERCENTAGE must be a number from 0 to 100, not "${percentage}"; every trace is sampled`,
      );
    }
  }
  return { env: out, exportsTo, samplingRatio, warnings };
}

/**
 * Root spans of idle polling loops: the catalog starts one every second
 * whether or not there is work, which would bury the requests. Work picked up
 * inside such a loop is dropped with it (its spans are its children).
 */
const BACKGROUND_LOOP_SPANS = new Set(['TaskPipelineLoop']);

/**
 * Head sampling: parent-based, so a request that arrives with a sampled
 * `traceparent` is always recorded and one without is kept with the given
 * probability (by trace ID, so every service keeps the same traces).
 * OTEL_TRACES_SAMPLER, when set, replaces it.
 *
 * @param {number} ratio
 */
function headSampler(ratio) {
  const {
    ParentBasedSampler,
    SamplingDecision,
    TraceIdRatioBasedSampler,
  } = require('@opentelemetry/sdk-trace');
  const byTraceId = new TraceIdRatioBasedSampler(ratio);
  /** @type {import('@opentelemetry/sdk-trace').Sampler} */
  const root = {
    shouldSample(context, traceId, name) {
      if (BACKGROUND_LOOP_SPANS.has(name)) {
        return { decision: SamplingDecision.NOT_RECORD };
      }
      return byTraceId.shouldSample(context, traceId);
    },
    toString: () => `NotBackgroundLoops{${byTraceId}}`,
  };
  return new ParentBasedSampler({ root });
}

/**
 * Resource attributes from the platform's variables. OTEL_RESOURCE_ATTRIBUTES
 * still applies on top.
 *
 * @param {NodeJS.ProcessEnv} env
 * @returns {Record<string, string>}
 */
function platformResourceAttributes(env) {
  /** @type {Record<string, string>} */
  const attributes = {
    'service.name': read(env, 'OTEL_SERVICE_NAME') ?? DEFAULT_SERVICE_NAME,
  };
  const cluster = read(env, 'TRACE_CLUSTER_NAME');
  const environment = read(env, 'TRACE_ENVIRONMENT');
  if (cluster) attributes['k8s.cluster.name'] = cluster;
  if (environment) attributes['deployment.environment'] = environment;
  return attributes;
}

/**
 * The instrumentations the platform's guide lists for Node.js services:
 * incoming and outgoing HTTP, Express routes, knex and pg queries, fetch
 * (undici), and trace IDs in winston log lines.
 */
function instrumentations(/** @type {NodeJS.ProcessEnv} */ env) {
  const {
    HttpInstrumentation,
  } = require('@opentelemetry/instrumentation-http');
  const {
    ExpressInstrumentation,
    ExpressLayerType,
  } = require('@opentelemetry/instrumentation-express');
  const {
    KnexInstrumentation,
  } = require('@opentelemetry/instrumentation-knex');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg');
  const {
    UndiciInstrumentation,
  } = require('@opentelemetry/instrumentation-undici');
  const {
    WinstonInstrumentation,
  } = require('@opentelemetry/instrumentation-winston');

  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: request =>
        TELEMETRY_PATHS.test(request.url ?? '') ||
        HEALTH_PATHS.test(request.url ?? ''),
      // Background work (catalog processing, scheduled tasks) makes requests
      // outside any request; those alone would be noise.
      requireParentforOutgoingSpans: true,
    }),
    // Express middleware layers (cors, helmet, auth, ...) and routers (every
    // plugin router Backstage mounts) would add dozens of empty spans to every
    // request; the handler spans and the route in the server span's name stay.
    new ExpressInstrumentation({
      ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER],
    }),
    new KnexInstrumentation({ requireParentSpan: true, maxQueryLength: 2000 }),
    new PgInstrumentation({ requireParentSpan: true }),
    new UndiciInstrumentation({ requireParentforSpans: true }),
    new WinstonInstrumentation({
      // Sending is decided by OTEL_LOGS_EXPORTER; without a logger provider
      // the transport has nowhere to write.
      disableLogSending: read(env, 'OTEL_LOGS_EXPORTER') === 'none',
    }),
  ];
}

/**
 * The SDK registers its logger provider with `@opentelemetry/api`'s `logs`;
 * `@opentelemetry/winston-transport` still asks the separate
 * `@opentelemetry/api-logs` package, whose global is another one, and would
 * write every record to a no-op logger. Hand it the same provider.
 */
function shareLoggerProvider() {
  const { logs } = require('@opentelemetry/api');
  const apiLogs = require('@opentelemetry/api-logs');
  apiLogs.logs.setGlobalLoggerProvider(
    /** @type {import('@opentelemetry/api-logs').LoggerProvider} */ (
      /** @type {unknown} */ (logs.getLoggerProvider())
    ),
  );
}

/**
 * Starts the OpenTelemetry Node SDK. Never throws: telemetry that cannot
 * start, or an endpoint that cannot be reached, must not stop the service.
 *
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {{ shutdown(): Promise<void> } | undefined} the SDK, when started
 */
function startTelemetry(env = process.env) {
  if (read(env, 'OTEL_SDK_DISABLED') === 'true') return undefined;
  try {
    const mapped = otelEnvironment(env);
    Object.assign(env, mapped.env);
    const serviceName = platformResourceAttributes(env)['service.name'];
    for (const warning of mapped.warnings) {
      // eslint-disable-next-line no-console
      console.warn(`telemetry: ${warning}`);
    }

    const { NodeSDK } = require('@opentelemetry/sdk-node');
    const { resourceFromAttributes } = require('@opentelemetry/resources');
    const sdk = new NodeSDK({
      resource: resourceFromAttributes(platformResourceAttributes(env)),
      ...(read(env, 'OTEL_TRACES_SAMPLER')
        ? {}
        : { sampler: headSampler(mapped.samplingRatio) }),
      instrumentations: instrumentations(env),
    });
    sdk.start();
    shareLoggerProvider();
    // eslint-disable-next-line no-console
    console.log(
      mapped.exportsTo
        ? `telemetry: ${serviceName} sends traces to ${mapped.exportsTo}`
        : `telemetry: ${serviceName} exports no traces (set TEMPO_OTLP_HTTP_ENDPOINT, TEMPO_OTLP_GRPC_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT)`,
    );
    // Flush what is buffered when the process is asked to stop. A listener
    // takes over SIGTERM's default (exit): raise it again once flushed,
    // unless the service handles SIGTERM itself (Backstage does).
    // The flush gets a few seconds: an endpoint that does not answer must not
    // keep the process alive.
    process.once('SIGTERM', () => {
      Promise.race([
        sdk.shutdown().catch(() => {}),
        new Promise(resolve => setTimeout(resolve, 5000).unref()),
      ]).finally(() => {
        if (process.listenerCount('SIGTERM') === 0) {
          process.kill(process.pid, 'SIGTERM');
        }
      });
    });
    return sdk;
  } catch (error) {
    // eslint-disable-next-line no-console
    console.warn(`telemetry: OpenTelemetry did not start: ${error}`);
    return undefined;
  }
}

module.exports = {
  DEFAULT_SERVICE_NAME,
  otelEnvironment,
  platformResourceAttributes,
  startTelemetry,
};
