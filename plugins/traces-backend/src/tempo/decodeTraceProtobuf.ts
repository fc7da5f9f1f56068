import { Reader } from 'protobufjs/minimal.js';
import type {
  TempoAnyValue,
  TempoKeyValue,
  TempoResourceSpans,
  TempoScopeSpans,
  TempoSpan,
  TempoTraceByIdV2,
} from './wireTypes';

/*
 * Decodes Tempo's `Accept: application/protobuf` answer of /api/v2/traces/{id}
 * (tempopb.TraceByIDResponse: trace = 1, metrics = 2, status = 3, message = 4; the trace is
 * wire-compatible with OTLP TracesData). Reading fields straight into the JSON-shaped wire
 * types, with protobufjs's low-level Reader and no reflection, keeps 100,000 spans well under
 * a second and lets one normaliser serve both encodings. Field numbers: opentelemetry-proto
 * trace/v1/trace.proto and common/v1/common.proto.
 */

const LENGTH_DELIMITED = 2;

export function decodeTraceByIdResponse(bytes: Uint8Array): TempoTraceByIdV2 {
  const reader = Reader.create(bytes);
  const result: TempoTraceByIdV2 = {};
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    switch (tag >>> 3) {
      case 1:
        result.trace = { resourceSpans: readTrace(reader, end(reader)) };
        break;
      case 3:
        result.status = reader.int32();
        break;
      case 4:
        result.message = reader.string();
        break;
      default:
        reader.skipType(tag & 7);
    }
  }
  return result;
}

function end(reader: Reader): number {
  return reader.uint32() + reader.pos;
}

function readTrace(reader: Reader, limit: number): TempoResourceSpans[] {
  const batches: TempoResourceSpans[] = [];
  while (reader.pos < limit) {
    const tag = reader.uint32();
    if (tag >>> 3 === 1 && (tag & 7) === LENGTH_DELIMITED) {
      batches.push(readResourceSpans(reader, end(reader)));
    } else {
      reader.skipType(tag & 7);
    }
  }
  return batches;
}

function readResourceSpans(reader: Reader, limit: number): TempoResourceSpans {
  const batch: TempoResourceSpans = { scopeSpans: [] };
  while (reader.pos < limit) {
    const tag = reader.uint32();
    switch (tag >>> 3) {
      case 1:
        batch.resource = { attributes: readAttributesOf(reader, end(reader), 1) };
        break;
      case 2: // scope_spans
      case 1000: // instrumentation_library_spans (pre-0.18 OTLP), same layout
        batch.scopeSpans!.push(readScopeSpans(reader, end(reader)));
        break;
      default:
        reader.skipType(tag & 7);
    }
  }
  return batch;
}

function readScopeSpans(reader: Reader, limit: number): TempoScopeSpans {
  const scopeSpans: TempoScopeSpans = { spans: [] };
  while (reader.pos < limit) {
    const tag = reader.uint32();
    switch (tag >>> 3) {
      case 1:
        scopeSpans.scope = readScope(reader, end(reader));
        break;
      case 2:
        scopeSpans.spans!.push(readSpan(reader, end(reader)));
        break;
      default:
        reader.skipType(tag & 7);
    }
  }
  return scopeSpans;
}

function readScope(reader: Reader, limit: number): { name?: string; version?: string } {
  const scope: { name?: string; version?: string } = {};
  while (reader.pos < limit) {
    const tag = reader.uint32();
    switch (tag >>> 3) {
      case 1:
        scope.name = reader.string();
        break;
      case 2:
        scope.version = reader.string();
        break;
      default:
        reader.skipType(tag & 7);
    }
  }
  return scope;
}

function readSpan(reader: Reader, limit: number): TempoSpan {
  const span: TempoSpan = {};
  while (reader.pos < limit) {
    const tag = reader.uint32();
    switch (tag >>> 3) {
      case 1:
        span.traceId = hex(reader.bytes(), 32);
        break;
      case 2:
        span.spanId = hex(reader.bytes(), 16);
        break;
      case 4:
        span.parentSpanId = hex(reader.bytes(), 16);
        break;
      case 5:
        span.name = reader.string();
        break;
      case 6:
        span.kind = reader.int32();
        break;
      case 7:
        span.startTimeUnixNano = fixed64(reader);
        break;
      case 8:
        span.endTimeUnixNano = fixed64(reader);
        break;
      case 9:
        (span.attributes ??= []).push(readKeyValue(reader, end(reader)));
        break;
      case 11:
        (span.events ??= []).push(readEvent(reader, end(reader)));
        break;
      case 13:
        (span.links ??= []).push(readLink(reader, end(reader)));
        break;
      case 15:
        span.status = readStatus(reader, end(reader));
        break;
      default:
        reader.skipType(tag & 7);
    }
  }
  return span;
}

function readEvent(reader: Reader, limit: number) {
  const event: NonNullable<TempoSpan['events']>[number] = {};
  while (reader.pos < limit) {
    const tag = reader.uint32();
    switch (tag >>> 3) {
      case 1:
        event.timeUnixNano = fixed64(reader);
        break;
      case 2:
        event.name = reader.string();
        break;
      case 3:
        (event.attributes ??= []).push(readKeyValue(reader, end(reader)));
        break;
      default:
        reader.skipType(tag & 7);
    }
  }
  return event;
}

function readLink(reader: Reader, limit: number) {
  const link: NonNullable<TempoSpan['links']>[number] = {};
  while (reader.pos < limit) {
    const tag = reader.uint32();
    switch (tag >>> 3) {
      case 1:
        link.traceId = hex(reader.bytes(), 32);
        break;
      case 2:
        link.spanId = hex(reader.bytes(), 16);
        break;
      case 4:
        (link.attributes ??= []).push(readKeyValue(reader, end(reader)));
        break;
      default:
        reader.skipType(tag & 7);
    }
  }
  return link;
}

function readStatus(reader: Reader, limit: number) {
  const status: NonNullable<TempoSpan['status']> = {};
  while (reader.pos < limit) {
    const tag = reader.uint32();
    switch (tag >>> 3) {
      case 2:
        status.message = reader.string();
        break;
      case 3:
        status.code = reader.int32();
        break;
      default:
        reader.skipType(tag & 7);
    }
  }
  return status;
}

/** Repeated KeyValue at `field` of a message ending at `limit` (Resource.attributes = 1). */
function readAttributesOf(reader: Reader, limit: number, field: number): TempoKeyValue[] {
  const attributes: TempoKeyValue[] = [];
  while (reader.pos < limit) {
    const tag = reader.uint32();
    if (tag >>> 3 === field && (tag & 7) === LENGTH_DELIMITED) {
      attributes.push(readKeyValue(reader, end(reader)));
    } else {
      reader.skipType(tag & 7);
    }
  }
  return attributes;
}

function readKeyValue(reader: Reader, limit: number): TempoKeyValue {
  let key = '';
  let value: TempoAnyValue | undefined;
  while (reader.pos < limit) {
    const tag = reader.uint32();
    switch (tag >>> 3) {
      case 1:
        key = reader.string();
        break;
      case 2:
        value = readAnyValue(reader, end(reader));
        break;
      default:
        reader.skipType(tag & 7);
    }
  }
  return { key, value };
}

function readAnyValue(reader: Reader, limit: number): TempoAnyValue {
  const value: TempoAnyValue = {};
  while (reader.pos < limit) {
    const tag = reader.uint32();
    switch (tag >>> 3) {
      case 1:
        value.stringValue = reader.string();
        break;
      case 2:
        value.boolValue = reader.bool();
        break;
      case 3: {
        // Long keeps every digit of an int64; the normaliser turns safe ones into numbers.
        const long = reader.int64() as unknown as number | { toString(): string };
        value.intValue = typeof long === 'number' ? long : long.toString();
        break;
      }
      case 4:
        value.doubleValue = reader.double();
        break;
      case 5:
        value.arrayValue = { values: readArray(reader, end(reader)) };
        break;
      case 6:
        value.kvlistValue = { values: readAttributesOf(reader, end(reader), 1) };
        break;
      case 7:
        value.bytesValue = Buffer.from(reader.bytes()).toString('base64');
        break;
      default:
        reader.skipType(tag & 7);
    }
  }
  return value;
}

function readArray(reader: Reader, limit: number): TempoAnyValue[] {
  const values: TempoAnyValue[] = [];
  while (reader.pos < limit) {
    const tag = reader.uint32();
    if (tag >>> 3 === 1 && (tag & 7) === LENGTH_DELIMITED) {
      values.push(readAnyValue(reader, end(reader)));
    } else {
      reader.skipType(tag & 7);
    }
  }
  return values;
}

/** fixed64 → bigint from its two little-endian halves: nanosecond times exceed 2^53. */
function fixed64(reader: Reader): bigint {
  const low = reader.fixed32();
  const high = reader.fixed32();
  return (BigInt(high) << 32n) | BigInt(low);
}

/** Lowercase hex padded to the ID's width (64-bit trace IDs become 32 digits); '' when absent. */
function hex(bytes: Uint8Array, width: 16 | 32): string {
  if (bytes.byteLength === 0) return '';
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  return text.padStart(width, '0');
}
