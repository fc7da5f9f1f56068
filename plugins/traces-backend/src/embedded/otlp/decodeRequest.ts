import { InputError } from '@backstage/errors';
import { Reader, type Type } from 'protobufjs';
import { otlp } from './schema';
import type {
  OtlpLogsRequest,
  OtlpResourceSpans,
  OtlpTraceRequest,
  WithPayload,
} from './messages';

/** The two OTLP/HTTP body encodings. */
export type OtlpEncoding = 'protobuf' | 'json';

/** `Content-Type` → encoding; undefined for anything OTLP/HTTP does not define. */
export function encodingOf(
  contentType: string | undefined,
): OtlpEncoding | undefined {
  const mime = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mime === 'application/x-protobuf' || mime === 'application/protobuf')
    return 'protobuf';
  if (mime === 'application/json') return 'json';
  return undefined;
}

export function decodeTraceRequest(
  body: Uint8Array,
  encoding: OtlpEncoding,
): OtlpTraceRequest {
  if (encoding === 'protobuf') {
    try {
      return cutTraceRequest(body);
    } catch (error) {
      throw new InputError(
        `The body is not a valid protobuf ExportTraceServiceRequest: ${
          (error as Error).message
        }`,
      );
    }
  }
  return decode(otlp.ExportTraceServiceRequest, body, encoding, json =>
    forEachIn(json, ['resourceSpans', 'scopeSpans', 'spans'], span => {
      hexToBytes(span, 'traceId', 'spanId', 'parentSpanId');
      for (const link of arrayAt(span, 'links'))
        hexToBytes(link, 'traceId', 'spanId');
    }),
  ) as OtlpTraceRequest;
}

export function decodeLogsRequest(
  body: Uint8Array,
  encoding: OtlpEncoding,
): OtlpLogsRequest {
  return decode(otlp.ExportLogsServiceRequest, body, encoding, json =>
    forEachIn(json, ['resourceLogs', 'scopeLogs', 'logRecords'], record =>
      hexToBytes(record, 'traceId', 'spanId'),
    ),
  ) as OtlpLogsRequest;
}

function decode(
  type: Type,
  body: Uint8Array,
  encoding: OtlpEncoding,
  fixJsonIds: (json: Record<string, unknown>) => void,
): unknown {
  if (encoding === 'protobuf') {
    try {
      return type.decode(body);
    } catch (error) {
      throw new InputError(
        `The body is not a valid protobuf ${type.name}: ${
          (error as Error).message
        }`,
      );
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch (error) {
    throw new InputError(
      `The body is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InputError(`The body must be a JSON ${type.name} object`);
  }
  try {
    fixJsonIds(json as Record<string, unknown>);
    return type.fromObject(json);
  } catch (error) {
    throw new InputError(
      `The body is not a valid OTLP/JSON ${type.name}: ${
        (error as Error).message
      }`,
    );
  }
}

/** Calls `visit` on every object at the end of a path of arrays (resourceSpans → scopeSpans → spans). */
function forEachIn(
  node: Record<string, unknown>,
  path: string[],
  visit: (item: Record<string, unknown>) => void,
) {
  const [head, ...rest] = path;
  for (const item of arrayAt(node, head)) {
    if (rest.length === 0) visit(item);
    else forEachIn(item, rest, visit);
  }
}

function arrayAt(
  node: Record<string, unknown>,
  key: string,
): Array<Record<string, unknown>> {
  const value = node[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new TypeError(`${key}: array expected`);
  for (const item of value) {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw new TypeError(`${key}: array of objects expected`);
  }
  return value as Array<Record<string, unknown>>;
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * OTLP/JSON writes trace and span IDs in hex, where protobuf's JSON mapping (and so
 * protobufjs) expects base64. Other strings are left for base64 decoding: some exporters send
 * Tempo-style base64 IDs.
 */
function hexToBytes(item: Record<string, unknown>, ...keys: string[]) {
  for (const key of keys) {
    const value = item[key];
    if (typeof value === 'string' && HEX.test(value)) {
      item[key] = Buffer.from(value, 'hex');
    }
  }
}

const LENGTH_DELIMITED = 2;

/**
 * A protobuf ExportTraceServiceRequest decoded span by span, each span, resource and scope
 * keeping its own bytes: the store keeps those bytes as they came instead of encoding the
 * decoded message again.
 */
function cutTraceRequest(body: Uint8Array): OtlpTraceRequest {
  const buffer = Buffer.isBuffer(body)
    ? body
    : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const resourceSpans: OtlpResourceSpans[] = [];
  forEachField(buffer, (field, bytes) => {
    if (field !== 1) return;
    const batch: OtlpResourceSpans = { scopeSpans: [] };
    forEachField(bytes, (batchField, batchBytes) => {
      if (batchField === 1)
        batch.resource = withPayload(otlp.Resource, batchBytes);
      if (batchField !== 2) return;
      const scopeSpans: NonNullable<OtlpResourceSpans['scopeSpans']>[number] = {
        spans: [],
      };
      forEachField(batchBytes, (scopeField, scopeBytes) => {
        if (scopeField === 1) {
          scopeSpans.scope = withPayload(otlp.InstrumentationScope, scopeBytes);
        } else if (scopeField === 2) {
          scopeSpans.spans!.push(withPayload(otlp.Span, scopeBytes));
        }
      });
      batch.scopeSpans!.push(scopeSpans);
    });
    resourceSpans.push(batch);
  });
  return { resourceSpans };
}

/** Calls `visit` with each length-delimited field of a message; skips the others. */
function forEachField(
  buffer: Buffer,
  visit: (field: number, bytes: Buffer) => void,
) {
  const reader = Reader.create(buffer);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if ((tag & 7) !== LENGTH_DELIMITED) {
      reader.skipType(tag & 7);
      continue;
    }
    const length = reader.uint32();
    const start = reader.pos;
    if (start + length > reader.len) {
      throw new RangeError(
        `index out of range: ${start} + ${length} > ${reader.len}`,
      );
    }
    reader.pos = start + length;
    visit(tag >>> 3, buffer.subarray(start, start + length));
  }
}

function withPayload<T extends WithPayload>(type: Type, bytes: Buffer): T {
  const message = type.decode(bytes) as unknown as T;
  message.payload = bytes;
  return message;
}
