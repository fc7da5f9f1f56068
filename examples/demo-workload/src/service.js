/*
 * What every demo service is made of: an Express app, an in-memory SQLite
 * database through knex, a winston logger, and calls to the other services
 * with fetch. None of it mentions OpenTelemetry except for a few custom spans:
 * the instrumentation (loaded with --require, see start.js) traces the
 * requests, the queries and the calls, and sends the log lines written inside
 * a request with its trace and span IDs.
 */
// @ts-check
'use strict';

const express = require('express');
const knex = require('knex');
const winston = require('winston');
const { trace } = require('@opentelemetry/api');

/** An answer from another service that was not 2xx. */
class UpstreamError extends Error {
  /**
   * @param {string} service
   * @param {number} status
   * @param {string} detail
   */
  constructor(service, status, detail) {
    super(`${service} answered ${status}: ${detail}`);
    this.service = service;
    this.status = status;
  }
}

/**
 * @param {string} name the service's `service.name`
 */
function createService(name) {
  const logger = winston.createLogger({
    level: 'info',
    format: winston.format.json(),
    defaultMeta: { service: name },
    // Every line also goes to the trace store with the request's trace and
    // span IDs; start.js shows stdout only with DEMO_VERBOSE=1.
    transports: [new winston.transports.Console()],
  });
  const db = knex({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  const app = express();
  app.use(express.json());

  return {
    app,
    db,
    logger,
    tracer: trace.getTracer(`demo-workload/${name}`),

    /**
     * Calls another demo service with JSON and returns its JSON answer;
     * anything but 2xx is an UpstreamError.
     *
     * @param {string} service
     * @param {string} url
     * @param {{ method?: string, body?: unknown }} [options]
     */
    async call(service, url, options = {}) {
      const response = await fetch(url, {
        method: options.method ?? 'GET',
        headers: { 'Content-Type': 'application/json' },
        body:
          options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      const body = await response.json().catch(() => ({}));
      if (!response.ok) {
        throw new UpstreamError(
          service,
          response.status,
          body.error ?? response.statusText,
        );
      }
      return body;
    },

    /**
     * Answers errors as JSON: an upstream's 4xx passes through, everything
     * else is a 5xx (which marks the server span as an error).
     */
    handleErrors() {
      app.use(
        (
          /** @type {any} */ error,
          /** @type {express.Request} */ req,
          /** @type {express.Response} */ res,
          /** @type {express.NextFunction} */ _next,
        ) => {
          const status =
            error instanceof UpstreamError
              ? error.status < 500
                ? error.status
                : 502
              : 500;
          logger.log(
            status < 500 ? 'warn' : 'error',
            `${req.method} ${req.path} failed: ${error.message}`,
          );
          res.status(status).json({ error: error.message });
        },
      );
    },

    /** @param {number} port */
    listen(port) {
      return new Promise(resolve => {
        const server = app.listen(port, '127.0.0.1', () => resolve(server));
      });
    },
  };
}

/**
 * Express 4 does not pass a rejected promise to the error handler by itself.
 *
 * @param {(req: express.Request, res: express.Response) => Promise<unknown>} handler
 * @returns {express.RequestHandler}
 */
function route(handler) {
  return (req, res, next) => {
    handler(req, res).catch(next);
  };
}

/** @param {number} ms */
function sleep(ms) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/**
 * The `code.*` attributes of the function that calls this (its file, line and
 * name), as instrumentation that knows its source sets them. The span details
 * link them to that line in the repository (the entity's source location).
 */
function codeAttributes() {
  const prepare = Error.prepareStackTrace;
  Error.prepareStackTrace = (_error, frames) => frames;
  const frames = /** @type {NodeJS.CallSite[]} */ (
    /** @type {unknown} */ (new Error().stack)
  );
  Error.prepareStackTrace = prepare;
  const caller = frames[1];
  return {
    'code.file.path': caller?.getFileName() ?? '',
    'code.line.number': caller?.getLineNumber() ?? 0,
    'code.function.name': caller?.getFunctionName() ?? '<anonymous>',
  };
}

module.exports = {
  codeAttributes,
  createService,
  route,
  sleep,
  UpstreamError,
};
