/*
 * A small service for the telemetry tests, built from the libraries the
 * backend uses (express, winston): started with `--require ../instrumentation.js`
 * like the backend, it prints the port it listens on, answers GET /hello and logs one line
 * per request as JSON.
 */
const express = require('express');
const winston = require('winston');

const logger = winston.createLogger({
  format: winston.format.json(),
  transports: [new winston.transports.Console()],
});

const app = express();
app.get('/hello', (_req, res) => {
  logger.info('said hello');
  res.json({ hello: 'world' });
});

const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on ${server.address().port}\n`);
});
