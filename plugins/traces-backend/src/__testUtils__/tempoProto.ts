import protobuf from 'protobufjs';

/*
 * tempopb.TraceByIDResponse with the OTLP trace messages, as a schema for protobufjs's
 * reflection-based encoder. Tests and benchmarks use it to produce the bytes Tempo sends for
 * `Accept: application/protobuf`, independently of the hand-written decoder under test.
 */
const SCHEMA = `
syntax = "proto3";
package tempopb;

message TraceByIDResponse {
  Trace trace = 1;
  TraceByIDMetrics metrics = 2;
  PartialStatus status = 3;
  string message = 4;
}
enum PartialStatus { COMPLETE = 0; PARTIAL = 1; }
message TraceByIDMetrics { uint64 inspectedBytes = 1; }
message Trace { repeated ResourceSpans resourceSpans = 1; }
message ResourceSpans {
  Resource resource = 1;
  repeated ScopeSpans scopeSpans = 2;
  string schemaUrl = 3;
}
message Resource { repeated KeyValue attributes = 1; uint32 droppedAttributesCount = 2; }
message ScopeSpans {
  InstrumentationScope scope = 1;
  repeated Span spans = 2;
  string schemaUrl = 3;
}
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; }
message Span {
  bytes traceId = 1;
  bytes spanId = 2;
  string traceState = 3;
  bytes parentSpanId = 4;
  fixed32 flags = 16;
  string name = 5;
  SpanKind kind = 6;
  fixed64 startTimeUnixNano = 7;
  fixed64 endTimeUnixNano = 8;
  repeated KeyValue attributes = 9;
  uint32 droppedAttributesCount = 10;
  repeated Event events = 11;
  uint32 droppedEventsCount = 12;
  repeated Link links = 13;
  uint32 droppedLinksCount = 14;
  Status status = 15;
  message Event { fixed64 timeUnixNano = 1; string name = 2; repeated KeyValue attributes = 3; }
  message Link { bytes traceId = 1; bytes spanId = 2; string traceState = 3; repeated KeyValue attributes = 4; }
}
enum SpanKind {
  SPAN_KIND_UNSPECIFIED = 0; SPAN_KIND_INTERNAL = 1; SPAN_KIND_SERVER = 2;
  SPAN_KIND_CLIENT = 3; SPAN_KIND_PRODUCER = 4; SPAN_KIND_CONSUMER = 5;
}
message Status { string message = 2; StatusCode code = 3; }
enum StatusCode { STATUS_CODE_UNSET = 0; STATUS_CODE_OK = 1; STATUS_CODE_ERROR = 2; }
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue {
  oneof value {
    string stringValue = 1;
    bool boolValue = 2;
    int64 intValue = 3;
    double doubleValue = 4;
    ArrayValue arrayValue = 5;
    KeyValueList kvlistValue = 6;
    bytes bytesValue = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
`;

const root = protobuf.parse(SCHEMA, { keepCase: true }).root;
const TraceByIDResponse = root.lookupType('tempopb.TraceByIDResponse');

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
