/** A 64-bit integer as protobufjs decodes it (the `long` package's `Long`). */
export interface Long {
  low: number;
  high: number;
  toNumber(): number;
  toString(): string;
}

/*
 * The decoded OTLP messages as protobufjs hands them over (lowerCamelCase; 64-bit integers
 * as `Long`, bytes as `Uint8Array`). Only the fields the store reads are listed.
 */

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: Long | number;
  doubleValue?: number;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  bytesValue?: Uint8Array;
}

export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue | null;
}

/** The message's own bytes, when it was cut out of a protobuf request (not re-encoded). */
export interface WithPayload {
  payload?: Uint8Array;
}

export interface OtlpResource extends WithPayload {
  attributes?: OtlpKeyValue[];
}

export interface OtlpScope extends WithPayload {
  name?: string;
  version?: string;
  attributes?: OtlpKeyValue[];
}

export interface OtlpSpan extends WithPayload {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId: Uint8Array;
  name: string;
  kind: number;
  startTimeUnixNano: Long | number;
  endTimeUnixNano: Long | number;
  attributes?: OtlpKeyValue[];
  status?: { code?: number; message?: string } | null;
}

export interface OtlpResourceSpans {
  resource?: OtlpResource | null;
  scopeSpans?: Array<{ scope?: OtlpScope | null; spans?: OtlpSpan[] }>;
}

export interface OtlpTraceRequest {
  resourceSpans?: OtlpResourceSpans[];
}

export interface OtlpLogRecord {
  timeUnixNano: Long | number;
  observedTimeUnixNano: Long | number;
  severityNumber: number;
  severityText: string;
  body?: OtlpAnyValue | null;
  attributes?: OtlpKeyValue[];
  traceId: Uint8Array;
  spanId: Uint8Array;
  eventName?: string;
}

export interface OtlpResourceLogs {
  resource?: OtlpResource | null;
  scopeLogs?: Array<{ scope?: OtlpScope | null; logRecords?: OtlpLogRecord[] }>;
}

export interface OtlpLogsRequest {
  resourceLogs?: OtlpResourceLogs[];
}
