#!/usr/bin/env node
/*
 * Starts the demo shop: four services, each a Node process with the
 * OpenTelemetry SDK loaded by the backend's instrumentation file (the same
 * variables, the same defaults), and shoppers sending it a request every
 * second or two.
 *
 *   node examples/demo-workload/src/start.js [--beside <command> [args...]]
 *
 * With --beside, the command runs next to the demo with the terminal (the root
 * `yarn start` runs `backstage-cli repo start` this way), and the demo stops
 * when it ends. DEMO_WORKLOAD=off runs the command alone.
 *
 * Where telemetry goes is decided as for the backend: nothing set sends traces
 * and logs to the development backend's embedded receiver
 * (http://127.0.0.1:7007/api/traces, following APP_CONFIG_backend_listen_port);
 * TEMPO_OTLP_HTTP_ENDPOINT / TEMPO_OTLP_GRPC_ENDPOINT send traces to a Tempo or
 * collector, OTEL_EXPORTER_OTLP_ENDPOINT sends traces and logs to a collector.
 */
// @ts-check
'use strict';

const { spawn } = require('node:child_process');
const { resolve } = require('node:path');
const { createInterface } = require('node:readline');
const { generateLoad } = require('./load');
const { SERVICES, serviceUrl } = require('./topology');

/** The backend's --require file: one instrumentation for every Node service here. */
const INSTRUMENTATION = resolve(
  __dirname,
  '../../../packages/backend/src/instrumentation.js',
);

/** @type {import('node:child_process').ChildProcess[]} */
const children = [];
let stopping = false;

/**
 * @param {import('node:stream').Readable | null} stream
 * @param {string} prefix
 */
function prefixLines(stream, prefix) {
  if (!stream) return;
  createInterface({ input: stream }).on('line', line =>
    process.stderr.write(`${prefix} ${line}\n`),
  );
}

/** @param {string} name */
function startService(name) {
  const env = {
    ...process.env,
    OTEL_SERVICE_NAME: name,
    OTEL_RESOURCE_ATTRIBUTES: [
      'service.namespace=shop',
      'service.version=1.4.2',
      process.env.OTEL_RESOURCE_ATTRIBUTES,
    ]
      .filter(Boolean)
      .join(','),
    // The services' log lines are the correlated logs of their spans.
    OTEL_LOGS_EXPORTER: process.env.OTEL_LOGS_EXPORTER ?? 'otlp',
  };
  const child = spawn(
    process.execPath,
    [
      '--require',
      INSTRUMENTATION,
      resolve(__dirname, 'services', `${name}.js`),
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // Log lines go to the trace store; the terminal of `yarn start` gets them
  // only when asked for, problems (stderr) always.
  if (process.env.DEMO_VERBOSE === '1') {
    prefixLines(child.stdout, `[demo ${name}]`);
  } else {
    child.stdout?.resume();
  }
  prefixLines(child.stderr, `[demo ${name}]`);
  child.on('exit', code => {
    if (!stopping) {
      process.stderr.write(`[demo ${name}] exited with ${code}\n`);
    }
  });
  children.push(child);
}

/** @param {number} [exitCode] */
function stop(exitCode) {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  if (exitCode !== undefined) process.exit(exitCode);
}

function main() {
  const argv = process.argv.slice(2);
  const besideAt = argv.indexOf('--beside');
  const beside = besideAt >= 0 ? argv.slice(besideAt + 1) : [];
  const enabled = !/^(off|false|0|no)$/i.test(process.env.DEMO_WORKLOAD ?? '');
  const abort = new AbortController();

  if (enabled) {
    for (const name of SERVICES) startService(name);
    const intervalMs = Number(process.env.DEMO_INTERVAL_MS || 1500);
    process.stderr.write(
      `demo workload: ${SERVICES.join(', ')} (shop) from ${serviceUrl(
        'frontend',
      )}, one request every ${intervalMs} ms\n`,
    );
    generateLoad({ intervalMs, signal: abort.signal });
  }

  const onSignal = () => {
    abort.abort();
    stop(0);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  if (beside.length > 0) {
    const command = spawn(beside[0], beside.slice(1), {
      stdio: 'inherit',
      shell: process.platform === 'win32',
    });
    command.on('exit', code => {
      abort.abort();
      stop(code ?? 1);
    });
  }
}

main();
