import express, { type ErrorRequestHandler, type Request } from 'express';
import Router from 'express-promise-router';
import { InputError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  decodeLogsRequest,
  decodeTraceRequest,
  encodingOf,
  type OtlpEncoding,
} from '../otlp/decodeRequest';
import { toLogBatch, type LogBatch } from '../ingest/logRows';
import { toSpanBatch, type SpanBatch } from '../ingest/spanRows';
import type { Rejections } from '../ingest/rows';
import { checkIngestAccess, type IngestAccessOptions } from './ingestAccess';
import { sendExportError, sendExportResponse } from './otlpAnswers';

/** Where received batches go (the embedded store). */
export interface OtlpSink {
  writeSpans(batch: SpanBatch): Promise<void>;
  writeLogs(batch: LogBatch): Promise<void>;
}

export interface OtlpReceiverOptions extends IngestAccessOptions {
  /** Largest request body, after gzip decompression. */
  maxRequestBytes: number;
}

/** The paths, for the backend's auth policy: OTLP exporters send no Backstage credentials. */
export const OTLP_RECEIVER_PATHS = ['/v1/traces', '/v1/logs'] as const;

/**
 * OTLP/HTTP receivers (`POST /v1/traces`, `POST /v1/logs`): protobuf or JSON bodies, gzip,
 * OTLP's success, partial-success and `Status` error answers. A request is decoded whole
 * before anything is written, and written in one transaction: a bad or oversized payload
 * writes nothing.
 */
export function createOtlpReceiver(deps: {
  options: OtlpReceiverOptions;
  sink: OtlpSink;
  logger: LoggerService;
}): express.Router {
  const { options, sink, logger } = deps;
  const router = Router();

  const readBody = express.raw({
    type: () => true,
    limit: options.maxRequestBytes,
    inflate: true,
  });

  const receive = <B extends { rejected: Rejections }>(
    signal: 'traces' | 'logs',
    toBatch: (body: Uint8Array, encoding: OtlpEncoding) => B,
    write: (batch: B) => Promise<void>,
  ) => [
    // Refuse before reading the body: who is sending, and in what encoding.
    (req: Request, res: express.Response, next: express.NextFunction) => {
      const encoding = encodingOf(req.headers['content-type']);
      const access = checkIngestAccess(req, options);
      if (!access.ok) {
        sendExportError(res, access.status, encoding ?? 'json', access.message);
      } else if (!encoding) {
        sendExportError(
          res,
          415,
          'json',
          `Content-Type must be application/x-protobuf or application/json, not '${
            req.headers['content-type'] ?? ''
          }'`,
        );
      } else next();
    },
    readBody,
    async (req: Request, res: express.Response) => {
      const encoding = encodingOf(req.headers['content-type'])!;
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      let batch: B;
      try {
        batch = toBatch(body, encoding);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        sendExportError(res, 400, encoding, error.message);
        return;
      }
      try {
        await write(batch);
      } catch (error) {
        logger.error(
          `Embedded trace store: could not store ${signal}`,
          error as Error,
        );
        sendExportError(
          res,
          503,
          encoding,
          `The embedded store could not write the ${signal}; retry later`,
        );
        return;
      }
      sendExportResponse(res, encoding, signal, batch.rejected);
    },
  ];

  router.post(
    '/v1/traces',
    ...receive(
      'traces',
      (body, encoding) => toSpanBatch(decodeTraceRequest(body, encoding)),
      batch => sink.writeSpans(batch),
    ),
  );
  router.post(
    '/v1/logs',
    ...receive(
      'logs',
      (body, encoding) => toLogBatch(decodeLogsRequest(body, encoding)),
      batch => sink.writeLogs(batch),
    ),
  );
  router.use(bodyErrors(options.maxRequestBytes));
  return router;
}

/** body-parser's errors (size, gzip, encodings) as OTLP error answers. */
function bodyErrors(maxRequestBytes: number): ErrorRequestHandler {
  return (error, req, res, next) => {
    const type = (error as { type?: string }).type;
    const encoding = encodingOf(req.headers['content-type']) ?? 'json';
    if (type === 'entity.too.large') {
      sendExportError(
        res,
        413,
        encoding,
        `The request body is over ${maxRequestBytes} bytes (traces.embedded.ingest.maxRequestSize); send smaller batches`,
      );
    } else if (type === 'encoding.unsupported') {
      sendExportError(
        res,
        415,
        encoding,
        `Content-Encoding '${req.headers['content-encoding']}' is not supported; use gzip or none`,
      );
    } else if ((error as { status?: number }).status === 400) {
      sendExportError(
        res,
        400,
        encoding,
        `The request body cannot be read: ${(error as Error).message}`,
      );
    } else next(error);
  };
}
