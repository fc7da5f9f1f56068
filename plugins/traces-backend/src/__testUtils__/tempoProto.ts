import protobuf from 'protobufjs';

import { OTLP_PROTO } from '../embedded/otlp/schema';

/*
 * tempopb.TraceByIDResponse around the OTLP trace messages (the embedded store's schema: its
 * trace is OTLP TracesData), as a schema for protobufjs's reflection-based encoder. Tests and
 * benchmarks use it to produce the bytes Tempo sends for `Accept: application/protobuf`,
 * independently of the hand-written decoder under test.
 */
const SCHEMA = `${OTLP_PROTO}
message TraceByIDResponse {
  TracesData trace = 1;
  TraceByIDMetrics metrics = 2;
  PartialStatus status = 3;
  string message = 4;
}
enum PartialStatus { COMPLETE = 0; PARTIAL = 1; }
message TraceByIDMetrics { uint64 inspected_bytes = 1; }
`;

const root = protobuf.parse(SCHEMA).root;
const TraceByIDResponse = root.lookupType(
  'opentelemetry.proto.TraceByIDResponse',
);

/**
 * Encodes Tempo's v2 JSON body (base64 IDs, enum names, int64 strings) as the protobuf
 * Tempo would have sent for the same trace.
 */
export function encodeTraceByIdResponse(tempoJson: object): Uint8Array {
  const message = TraceByIDResponse.fromObject(tempoJson);
  return TraceByIDResponse.encode(message).finish();
}

/**
 * The protobuf of a trace too large to hold as one JSON body (a million spans is ~800 MB of
 * Tempo JSON, past V8's string limit): each part is encoded on its own and the encodings are
 * concatenated, which protobuf defines as merging them (repeated fields append).
 */
export function encodeTraceByIdResponseParts(
  parts: Iterable<{ resourceSpans: object[] }>,
): Buffer {
  const chunks: Uint8Array[] = [];
  for (const part of parts)
    chunks.push(encodeTraceByIdResponse({ trace: part }));
  return Buffer.concat(chunks);
}
