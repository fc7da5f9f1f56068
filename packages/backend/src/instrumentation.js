/*
 * Loaded before the backend with `--require` (package.json `start`, and
 * `node --require ./src/instrumentation.js .` in production), so that
 * OpenTelemetry instruments http, express, knex, pg, fetch and winston before
 * any of them is loaded. See https://backstage.io/docs/tutorials/setup-opentelemetry
 * and src/telemetry/telemetry.js for the environment variables it reads.
 */
// Worker threads inherit --require; the SDK belongs to the main thread only.
if (require('node:worker_threads').isMainThread) {
  require('./telemetry/telemetry').startTelemetry();
}
