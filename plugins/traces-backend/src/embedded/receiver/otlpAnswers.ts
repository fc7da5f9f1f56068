import type { Response } from 'express';
import type { Type } from 'protobufjs';
import { otlp } from '../otlp/schema';
import type { OtlpEncoding } from '../otlp/decodeRequest';
import type { Rejections } from '../ingest/rows';

/** gRPC status codes OTLP/HTTP puts in the `Status` body of error answers. */
const GRPC_CODE: Record<number, number> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  403: 7, // PERMISSION_DENIED
  413: 8, // RESOURCE_EXHAUSTED
  415: 3,
  500: 13, // INTERNAL
  503: 14, // UNAVAILABLE
};

const CONTENT_TYPE: Record<OtlpEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/**
 * The export answer: an empty response on full success, `partial_success` with the count and
 * first reasons when some items were rejected (OTLP: the client must not retry those).
 */
export function sendExportResponse(
  res: Response,
  encoding: OtlpEncoding,
  signal: 'traces' | 'logs',
  rejected: Rejections,
) {
  const type =
    signal === 'traces'
      ? otlp.ExportTraceServiceResponse
      : otlp.ExportLogsServiceResponse;
  const countField =
    signal === 'traces' ? 'rejectedSpans' : 'rejectedLogRecords';
  const body =
    rejected.count > 0
      ? {
          partialSuccess: {
            [countField]: String(rejected.count),
            errorMessage: rejected.reasons.join('; '),
          },
        }
      : {};
  send(res, 200, encoding, type, body);
}

/** An error answer: OTLP/HTTP's `google.rpc.Status` body, in the request's encoding. */
export function sendExportError(
  res: Response,
  status: number,
  encoding: OtlpEncoding,
  message: string,
) {
  send(res, status, encoding, otlp.RpcStatus, {
    code: GRPC_CODE[status] ?? 2,
    message,
  });
}

function send(
  res: Response,
  status: number,
  encoding: OtlpEncoding,
  type: Type,
  body: Record<string, unknown>,
) {
  res.status(status).type(CONTENT_TYPE[encoding]);
  if (encoding === 'json') {
    res.send(JSON.stringify(body));
  } else {
    res.send(Buffer.from(type.encode(type.fromObject(body)).finish()));
  }
}
